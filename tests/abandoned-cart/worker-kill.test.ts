// A worker process killed while its push is on the way to LINE (the record says "sending", LINE has the request)
// must not cause a second message: the next worker retries with the same X-Line-Retry-Key and LINE answers 409.
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { enqueueCartReminder } from "../../jobs/queues";
import { retryKeyFor } from "~/messaging/retry-key";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { testEnvironment } from "../support/test-env";
import { waitUntil } from "../support/worker";
import { sessionStorage } from "~/shopify.server";

const children: ChildProcess[] = [];
const logs: string[] = [];

function startWorker() {
  // Node itself with tsx as a loader: killing a `tsx` launcher would leave its node child running.
  const child = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
    env: {
      ...process.env,
      ...testEnvironment(),
      LINE_API_BASE_URL: lineFake().url,
      LINE_DATA_API_BASE_URL: lineFake().url,
      // A killed worker's job is taken up again after about this long (BullMQ's defaults are 30 s).
      WORKER_LOCK_DURATION_MS: "2000",
      WORKER_STALLED_INTERVAL_MS: "1000",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  return new Promise<ChildProcess>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      logs.push(String(chunk));
      if (output.includes('"worker ready"')) resolve(child);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk) => {
      output += chunk;
      logs.push(String(chunk));
    });
    child.once("exit", (code) => reject(new Error(`worker exited (${code}):\n${output}`)));
  });
}

afterEach((context) => {
  if (context.task.result?.state === "fail") console.log(logs.join(""));
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("a worker killed between the record and the push", () => {
  it("delivers exactly one message", async () => {
    await createShop(db, { shop: TEST_SHOP_DOMAIN });
    await sessionStorage.storeSession(offlineSession());
    const { account, channel } = await connectedAccount(db, TEST_SHOP_DOMAIN);
    await db.cartReminderSettings.create({ data: { lineAccountId: account.id, shop: TEST_SHOP_DOMAIN, enabled: true } });
    const friend = await db.friend.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following" } });
    const checkout = await db.checkout.create({
      data: {
        shop: TEST_SHOP_DOMAIN, token: "tok-kill", currency: "JPY", totalPrice: "1200", startedAt: new Date(Date.now() - 11 * 3_600_000),
        shopifyUpdatedAt: new Date(), recoveryUrl: `https://${TEST_SHOP_DOMAIN}/checkouts/tok-kill/recover`,
        lineItems: [{ productId: null, variantId: null, title: "煎茶", variantTitle: null, quantity: 1, price: "1200" }],
      },
    });
    const reminder = await db.cartReminder.create({
      data: {
        shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart",
        dueAt: new Date(), retryKey: retryKeyFor(`cart-reminder:${account.id}:${checkout.id}`),
      },
    });
    // LINE takes 3 s to answer the first push: the worker is killed while it waits.
    lineFake().delayNext(1, 3_000, { path: "/v2/bot/message/push" });

    const first = await startWorker();
    await enqueueCartReminder(reminder.id, new Date());
    await waitUntil(async () => (await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).status === "sending", 40_000);
    // The push follows the token request within milliseconds; LINE then holds it for 3 s.
    await waitUntil(() => Promise.resolve(lineFake().requests.some((r) => r.path === "/oauth2/v3/token")), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));

    await startWorker();
    await waitUntil(async () => (await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).status === "sent", 60_000);
    await waitUntil(() => Promise.resolve(lineFake().requests.filter((r) => r.path === "/v2/bot/message/push").length === 2), 20_000).catch((error) => {
      console.log(logs.join(""), JSON.stringify(lineFake().requests.map((r) => [r.path, r.status, r.at])));
      throw error;
    });

    const attempts = lineFake().requests.filter((r) => r.path === "/v2/bot/message/push");
    expect(attempts.map((r) => r.headers["x-line-retry-key"])).toEqual([reminder.retryKey, reminder.retryKey]);
    expect(attempts.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(lineFake().sent(channel.channelId).filter((d) => d.kind === "push")).toHaveLength(1);
    expect(await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ status: "sent", attempts: 2 });
  }, 150_000);
});

// A worker process killed while its push is on the way to LINE (the record says "sending", LINE has the request)
// must not cause a second message: the next worker retries with the same X-Line-Retry-Key and LINE answers 409.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { enqueueCartReminder } from "../../jobs/queues";
import { retryKeyFor } from "~/messaging/retry-key";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil } from "../support/worker";
import { workerProcesses } from "../support/worker-process";
import { sessionStorage } from "~/shopify.server";

const worker = workerProcesses();

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

    const first = await worker.start();
    await enqueueCartReminder(reminder.id, new Date());
    await waitUntil(async () => (await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).status === "sending", 40_000);
    // The push follows the token request within milliseconds; LINE then holds it for 3 s.
    await waitUntil(() => Promise.resolve(lineFake().requests.some((r) => r.path === "/oauth2/v3/token")), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await worker.kill(first);

    await worker.start();
    await waitUntil(async () => (await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).status === "sent", 60_000);
    await waitUntil(() => Promise.resolve(lineFake().requests.filter((r) => r.path === "/v2/bot/message/push").length === 2), 20_000).catch((error) => {
      console.log(worker.logs.join(""), JSON.stringify(lineFake().requests.map((r) => [r.path, r.status, r.at])));
      throw error;
    });

    const attempts = lineFake().requests.filter((r) => r.path === "/v2/bot/message/push");
    expect(attempts.map((r) => r.headers["x-line-retry-key"])).toEqual([reminder.retryKey, reminder.retryKey]);
    expect(attempts.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(lineFake().sent(channel.channelId).filter((d) => d.kind === "push")).toHaveLength(1);
    expect(await db.cartReminder.findUniqueOrThrow({ where: { id: reminder.id } })).toMatchObject({ status: "sent", attempts: 2 });
  }, 150_000);
});

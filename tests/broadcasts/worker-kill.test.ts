// A worker process killed (SIGKILL) in the middle of a broadcast, with batches on their way to LINE: the next
// worker finishes it, and no friend gets the message twice (a batch in flight is retried with its retry key and
// LINE answers 409), none is missed.
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveBroadcast, scheduleBroadcast } from "~/broadcasts/broadcasts.server";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { testEnvironment } from "../support/test-env";
import { waitUntil } from "../support/worker";

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
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`worker exited (${code}):\n${output}`)));
  });
}

afterEach((context) => {
  if (context.task.result?.state === "fail") console.log(logs.join(""));
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("a worker killed mid-broadcast", () => {
  it("resumes on the next worker with no second message to anyone", async () => {
    const shop = (await createShop(db)).shop;
    const { account, channel } = await connectedAccount(db, shop, { accessToken: true });
    await db.friend.createMany({
      data: Array.from({ length: 5_000 }, (_, i) => ({ shop, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following", createdAt: new Date(Date.UTC(2025, 0, 1) + i * 1_000) })),
    });
    // Two batches a second, each held 3 s by LINE: when the worker dies, some are on their way.
    lineFake().setRateLimits({ multicast: 2 });
    lineFake().delayNext(4, 3_000, { path: "/v2/bot/message/multicast" });
    const saved = await saveBroadcast(shop, null, { name: "Kill", lineAccountId: account.id, audience: { type: "all" }, quietHours: false }, [{ type: "text", text: "Sale!" }]);
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));

    const first = await startWorker();
    await scheduleBroadcast(shop, saved.broadcast.id, { mode: "now" });
    await waitUntil(() => Promise.resolve(lineFake().requests.filter((r) => r.path === "/v2/bot/message/multicast").length >= 3), 40_000);
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const beforeRestart = lineFake().sent(channel.channelId).length;

    await startWorker();
    await waitUntil(async () => (await db.broadcast.findUniqueOrThrow({ where: { id: saved.broadcast.id } })).status === "sent", 90_000);

    const to = lineFake().sent(channel.channelId).flatMap((d) => d.to);
    expect(beforeRestart).toBeLessThan(10);
    expect(new Set(to).size).toBe(to.length);
    expect(to).toHaveLength(5_000);
    const statuses = await db.delivery.groupBy({ by: ["status"], where: { sourceId: saved.broadcast.id }, _count: { _all: true } });
    expect(statuses).toEqual([{ status: "sent", _count: { _all: 10 } }]);
    // The batches the killed worker had on their way were retried with their keys: LINE took each once (409).
    expect(lineFake().requests.filter((r) => r.path === "/v2/bot/message/multicast" && r.status === 409).length).toBeGreaterThan(0);
  }, 180_000);
});

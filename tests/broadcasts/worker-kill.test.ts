// A worker process killed (SIGKILL) in the middle of a broadcast, with batches on their way to LINE: the next
// worker finishes it, and no friend gets the message twice (a batch in flight is retried with its retry key and
// LINE answers 409), none is missed.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveBroadcast, scheduleBroadcast } from "~/broadcasts/broadcasts.server";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { waitUntil } from "../support/worker";
import { workerProcesses } from "../support/worker-process";

const worker = workerProcesses();

describe("a worker killed mid-broadcast", () => {
  it("resumes on the next worker with no second message to anyone", async () => {
    const shop = (await createShop(db)).shop;
    const { account, channel } = await connectedAccount(db, shop, { accessToken: true });
    await db.friend.createMany({
      data: Array.from({ length: 5_000 }, (_, i) => ({ shop, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following", createdAt: new Date(Date.UTC(2025, 0, 1) + i * 1_000) })),
    });
    // Two batches a second (the worker's own budget), each held 3 s by LINE before LINE takes it: the worker is
    // killed while LINE holds one, which LINE then takes; the next worker sends it again with its retry key.
    lineFake().delayNext(1_000, 3_000, { path: "/v2/bot/message/multicast" });
    const budget = { LINE_MULTICAST_PER_SECOND: "2" };
    const saved = await saveBroadcast(shop, null, { name: "Kill", lineAccountId: account.id, audience: { type: "all" }, quietHours: false }, [{ type: "text", text: "Sale!" }]);
    if (!saved.ok) throw new Error(JSON.stringify(saved.errors));

    const first = await worker.start(budget);
    await scheduleBroadcast(shop, saved.broadcast.id, { mode: "now" });
    await waitUntil(() => Promise.resolve(lineFake().heldRequests() > 0), 40_000);
    await worker.kill(first);
    const beforeRestart = lineFake().sent(channel.channelId).length;

    await worker.start(budget);
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

// A broadcast whose jobs were lost (Redis flushed, or restored from an old snapshot) is not stuck: the sweeper
// gives a due one its start job again and a running one its finish job again, never a second job beside a live one.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveBroadcast, scheduleBroadcast } from "~/broadcasts/broadcasts.server";
import { broadcastQueue } from "../../jobs/queues";
import { sweepBroadcasts } from "../../jobs/processors/maintenance";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { waitUntil, withWorkers } from "../support/worker";

let shop: string;
let account: Awaited<ReturnType<typeof connectedAccount>>["account"];
let channelId: string;
const MINUTES = 60_000;

beforeEach(async () => {
  lineFake().reset();
  // The sweep looks at every shop's broadcasts: each test starts with none and no broadcast jobs.
  await db.broadcast.deleteMany({});
  await broadcastQueue().obliterate({ force: true });
  shop = (await createShop(db)).shop;
  ({ account, channel: { channelId } } = await connectedAccount(db, shop, { accessToken: true }));
  await db.friend.createMany({
    data: Array.from({ length: 1_200 }, () => ({ shop, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following" })),
  });
});

async function scheduledNow() {
  const saved = await saveBroadcast(shop, null, { name: "Lost", lineAccountId: account.id, audience: { type: "all" }, quietHours: false }, [{ type: "text", text: "Sale!" }]);
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  const scheduled = await scheduleBroadcast(shop, saved.broadcast.id, { mode: "now" });
  if (!scheduled.ok) throw new Error(JSON.stringify(scheduled.errors));
  return saved.broadcast.id;
}

const statusOf = async (id: string) => (await db.broadcast.findUniqueOrThrow({ where: { id } })).status;
const received = () => lineFake().sent(channelId).filter((d) => d.kind === "multicast").flatMap((d) => d.to);

describe("the broadcast sweep", () => {
  it("leaves a broadcast whose start job is alive alone", async () => {
    await scheduledNow();
    expect(await sweepBroadcasts(new Date(Date.now() + 5 * MINUTES))).toEqual({ found: 1, queued: 0 });
  });

  it("starts a due broadcast whose start job was lost, and it reaches every friend once", async () => {
    const id = await scheduledNow();
    await broadcastQueue().obliterate({ force: true });
    expect(await sweepBroadcasts(new Date(Date.now() + 5 * MINUTES))).toEqual({ found: 1, queued: 1 });
    await withWorkers(() => waitUntil(async () => (await statusOf(id)) === "sent", 60_000));
    const to = received();
    expect(to).toHaveLength(1_200);
    expect(new Set(to).size).toBe(1_200);
  });

  it("closes a broadcast whose finish job was lost once its deliveries have ended", async () => {
    const id = await scheduledNow();
    await withWorkers(() => waitUntil(async () => (await statusOf(id)) === "sent", 60_000));
    // As if the finish job had vanished before it closed the broadcast.
    await db.broadcast.update({ where: { id }, data: { status: "sending", finishedAt: null } });
    await broadcastQueue().obliterate({ force: true });
    expect(await sweepBroadcasts(new Date(Date.now() + 5 * MINUTES))).toEqual({ found: 1, queued: 1 });
    await withWorkers(() => waitUntil(async () => (await db.broadcast.findUniqueOrThrow({ where: { id } })).finishedAt !== null, 60_000));
    expect(await statusOf(id)).toBe("sent");
    expect(received()).toHaveLength(1_200);
  });
});

// One shop's broadcast backlog never holds up another shop's push: multicast and push have queues of their own,
// and budgets per channel and endpoint. An ordering assertion over the real workers, not a wall-clock bound.
import { afterEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { cancelDeliveries, createDeliveries } from "~/messaging/deliveries.server";
import { reclaimStrandedDeliveries } from "~/messaging/stranded.server";
import { textMessages } from "~/messaging/types";
import { deliveryQueue } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { waitUntil, withWorkers } from "../support/worker";

const BACKLOG = 2_000;

async function shopWithFriend() {
  const { shop } = await createShop(db);
  const connected = await connectedAccount(db, shop);
  const friend = await db.friend.create({ data: { shop, lineAccountId: connected.account.id, lineUserId: lineUserId(), followStatus: "following" } });
  return { shop, ...connected, friend };
}

afterEach(async () => {
  await deliveryQueue("push").obliterate({ force: true });
  await deliveryQueue("multicast").obliterate({ force: true });
});

describe("a broadcast backlog", () => {
  it("does not delay another shop's push: B's push is sent while A's multicasts are still queued", async () => {
    const [a, b] = [await shopWithFriend(), await shopWithFriend()];
    const batch = { shop: a.shop, lineAccountId: a.account.id, kind: "broadcast" as const, channel: "multicast" as const, sourceId: "broadcast-a" };
    await createDeliveries(Array.from({ length: BACKLOG }, () => ({ ...batch, recipients: [a.friend.lineUserId], messages: textMessages(["Sale"]) })));

    await withWorkers(async () => {
      await waitUntil(async () => lineFake().sent(a.channel.channelId).length > 0, 30_000);
      const [push] = await createDeliveries([
        { shop: b.shop, lineAccountId: b.account.id, kind: "cart-reminder", channel: "push", sourceId: "r-1", recipients: [b.friend.lineUserId], messages: textMessages(["Your cart"]) },
      ]);
      await waitUntil(async () => (await db.delivery.findUniqueOrThrow({ where: { id: push } })).status === "sent", 30_000);
      const backlog = await db.delivery.count({ where: { sourceId: "broadcast-a", status: { in: ["scheduled", "sending"] } } });
      expect(backlog).toBeGreaterThan(0);
      expect(lineFake().sent(b.channel.channelId).map((d) => d.kind)).toEqual(["push"]);
      // The rest of A's broadcast is cancelled: its jobs find their rows cancelled and send nothing.
      expect(await cancelDeliveries(a.shop, "broadcast", "broadcast-a")).toBeGreaterThan(0);
    });
  }, 120_000);
});

describe("the sweeper", () => {
  it("queues deliveries left scheduled without a job, and marks one claimed beyond the retry key's window unknown", async () => {
    const a = await shopWithFriend();
    const base = { shop: a.shop, lineAccountId: a.account.id, kind: "test" as const, channel: "push" as const, sourceId: "s", recipients: [a.friend.lineUserId], messages: textMessages(["x"]) };
    const [lost, stale] = await createDeliveries([base, base]);
    await deliveryQueue("push").obliterate({ force: true }); // Redis lost the jobs
    const old = new Date(Date.now() - 2 * 60_000);
    await db.delivery.update({ where: { id: lost }, data: { dueAt: old } });
    await db.delivery.update({ where: { id: stale }, data: { dueAt: old, status: "sending", claimedAt: new Date(Date.now() - 24 * 3_600_000), updatedAt: old } });

    expect(await reclaimStrandedDeliveries()).toEqual({ found: 2, queued: 1, unknown: 1 });
    await withWorkers(() => waitUntil(async () => (await db.delivery.findUniqueOrThrow({ where: { id: lost } })).status === "sent", 30_000));
    expect(await db.delivery.findUniqueOrThrow({ where: { id: stale } })).toMatchObject({ status: "unknown" });
    expect(lineFake().sent(a.channel.channelId)).toHaveLength(1);
  });
});

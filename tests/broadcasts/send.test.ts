// A broadcast sent by the real worker through the send pipeline to the LINE fake: every recipient once, with the
// broadcast's aggregation unit; a friend who joins the tag mid-send is not added, one who blocks mid-send is
// excluded once; cancel stops the batches not yet sent and the broadcast ends cancelled with what was sent.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { translate } from "~/i18n/messages";
import { cancelBroadcast, saveBroadcast, scheduleBroadcast } from "~/broadcasts/broadcasts.server";
import { broadcastProgress } from "~/broadcasts/results.server";
import { startBroadcast } from "~/broadcasts/run.server";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { waitUntil, withWorkers } from "../support/worker";

let shop: string;
let account: Awaited<ReturnType<typeof connectedAccount>>["account"];
let channelId: string;

async function friends(count: number) {
  await db.friend.createMany({
    data: Array.from({ length: count }, (_, i) => ({ shop, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following", createdAt: new Date(Date.UTC(2025, 0, 1) + i * 1_000) })),
  });
  return db.friend.findMany({ where: { lineAccountId: account.id } });
}

async function startNow(audience: unknown = { type: "all" }) {
  const saved = await saveBroadcast(shop, null, { name: "Sale", lineAccountId: account.id, audience, quietHours: false }, [{ type: "text", text: "Sale!" }]);
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  const scheduled = await scheduleBroadcast(shop, saved.broadcast.id, { mode: "now" });
  if (!scheduled.ok) throw new Error(JSON.stringify(scheduled.errors));
  return saved.broadcast;
}

const status = async (id: string) => (await db.broadcast.findUniqueOrThrow({ where: { id } })).status;
const received = () => lineFake().sent(channelId).filter((d) => d.kind === "multicast").flatMap((d) => d.to);

beforeEach(async () => {
  lineFake().reset();
  shop = (await createShop(db)).shop;
  ({ account } = await connectedAccount(db, shop, { accessToken: true }));
  channelId = lineFake().channel((await db.lineAccount.findUniqueOrThrow({ where: { id: account.id } })).channelId).channelId;
});

describe("sending a broadcast", () => {
  it("reaches every friend once; a tag joined mid-send adds nobody, a block mid-send is excluded once", async () => {
    const all = await friends(1_200);
    const vip = await db.tag.create({ data: { shop, name: "VIP" } });
    await db.friendTag.createMany({ data: all.slice(0, 1_100).map((f) => ({ shop, friendId: f.id, tagId: vip.id })) });
    const broadcast = await startNow({ type: "tags", tagIds: [vip.id], match: "any" });
    // Started (the audience frozen and its batches queued) before the workers send anything; then the audience
    // changes: 100 more friends get the tag, and a friend of the last batch blocks the account.
    expect(await startBroadcast(broadcast.id)).toBe("planned");
    await db.friendTag.createMany({ data: all.slice(1_100).map((f) => ({ shop, friendId: f.id, tagId: vip.id })) });
    const batches = await db.delivery.findMany({ where: { sourceId: broadcast.id } });
    const blockerId = batches.find((d) => d.recipients.length === 100)!.recipients[0];
    const blocker = await db.friend.findFirstOrThrow({ where: { lineAccountId: account.id, lineUserId: blockerId } });
    await db.friend.update({ where: { id: blocker.id }, data: { followStatus: "blocked" } });
    await withWorkers(async () => {
      await waitUntil(async () => (await status(broadcast.id)) === "sent", 60_000);

      const to = received();
      expect(new Set(to).size).toBe(to.length);
      expect(to).toHaveLength(1_099);
      expect(to).not.toContain(blocker.lineUserId);
      expect(lineFake().sent(channelId).every((d) => d.units?.[0] === broadcast.customAggregationUnit)).toBe(true);
      const progress = await broadcastProgress(shop, broadcast.id);
      expect(progress.batches).toMatchObject({ total: 3, done: 3, sent: 3 });
      expect(progress.recipients).toMatchObject({ planned: 1_100, accepted: 1_099, excluded: 1, failed: 0 });
    });
  }, 90_000);

  it("records a batch LINE refused as failed, explained in the merchant's language with LINE's words", async () => {
    await friends(600);
    // A LINE user id LINE does not accept (say, imported from elsewhere): LINE refuses that whole batch with 400.
    await db.friend.create({ data: { shop, lineAccountId: account.id, lineUserId: "not-a-line-user", followStatus: "following", createdAt: new Date(Date.UTC(2020, 0, 1)) } });
    const broadcast = await startNow();
    await withWorkers(() => waitUntil(async () => (await status(broadcast.id)) === "sent", 60_000));
    const progress = await broadcastProgress(shop, broadcast.id);
    expect(progress.batches).toMatchObject({ total: 2, sent: 1, failed: 1 });
    expect(progress.recipients.failed + progress.recipients.accepted).toBe(601);
    expect(progress.failures).toEqual([
      expect.objectContaining({ key: "line.error.invalidBody", status: 400, batches: 1, reason: expect.stringContaining("Invalid user ID") }),
    ]);
    expect(translate("ja", progress.failures[0].key)).not.toBe(translate("en", progress.failures[0].key));
  }, 90_000);

  it("cancel stops the batches not yet sent and ends cancelled with what was sent", async () => {
    await friends(20_000);
    // Each batch takes LINE 1.5 s: when the merchant cancels, some are on their way and most are still waiting.
    lineFake().delayNext(40, 1_500, { path: "/v2/bot/message/multicast" });
    await withWorkers(async () => {
      const broadcast = await startNow();
      await waitUntil(() => Promise.resolve(received().length > 0), 30_000);
      const cancelled = await cancelBroadcast(shop, broadcast.id);
      expect(cancelled.ok).toBe(true);
      await waitUntil(async () => (await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).finishedAt, 30_000);
      const progress = await broadcastProgress(shop, broadcast.id);
      expect(await status(broadcast.id)).toBe("cancelled");
      expect(progress.batches.cancelled).toBeGreaterThan(0);
      expect(progress.recipients.accepted).toBe(received().length);
      expect(progress.recipients.accepted + progress.recipients.cancelled).toBe(20_000);
    });
  }, 90_000);
});

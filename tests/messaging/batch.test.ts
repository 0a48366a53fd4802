// Deliveries sent as one batch (sendDeliveries): the same rules, quota ledger, budget, claim and records as one
// delivery, each delivery with its own outcome, in input order.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { takeSlots } from "~/messaging/budget.server";
import { recordDeliveries, type NewDelivery } from "~/messaging/deliveries.server";
import { quotaStatus } from "~/messaging/quota.server";
import { sendDeliveries } from "~/messaging/send.server";
import { textMessages } from "~/messaging/types";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";

const pushRequests = () => lineFake().requests.filter((r) => /^\/v2\/bot\/message\/(push|multicast)$/.test(r.path));
const row = (id: string) => db.delivery.findUniqueOrThrow({ where: { id } });

async function world(options: { quota?: { type: "none" | "limited"; value?: number } } = {}) {
  const { shop } = await createShop(db);
  const connected = await connectedAccount(db, shop);
  if (options.quota) connected.channel.quota = options.quota;
  const friend = (overrides: { followStatus?: string; operatorBlockedAt?: Date } = {}) =>
    db.friend.create({ data: { shop, lineAccountId: connected.account.id, lineUserId: lineUserId(), followStatus: "following", ...overrides } });
  const delivery = (recipients: string[]): NewDelivery => ({
    shop, lineAccountId: connected.account.id, kind: "test", channel: recipients.length > 1 ? "multicast" : "push",
    sourceId: "batch", recipients, messages: textMessages(["Hello"]),
  });
  const record = async (recipientLists: string[][]) => (await recordDeliveries(recipientLists.map(delivery))).map((d) => d.id);
  return { shop, ...connected, friend, record };
}

const budget = env.LINE_PUSH_PER_SECOND;
beforeEach(() => lineFake().reset());
afterEach(() => {
  env.LINE_PUSH_PER_SECOND = budget;
});

describe("a batch", () => {
  it("applies the rules to each delivery and answers each in input order", async () => {
    const w = await world();
    const [a, blocked, staffBlocked, b] = [await w.friend(), await w.friend({ followStatus: "blocked" }), await w.friend({ operatorBlockedAt: new Date() }), await w.friend()];
    const ids = await w.record([[a.lineUserId], [blocked.lineUserId], [staffBlocked.lineUserId], [b.lineUserId, blocked.lineUserId]]);
    const [done] = await w.record([[a.lineUserId]]);
    await db.delivery.update({ where: { id: done }, data: { status: "sent" } });

    const outcomes = await sendDeliveries([...ids, done, "no-such-delivery"]);
    expect(outcomes).toEqual([
      expect.objectContaining({ status: "sent", excluded: 0 }),
      { status: "skipped", reason: "not-following" },
      { status: "skipped", reason: "operator-blocked" },
      expect.objectContaining({ status: "sent", excluded: 1 }),
      { status: "not-pending", current: "sent" },
      { status: "not-pending", current: "missing" },
    ]);
    expect(lineFake().sent(w.channel.channelId).map((d) => [d.kind, d.to])).toEqual(
      expect.arrayContaining([["push", [a.lineUserId]], ["multicast", [b.lineUserId]]]),
    );
    expect(pushRequests()).toHaveLength(2);
    const rows = await Promise.all(ids.map(row));
    expect(rows.map((r) => [r.status, r.reason, r.attempts, r.quotaCost, r.excluded])).toEqual([
      ["sent", null, 1, 1, 0],
      ["skipped", "not-following", 0, 0, 0],
      ["skipped", "operator-blocked", 0, 0, 0],
      ["sent", null, 1, 1, 1],
    ]);
    // Every request carried its own row's retry key.
    expect(pushRequests().map((r) => r.headers["x-line-retry-key"]).sort()).toEqual([rows[0].retryKey, rows[3].retryKey].sort());
  });

  it("takes no more than the quota's room, in the batch's order, and skips the rest without asking LINE", async () => {
    const w = await world({ quota: { type: "limited", value: 3 } });
    const friends = await Promise.all(Array.from({ length: 8 }, () => w.friend()));
    await quotaStatus(w.account.id, { refresh: true });
    const ids = await w.record(friends.map((f) => [f.lineUserId]));

    const outcomes = await sendDeliveries(ids);
    expect(outcomes.map((o) => o.status)).toEqual(["sent", "sent", "sent", "skipped", "skipped", "skipped", "skipped", "skipped"]);
    expect(outcomes.slice(3)).toEqual(Array(5).fill({ status: "skipped", reason: "quota-exhausted" }));
    expect(pushRequests()).toHaveLength(3);
    expect((await db.lineQuota.findUniqueOrThrow({ where: { lineAccountId: w.account.id } })).sentSince).toBe(3);
    expect(await quotaStatus(w.account.id)).toMatchObject({ used: 3, remaining: 0 });
  });

  it("sends what the channel's budget admits this second and hands the rest back throttled, or waits for it when asked", async () => {
    const w = await world();
    const friends = await Promise.all(Array.from({ length: 5 }, () => w.friend()));
    env.LINE_PUSH_PER_SECOND = 2;

    const first = await w.record(friends.map((f) => [f.lineUserId]));
    const outcomes = await sendDeliveries(first);
    const sent = outcomes.filter((o) => o.status === "sent");
    const throttled = outcomes.filter((o) => o.status === "throttled");
    expect([sent.length, throttled.length]).toEqual([2, 3]);
    expect(throttled).toEqual(Array(throttled.length).fill(expect.objectContaining({ requested: false })));
    // Held back before any request: not claimed, no attempt counted.
    const held = await Promise.all(first.filter((_, index) => outcomes[index].status === "throttled").map(row));
    expect(held.map((r) => [r.status, r.attempts, r.claimedAt])).toEqual(Array(held.length).fill(["scheduled", 0, null]));

    const again = await sendDeliveries(first, { waitForBudgetMs: 1_000 });
    expect(again.filter((o) => o.status === "sent")).toHaveLength(throttled.length);
    expect(lineFake().sent(w.channel.channelId)).toHaveLength(5);
  });
});

describe("takeSlots", () => {
  it("grants what is left of the second to a batch and points the rest at the next second", async () => {
    const now = Date.UTC(2026, 10, 21, 9, 0, 0, 250);
    const account = `slots-${now}-${Math.random()}`;
    expect(await takeSlots(account, "push", 3, 5, now)).toEqual({ granted: 3, retryAt: null });
    expect(await takeSlots(account, "push", 4, 5, now + 10)).toEqual({ granted: 2, retryAt: new Date(Date.UTC(2026, 10, 21, 9, 0, 1)) });
    expect(await takeSlots(account, "push", 1, 5, now + 20)).toEqual({ granted: 0, retryAt: new Date(Date.UTC(2026, 10, 21, 9, 0, 1)) });
    expect(await takeSlots(account, "push", 6, 5, now + 1_000)).toEqual({ granted: 5, retryAt: new Date(Date.UTC(2026, 10, 21, 9, 0, 2)) });
  });
});

// The step engine over the real PostgreSQL and the LINE fake, ticked at chosen instants: delays, conditions,
// actions, quiet hours, the quota (waiting, recovery, the lateness limit), editing during runs, stopping.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startScenarioForFriend } from "~/scenarios/scenarios.server";
import { lineFake } from "../support/line";
import { after, friendOf, minutes, runsOf, scenarioOf, setUp, step, textsOf, tick, type Setup } from "./helpers";

let setup: Setup;

beforeEach(async () => {
  lineFake().reset();
  setup = await setUp();
});

async function start(scenarioId: string, friendId: string) {
  const started = await startScenarioForFriend(setup.shop, scenarioId, friendId);
  if ("errors" in started) throw new Error(JSON.stringify(started.errors));
  return db.scenarioRun.findUniqueOrThrow({ where: { id: started.runId } });
}

describe("relative delays", () => {
  it("sends each step once when due, from the previous step or from the start", async () => {
    const scenario = await scenarioOf(setup, {
      steps: [step(after(0), "one"), step(after(10), "two"), step(after(30, "minutes", "start"), "three")],
    });
    const friend = await friendOf(setup);
    const run = await start(scenario.id, friend.id);
    const t0 = run.startedAt;
    await tick(t0);
    expect(textsOf(setup, friend)).toEqual(["one"]);
    await tick(minutes(t0, 9));
    expect(textsOf(setup, friend)).toEqual(["one"]);
    await tick(minutes(t0, 10));
    expect(textsOf(setup, friend)).toEqual(["one", "two"]);
    await tick(minutes(t0, 29));
    await tick(minutes(t0, 29));
    expect(textsOf(setup, friend)).toEqual(["one", "two"]);
    await tick(minutes(t0, 30));
    await tick(minutes(t0, 31));
    expect(textsOf(setup, friend)).toEqual(["one", "two", "three"]);
    const done = await db.scenarioRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(done).toMatchObject({ status: "finished", endReason: "scenarios.end.finished", nextDueAt: null });
    const deliveries = await db.delivery.findMany({ where: { kind: "step", sourceId: run.id } });
    expect(deliveries.map((d) => d.status)).toEqual(["sent", "sent", "sent"]);
  });
});

describe("day N at HH:MM in the shop's time zone", () => {
  it("goes at the local time across a DST change (America/New_York)", async () => {
    setup = await setUp({ timeZone: "America/New_York" });
    const scenario = await scenarioOf(setup, { steps: [step({ kind: "dayAt", day: 1, time: "09:00" }, "morning"), step(after(1, "days"), "next day")] });
    const friend = await friendOf(setup);
    const run = await start(scenario.id, friend.id);
    // Started on Saturday 2026-03-07 at 10:00 EST; the clocks go forward that night.
    await db.scenarioRun.update({ where: { id: run.id }, data: { startedAt: new Date("2026-03-07T15:00:00Z"), nextDueAt: new Date("2026-03-07T15:00:00Z") } });
    await tick(new Date("2026-03-07T15:00:00Z"));
    expect(textsOf(setup, friend)).toEqual([]);
    // 09:00 EDT is 13:00 UTC (not 14:00, as it would have been the day before).
    await tick(new Date("2026-03-08T12:59:59Z"));
    expect(textsOf(setup, friend)).toEqual([]);
    await tick(new Date("2026-03-08T13:00:00Z"));
    expect(textsOf(setup, friend)).toEqual(["morning"]);
    await tick(new Date("2026-03-09T12:59:00Z"));
    expect(textsOf(setup, friend)).toEqual(["morning"]);
    await tick(new Date("2026-03-09T13:00:00Z"));
    expect(textsOf(setup, friend)).toEqual(["morning", "next day"]);
    const steps = await db.scenarioRunStep.findMany({ where: { runId: run.id }, orderBy: { dueAt: "asc" } });
    expect(steps.map((s) => s.dueAt.toISOString())).toEqual(["2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
  });
});

describe("quiet hours", () => {
  it("a step due at 03:00 goes at the window's end", async () => {
    const scenario = await scenarioOf(setup, { quietHours: true, quietStart: "22:00", quietEnd: "08:00", steps: [step(after(0), "hello")] });
    const friend = await friendOf(setup);
    const run = await start(scenario.id, friend.id);
    // 03:00 in Tokyo (UTC+9) is 18:00 UTC the day before; the window ends at 08:00 Tokyo = 23:00 UTC.
    const at3 = new Date("2026-12-01T18:00:00Z");
    await db.scenarioRun.update({ where: { id: run.id }, data: { startedAt: at3, nextDueAt: at3 } });
    await tick(at3);
    await tick(new Date("2026-12-01T22:59:00Z"));
    expect(textsOf(setup, friend)).toEqual([]);
    expect((await db.scenarioRun.findUniqueOrThrow({ where: { id: run.id } })).nextDueAt?.toISOString()).toBe("2026-12-01T23:00:00.000Z");
    await tick(new Date("2026-12-01T23:00:00Z"));
    expect(textsOf(setup, friend)).toEqual(["hello"]);
  });
});

describe("conditions, evaluated when the step is due", () => {
  it("skip the step or end the run; tags, link and orders since the start", async () => {
    const vip = await db.tag.create({ data: { shop: setup.shop, name: "VIP" } });
    const scenario = await scenarioOf(setup, {
      steps: [
        step(after(0), "for vip", { condition: { type: "hasTag", tagId: vip.id }, onConditionFail: "skip" }),
        step(after(1), "linked only", { condition: { type: "linked" }, onConditionFail: "skip" }),
        step(after(1), "not ordered", { condition: { type: "notOrdered" }, onConditionFail: "end" }),
        step(after(1), "last"),
      ],
    });
    const plain = await friendOf(setup);
    const linkedBuyer = await friendOf(setup, { shopifyCustomerId: "701" });
    const runPlain = await start(scenario.id, plain.id);
    const runBuyer = await start(scenario.id, linkedBuyer.id);
    await db.friendTag.create({ data: { shop: setup.shop, friendId: linkedBuyer.id, tagId: vip.id } });
    const t0 = runPlain.startedAt;
    await tick(t0);
    // The buyer orders after the start (an order before the start does not count).
    await db.order.create({ data: { shop: setup.shop, orderId: "9001", customerId: "701", currency: "JPY", totalPrice: 1000, processedAt: minutes(t0, -60) } });
    await tick(minutes(t0, 1));
    await db.order.create({ data: { shop: setup.shop, orderId: "9002", customerId: "701", currency: "JPY", totalPrice: 1000, processedAt: minutes(t0, 1) } });
    await tick(minutes(t0, 2));
    await tick(minutes(t0, 3));
    expect(textsOf(setup, plain)).toEqual(["not ordered", "last"]);
    expect(textsOf(setup, linkedBuyer)).toEqual(["for vip", "linked only"]);
    const skipped = await db.scenarioRunStep.findMany({ where: { status: "skipped" }, orderBy: { dueAt: "asc" } });
    expect(skipped.map((s) => [s.runId, s.reason])).toEqual([
      [runPlain.id, "condition"],
      [runPlain.id, "condition"],
      [runBuyer.id, "condition"],
    ]);
    expect(await db.scenarioRun.findUniqueOrThrow({ where: { id: runBuyer.id } })).toMatchObject({ status: "exited", endReason: "scenarios.end.condition" });
    expect(await db.scenarioRun.findUniqueOrThrow({ where: { id: runPlain.id } })).toMatchObject({ status: "finished" });
  });
});

describe("actions", () => {
  it("add and remove tags when the step is sent, with the scenario as their source", async () => {
    const [welcomed, prospect] = await Promise.all(["welcomed", "prospect"].map((name) => db.tag.create({ data: { shop: setup.shop, name } })));
    const scenario = await scenarioOf(setup, { steps: [step(after(0), "hi", { actions: { addTagIds: [welcomed.id], removeTagIds: [prospect.id] } })] });
    const friend = await friendOf(setup);
    await db.friendTag.create({ data: { shop: setup.shop, friendId: friend.id, tagId: prospect.id } });
    const run = await start(scenario.id, friend.id);
    await tick(run.startedAt);
    const tags = await db.friendTag.findMany({ where: { friendId: friend.id } });
    expect(tags.map((t) => [t.tagId, t.source])).toEqual([[welcomed.id, `step:${scenario.id}`]]);
  });
});

describe("the message quota", () => {
  async function limited(value: number, totalUsage = 0) {
    setup.channel.quota = { type: "limited", value };
    setup.channel.totalUsage = totalUsage;
  }
  /** LINE's figures are read again (as after QUOTA_STALE_MS). */
  const stale = () => db.lineQuota.updateMany({ data: { checkedAt: new Date(Date.now() - 3_600_000) } });

  it("waiting steps wait, shown as such, and go out once when quota is back within the lateness limit", async () => {
    await limited(1);
    const scenario = await scenarioOf(setup, { steps: [step(after(0), "hi")] });
    const [a, b] = [await friendOf(setup), await friendOf(setup)];
    const runA = await start(scenario.id, a.id);
    await tick(runA.startedAt);
    expect(textsOf(setup, a)).toEqual(["hi"]);
    const runB = await start(scenario.id, b.id);
    const t0 = runB.startedAt;
    await tick(t0);
    expect(textsOf(setup, b)).toEqual([]);
    expect(await db.scenarioRunStep.findFirstOrThrow({ where: { runId: runB.id } })).toMatchObject({ status: "waiting", deliveryId: null });
    expect(await db.delivery.count({ where: { sourceId: runB.id } })).toBe(0);
    // Still none left after the recheck: still waiting, no delivery, nothing sent.
    await stale();
    await tick(minutes(t0, 2));
    expect(await db.scenarioRunStep.findFirstOrThrow({ where: { runId: runB.id } })).toMatchObject({ status: "waiting" });
    // The merchant buys more messages.
    await limited(10, 1);
    await stale();
    await tick(minutes(t0, 4));
    expect(textsOf(setup, b)).toEqual(["hi"]);
    expect(await db.scenarioRunStep.findFirstOrThrow({ where: { runId: runB.id } })).toMatchObject({ status: "queued", dueAt: t0 });
    await tick(minutes(t0, 6));
    expect(textsOf(setup, b)).toEqual(["hi"]);
  });

  it("skips a step held back longer than the lateness limit, with that reason", async () => {
    await limited(0);
    const scenario = await scenarioOf(setup, { latenessHours: 2, steps: [step(after(0), "hi"), step(after(1, "days"), "later")] });
    const friend = await friendOf(setup);
    const run = await start(scenario.id, friend.id);
    // The ledger knows the quota is gone (LINE said so on an earlier send).
    await db.lineQuota.create({ data: { lineAccountId: setup.account.id, shop: setup.shop, type: "limited", monthlyLimit: 0, usedAtCheck: 0, checkedAt: new Date(), month: (await import("~/messaging/quota.server")).quotaMonth(new Date()) } });
    await tick(run.startedAt);
    expect((await db.scenarioRunStep.findFirstOrThrow({ where: { runId: run.id } })).status).toBe("waiting");
    await limited(10);
    await stale();
    await tick(minutes(run.startedAt, 121));
    expect(textsOf(setup, friend)).toEqual([]);
    const first = await db.scenarioRunStep.findFirstOrThrow({ where: { runId: run.id } });
    expect(first).toMatchObject({ status: "skipped", reason: "late", deliveryId: null });
    // The run goes on: the next step is due a day after the skipped one.
    expect((await db.scenarioRun.findUniqueOrThrow({ where: { id: run.id } })).nextDueAt?.getTime()).toBe(run.startedAt.getTime() + 86_400_000);
  });

  it("a send LINE refuses for the monthly limit is recorded, waits, and goes once when quota is back", async () => {
    // The ledger shows room, but LINE counted messages sent elsewhere: LINE answers 429 "monthly limit".
    await limited(5, 5);
    await db.lineQuota.create({ data: { lineAccountId: setup.account.id, shop: setup.shop, type: "limited", monthlyLimit: 5, usedAtCheck: 0, checkedAt: new Date(), month: (await import("~/messaging/quota.server")).quotaMonth(new Date()) } });
    const scenario = await scenarioOf(setup, { steps: [step(after(0), "hi")] });
    const friend = await friendOf(setup);
    const run = await start(scenario.id, friend.id);
    await tick(run.startedAt);
    const delivery = await db.delivery.findFirstOrThrow({ where: { sourceId: run.id } });
    expect(delivery).toMatchObject({ status: "skipped", reason: "quota-exhausted" });
    await tick(minutes(run.startedAt, 1));
    expect(await db.scenarioRunStep.findFirstOrThrow({ where: { runId: run.id } })).toMatchObject({ status: "waiting", deliveryId: delivery.id });
    await limited(50, 5);
    await stale();
    await tick(minutes(run.startedAt, 3));
    await tick(minutes(run.startedAt, 4));
    expect(textsOf(setup, friend)).toEqual(["hi"]);
    expect(await db.delivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "sent" });
    expect(await db.delivery.count({ where: { sourceId: run.id } })).toBe(1);
  });
});

describe("sending exactly once", () => {
  it("a batch processed again (a crash before commit) finds the same delivery by its retry key", async () => {
    const scenario = await scenarioOf(setup, { steps: [step(after(0), "once")] });
    const friend = await friendOf(setup);
    const run = await start(scenario.id, friend.id);
    await tick(run.startedAt);
    // As if the transaction had rolled back after the delivery was stored: the run step and the run's move are undone.
    await db.scenarioRunStep.deleteMany({ where: { runId: run.id } });
    await db.scenarioRun.update({ where: { id: run.id }, data: { status: "active", nextPosition: 0, nextDueAt: run.startedAt, endedAt: null, endReason: null } });
    await tick(run.startedAt);
    expect(textsOf(setup, friend)).toEqual(["once"]);
    expect(await db.delivery.count({ where: { sourceId: run.id } })).toBe(1);
    expect((await db.scenarioRunStep.findFirstOrThrow({ where: { runId: run.id } })).deliveryId).toBe((await db.delivery.findFirstOrThrow({ where: { sourceId: run.id } })).id);
  });

  it("a permanent failure is recorded on the step with LINE's reason and never sent again", async () => {
    const scenario = await scenarioOf(setup, { steps: [step(after(0), "one"), step(after(1), "two")] });
    const friend = await db.friend.create({ data: { shop: setup.shop, lineAccountId: setup.account.id, lineUserId: "not-a-line-user", followStatus: "following" } });
    const run = await start(scenario.id, friend.id);
    await tick(run.startedAt);
    await tick(minutes(run.startedAt, 1));
    await tick(minutes(run.startedAt, 5));
    const deliveries = await db.delivery.findMany({ where: { sourceId: run.id } });
    expect(deliveries.map((d) => d.status)).toEqual(["failed", "failed"]);
    expect(deliveries[0]).toMatchObject({ errorStatus: 400, reason: expect.stringContaining("'to'") });
    expect(lineFake().requests.filter((r) => r.path === "/v2/bot/message/push").length).toBe(2);
    expect((await db.scenarioRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("finished");
  });
});

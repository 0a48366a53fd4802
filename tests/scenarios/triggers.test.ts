// Triggers and exit rules through the friend-change path (app/friends/changes.server.ts): follow (and the three
// re-follow choices), tag added, linked, first / any order, by hand for a friend or a segment; each start keyed on
// its event, so a retried announcement starts nothing; the re-entry rule; the loop guard; every exit rule.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { friendsChanged } from "~/friends/changes.server";
import { blockFriend } from "~/friends/friends.server";
import { addTagToFriend, removeTagFromFriend } from "~/tags/tags.server";
import { startScenarioForFriend, startScenarioForSegment } from "~/scenarios/scenarios.server";
import { lineFake } from "../support/line";
import { after, friendOf, runsOf, scenarioOf, setUp, step, textsOf, tick, type Setup } from "./helpers";

let setup: Setup;

beforeEach(async () => {
  lineFake().reset();
  setup = await setUp();
});

const tag = (name: string) => db.tag.create({ data: { shop: setup.shop, name } });
const oneStep = [step(after(0), "hello")];

describe("triggers", () => {
  it("follow starts a run once per follow event; re-follows restart, continue or are ignored as chosen", async () => {
    const first = await scenarioOf(setup, { name: "ignore", trigger: { type: "follow", refollow: "ignore" }, steps: [step(after(60), "later")] });
    const restart = await scenarioOf(setup, { name: "restart", trigger: { type: "follow", refollow: "restart" }, steps: [step(after(60), "later")] });
    const cont = await scenarioOf(setup, { name: "continue", trigger: { type: "follow", refollow: "continue" }, steps: [step(after(60), "later")] });
    const friend = await friendOf(setup);
    await friendsChanged(setup.shop, [friend.id], { type: "followed", refollow: false, eventId: "ev-1" });
    // A retried job announces the same event again.
    await friendsChanged(setup.shop, [friend.id], { type: "followed", refollow: false, eventId: "ev-1" });
    for (const s of [first, restart, cont]) expect((await runsOf(s.id)).map((r) => r.status)).toEqual(["active"]);

    await friendsChanged(setup.shop, [friend.id], { type: "followed", refollow: true, eventId: "ev-2" });
    await friendsChanged(setup.shop, [friend.id], { type: "followed", refollow: true, eventId: "ev-2" });
    expect((await runsOf(first.id)).map((r) => r.status)).toEqual(["active"]);
    expect((await runsOf(restart.id)).map((r) => [r.status, r.endReason, r.startedRef])).toEqual([
      ["stopped", "scenarios.end.restarted", "event:ev-1"],
      ["active", null, "event:ev-2"],
    ]);
    expect((await runsOf(cont.id)).map((r) => r.startedRef)).toEqual(["event:ev-1"]);
  });

  it("tag added (the real tag path), linked, first order and any order", async () => {
    const vip = await tag("VIP");
    const byTag = await scenarioOf(setup, { name: "tag", trigger: { type: "tagAdded", tagId: vip.id }, steps: oneStep });
    const byLink = await scenarioOf(setup, { name: "link", trigger: { type: "linked" }, steps: oneStep });
    const byFirst = await scenarioOf(setup, { name: "first", trigger: { type: "order", first: true }, allowReentry: true, steps: oneStep });
    const byAny = await scenarioOf(setup, { name: "any", trigger: { type: "order", first: false }, allowReentry: true, steps: oneStep });
    const friend = await friendOf(setup, { shopifyCustomerId: "55" });
    await addTagToFriend(setup.shop, friend.id, vip.id);
    await addTagToFriend(setup.shop, friend.id, vip.id);
    await friendsChanged(setup.shop, [friend.id], { type: "linked", customerId: "55" });
    await friendsChanged(setup.shop, [friend.id], { type: "ordered", orderId: "o1", first: true });
    await friendsChanged(setup.shop, [friend.id], { type: "ordered", orderId: "o1", first: true });
    expect((await runsOf(byTag.id)).map((r) => r.startedBy)).toEqual(["tagAdded"]);
    expect((await runsOf(byLink.id)).map((r) => r.startedRef)).toEqual(["customer:55"]);
    expect((await runsOf(byFirst.id)).map((r) => r.startedRef)).toEqual(["order:o1"]);
    expect((await runsOf(byAny.id)).map((r) => r.startedRef)).toEqual(["order:o1"]);
    await tick(new Date());
    // The second order: "any order" starts again (re-entry allowed, the first run finished); "first order" does not.
    await friendsChanged(setup.shop, [friend.id], { type: "ordered", orderId: "o2", first: false });
    expect((await runsOf(byFirst.id)).map((r) => r.startedRef)).toEqual(["order:o1"]);
    expect((await runsOf(byAny.id)).map((r) => r.startedRef)).toEqual(["order:o1", "order:o2"]);
    expect(textsOf(setup, friend)).toEqual(["hello", "hello", "hello", "hello"]);
  });

  it("nothing starts for an off scenario, a blocked friend, or another account's friend", async () => {
    const vip = await tag("VIP");
    const off = await scenarioOf(setup, { status: "off", trigger: { type: "tagAdded", tagId: vip.id }, steps: oneStep });
    const on = await scenarioOf(setup, { name: "on", trigger: { type: "tagAdded", tagId: vip.id }, steps: oneStep });
    const blocked = await friendOf(setup, { followStatus: "blocked" });
    const other = await setUp();
    const stranger = await db.friend.create({ data: { shop: setup.shop, lineAccountId: (await (await import("../support/line")).connectedAccount(db, setup.shop)).account.id, lineUserId: "U" + "0".repeat(32), followStatus: "following" } });
    await addTagToFriend(setup.shop, blocked.id, vip.id);
    await addTagToFriend(setup.shop, stranger.id, vip.id);
    expect(await runsOf(off.id)).toEqual([]);
    expect(await runsOf(on.id)).toEqual([]);
    expect(other.shop).not.toBe(setup.shop);
  });

  it("by hand for a friend, and for a segment frozen when started", async () => {
    const scenario = await scenarioOf(setup, { steps: oneStep });
    const vip = await tag("VIP");
    const [a, b, c] = [await friendOf(setup), await friendOf(setup), await friendOf(setup)];
    for (const f of [a, b]) await db.friendTag.create({ data: { shop: setup.shop, friendId: f.id, tagId: vip.id } });
    const segment = await db.segment.create({
      data: { shop: setup.shop, name: "VIPs", definition: { match: "all", groups: [{ match: "all", conditions: [{ field: "tags", op: "any", tagIds: [vip.id] }] }] } },
    });
    expect(await startScenarioForFriend(setup.shop, scenario.id, c.id)).toMatchObject({ runId: expect.any(String) });
    expect(await startScenarioForFriend(setup.shop, scenario.id, c.id)).toEqual({ errors: { form: "scenarios.error.alreadyRunning" } });
    expect(await startScenarioForSegment(setup.shop, scenario.id, segment.id)).toEqual({ started: 2 });
    // Joining the segment later does not join the started audience.
    await db.friendTag.create({ data: { shop: setup.shop, friendId: c.id, tagId: vip.id } });
    expect(await startScenarioForSegment(setup.shop, scenario.id, segment.id)).toEqual({ started: 0 });
    expect((await runsOf(scenario.id)).length).toBe(3);
  });
});

describe("re-entry", () => {
  it("a friend is in one run at a time, and enters again after it ended only when re-entry is allowed", async () => {
    const vip = await tag("VIP");
    const once = await scenarioOf(setup, { name: "once", trigger: { type: "tagAdded", tagId: vip.id }, steps: oneStep });
    const again = await scenarioOf(setup, { name: "again", trigger: { type: "tagAdded", tagId: vip.id }, allowReentry: true, steps: [step(after(0), "hi"), step(after(60), "bye")] });
    const friend = await friendOf(setup);
    await addTagToFriend(setup.shop, friend.id, vip.id);
    await tick(new Date());
    await removeTagFromFriend(setup.shop, friend.id, vip.id);
    await addTagToFriend(setup.shop, friend.id, vip.id);
    // "again" is still active (its second step waits): no second run at once.
    expect((await runsOf(again.id)).map((r) => r.status)).toEqual(["active"]);
    expect((await runsOf(once.id)).map((r) => r.status)).toEqual(["finished"]);
    await tick(new Date(Date.now() + 61 * 60_000));
    await removeTagFromFriend(setup.shop, friend.id, vip.id);
    await addTagToFriend(setup.shop, friend.id, vip.id);
    expect((await runsOf(again.id)).map((r) => r.status)).toEqual(["finished", "active"]);
    expect((await runsOf(once.id)).map((r) => r.status)).toEqual(["finished"]);
  });
});

describe("the loop guard", () => {
  const removes = (tagId: string) => ({ addTagIds: [], removeTagIds: [tagId] });
  const adds = (tagId: string) => ({ addTagIds: [tagId], removeTagIds: [] });

  it("a scenario cannot start itself through its own actions", async () => {
    const x = await tag("X");
    // Its steps take X away and give it back: without the guard each run would start the next, forever.
    const self = await scenarioOf(setup, { trigger: { type: "tagAdded", tagId: x.id }, allowReentry: true, steps: [step(after(0), "1", { actions: removes(x.id) }), step(after(0), "2", { actions: adds(x.id) })] });
    const friend = await friendOf(setup);
    await addTagToFriend(setup.shop, friend.id, x.id);
    for (let i = 0; i < 6; i += 1) await tick(new Date(Date.now() + i * 60_000));
    expect((await runsOf(self.id)).map((r) => r.status)).toEqual(["finished"]);
    expect(textsOf(setup, friend)).toEqual(["1", "2"]);
    expect(await db.friendTag.findFirst({ where: { friendId: friend.id, tagId: x.id } })).toMatchObject({ source: `step:${self.id}` });
  });

  it("a chain of scenarios starting each other visits each scenario once", async () => {
    const [x, y] = [await tag("X"), await tag("Y")];
    const a = await scenarioOf(setup, { name: "A", trigger: { type: "tagAdded", tagId: x.id }, allowReentry: true, steps: [step(after(0), "A1", { actions: removes(y.id) }), step(after(0), "A2", { actions: adds(y.id) })] });
    const b = await scenarioOf(setup, { name: "B", trigger: { type: "tagAdded", tagId: y.id }, allowReentry: true, steps: [step(after(0), "B1", { actions: removes(x.id) }), step(after(0), "B2", { actions: adds(x.id) })] });
    const friend = await friendOf(setup);
    await addTagToFriend(setup.shop, friend.id, x.id);
    for (let i = 0; i < 8; i += 1) await tick(new Date(Date.now() + i * 60_000));
    // X by hand → A → Y (step:A) → B → X (step:B,A): A is in the chain, so it does not start again.
    expect((await runsOf(a.id)).map((r) => [r.status, r.cause])).toEqual([["finished", null]]);
    expect((await runsOf(b.id)).map((r) => [r.status, r.cause])).toEqual([["finished", a.id]]);
    expect(textsOf(setup, friend)).toEqual(["A1", "A2", "B1", "B2"]);
  });
});

describe("exit rules", () => {
  it("blocked, staff blocked, tag added, tag removed and ordered end the run and cancel its scheduled send", async () => {
    const [stop, keep] = [await tag("stop"), await tag("keep")];
    const scenario = await scenarioOf(setup, {
      exitRules: [{ type: "blocked" }, { type: "staffBlocked" }, { type: "tagAdded", tagId: stop.id }, { type: "tagRemoved", tagId: keep.id }, { type: "ordered" }],
      steps: [step(after(0), "first"), step(after(60), "second")],
    });
    const friends = await Promise.all(Array.from({ length: 5 }, () => friendOf(setup)));
    for (const f of friends) {
      await db.friendTag.create({ data: { shop: setup.shop, friendId: f.id, tagId: keep.id } });
      await startScenarioForFriend(setup.shop, scenario.id, f.id);
    }
    await tick(new Date());
    await friendsChanged(setup.shop, [friends[0].id], { type: "blocked" });
    await blockFriend(setup.shop, friends[1].id);
    await addTagToFriend(setup.shop, friends[2].id, stop.id);
    await removeTagFromFriend(setup.shop, friends[3].id, keep.id);
    await friendsChanged(setup.shop, [friends[4].id], { type: "ordered", orderId: "o9", first: true });
    const runs = await runsOf(scenario.id);
    expect(runs.map((r) => [r.status, r.endReason])).toEqual(
      expect.arrayContaining([
        ["exited", "scenarios.end.blocked"],
        ["exited", "scenarios.end.staffBlocked"],
        ["exited", "scenarios.end.tagAdded"],
        ["exited", "scenarios.end.tagRemoved"],
        ["exited", "scenarios.end.ordered"],
      ]),
    );
    await tick(new Date(Date.now() + 61 * 60_000));
    for (const f of friends) expect(textsOf(setup, f)).toEqual(["first"]);
  });
});

// The scenario domain API: validation with i18n keys, another shop's ids, editing while runs are in flight (a step
// added or changed later applies to runs not yet at it; a deleted one is skipped "deleted"), stopping a run or the
// whole scenario (scheduled sends cancelled), the per-step results and the per-friend tracked links.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { translate } from "~/i18n/messages";
import { loader as redirectLoader } from "~/routes/r.$code";
import {
  deleteScenario,
  getScenario,
  listScenarios,
  runsOfFriend,
  saveScenario,
  setScenarioStatus,
  startScenarioForFriend,
  startScenarioForSegment,
  stepResults,
  stopRun,
} from "~/scenarios/scenarios.server";
import { processDueBatch } from "~/scenarios/engine.server";
import { lineFake } from "../support/line";
import { snapshotShop } from "../support/tenant";
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

const inputOf = (scenario: Awaited<ReturnType<typeof scenarioOf>>) => ({
  name: scenario.name,
  lineAccountId: scenario.lineAccountId,
  status: scenario.status as "on" | "off",
  trigger: scenario.trigger,
  quietHours: false,
  steps: scenario.steps.map((s) => ({ id: s.id, delay: s.delay, messages: s.messages, condition: s.condition, onConditionFail: s.onConditionFail, actions: s.actions })),
});

describe("saving", () => {
  it("answers bad input with i18n keys per field, in both languages", async () => {
    const result = await saveScenario(setup.shop, null, {
      name: "",
      lineAccountId: setup.account.id,
      trigger: { type: "tagAdded", tagId: "" },
      quietStart: "25:00",
      latenessHours: 0,
      steps: [{ delay: { kind: "dayAt", day: 1, time: "9am" }, messages: [{ type: "text", text: "" }] }],
    });
    expect(result).toEqual({
      errors: {
        name: "scenarios.error.name",
        "trigger.tagId": "scenarios.error.triggerTag",
        quietStart: "scenarios.error.quietTime",
        latenessHours: "scenarios.error.lateness",
        "steps.0.delay.time": "scenarios.error.delayTime",
        "steps.0.messages.0.text": "messagesComposer.error.textRequired",
      },
    });
    for (const key of Object.values((result as { errors: Record<string, string> }).errors)) {
      expect(translate("ja", key as never)).not.toBe(translate("en", key as never));
    }
  });

  it("refuses another shop's account and tags, and a step id that is not the scenario's", async () => {
    const other = await setUp();
    const foreignTag = await db.tag.create({ data: { shop: other.shop, name: "VIP" } });
    const result = await saveScenario(setup.shop, null, {
      name: "x",
      lineAccountId: other.account.id,
      trigger: { type: "tagAdded", tagId: foreignTag.id },
      steps: [step(after(0), "hi", { actions: { addTagIds: [foreignTag.id], removeTagIds: [] } })],
    });
    expect(result).toEqual({ errors: { lineAccountId: "scenarios.error.account", "trigger.tagId": "scenarios.error.tagGone", "steps.0.actions.addTagIds": "scenarios.error.tagGone" } });
    const mine = await scenarioOf(setup, { steps: [step(after(0), "hi")] });
    const theirs = await scenarioOf(other, { steps: [step(after(0), "hi")] });
    const stolen = await saveScenario(setup.shop, mine.id, { ...inputOf(mine), steps: [{ ...inputOf(mine).steps[0], id: theirs.steps[0].id }] });
    expect(stolen).toEqual({ errors: { "steps.0.id": "scenarios.error.stepGone" } });
  });

  it("another shop's ids find nothing and change nothing", async () => {
    const other = await setUp();
    const theirs = await scenarioOf(other, { steps: [step(after(60), "hi")] });
    const theirFriend = await friendOf(other);
    const run = (await startScenarioForFriend(other.shop, theirs.id, theirFriend.id)) as { runId: string };
    const segment = await db.segment.create({ data: { shop: other.shop, name: "all", definition: { match: "all", groups: [] } } });
    const before = await snapshotShop(db, other.shop);
    expect(await getScenario(setup.shop, theirs.id)).toBeNull();
    expect(await saveScenario(setup.shop, theirs.id, inputOf(theirs))).toEqual({ errors: { form: "scenarios.error.notFound" } });
    expect(await setScenarioStatus(setup.shop, theirs.id, "off")).toBe(false);
    expect(await deleteScenario(setup.shop, theirs.id)).toBe(false);
    expect(await startScenarioForFriend(setup.shop, theirs.id, theirFriend.id)).toEqual({ errors: { form: "scenarios.error.notFound" } });
    expect(await startScenarioForSegment(setup.shop, theirs.id, segment.id)).toEqual({ errors: { form: "scenarios.error.notFound" } });
    expect(await stopRun(setup.shop, run.runId)).toBe(false);
    expect(await runsOfFriend(setup.shop, theirFriend.id)).toEqual([]);
    expect(await stepResults(setup.shop, theirs.id)).toBeNull();
    expect(await listScenarios(setup.shop)).toEqual([]);
    // My scenario, their friend: not started.
    const mine = await scenarioOf(setup, { steps: [step(after(0), "hi")] });
    expect(await startScenarioForFriend(setup.shop, mine.id, theirFriend.id)).toEqual({ errors: { form: "scenarios.error.friend" } });
    expect(await snapshotShop(db, other.shop)).toEqual(before);
  });
});

describe("editing while runs are in flight", () => {
  it("a later step added or changed applies to runs not yet at it; a deleted one is skipped; runs keep their place", async () => {
    const scenario = await scenarioOf(setup, { steps: [step(after(0), "one"), step(after(60), "two"), step(after(60), "three")] });
    const [early, late] = [await friendOf(setup), await friendOf(setup)];
    const runEarly = await start(scenario.id, early.id);
    const t0 = runEarly.startedAt;
    await tick(t0);
    await tick(minutes(t0, 60));
    // early has had "one" and "two"; late starts now and has had nothing.
    const runLate = await start(scenario.id, late.id);
    await db.scenarioRun.update({ where: { id: runLate.id }, data: { startedAt: minutes(t0, 60), nextDueAt: minutes(t0, 60) } });
    await tick(minutes(t0, 60));
    expect(textsOf(setup, early)).toEqual(["one", "two"]);
    expect(textsOf(setup, late)).toEqual(["one"]);

    // New order: "two" deleted, "three" now after 5 minutes, a new "zero" before everything and "four" at the end.
    const [one, , three] = scenario.steps;
    const input = inputOf(scenario);
    const saved = await saveScenario(setup.shop, scenario.id, {
      ...input,
      steps: [
        { delay: after(0), messages: [{ type: "text", text: "zero" }] },
        input.steps[0],
        { ...input.steps[2], delay: after(5) },
        { delay: after(1), messages: [{ type: "text", text: "four" }] },
      ],
    });
    if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
    expect(saved.scenario.steps.map((s) => s.id).slice(1, 3)).toEqual([one.id, three.id]);
    expect(await db.scenarioStep.findUniqueOrThrow({ where: { id: scenario.steps[1].id } })).toMatchObject({ deletedAt: expect.any(Date) });
    // late was waiting for "two": skipped as deleted; both go on with "three" (5 minutes after their last step).
    expect(await db.scenarioRunStep.findFirst({ where: { runId: runLate.id, stepId: scenario.steps[1].id } })).toMatchObject({ status: "skipped", reason: "deleted" });
    await tick(minutes(t0, 64));
    expect(textsOf(setup, late)).toEqual(["one"]);
    await tick(minutes(t0, 65));
    await tick(minutes(t0, 66));
    await tick(minutes(t0, 67));
    expect(textsOf(setup, early)).toEqual(["one", "two", "three", "four"]);
    expect(textsOf(setup, late)).toEqual(["one", "three", "four"]);
    const results = await stepResults(setup.shop, scenario.id);
    expect(results!.map((r) => [r.deleted, r.sent, r.skipped])).toEqual([
      [false, 0, {}],
      [false, 2, {}],
      [false, 2, {}],
      [false, 2, {}],
      [true, 1, { deleted: 1 }],
    ]);
  });
});

describe("stopping", () => {
  it("stop this run: ended with a reason, its scheduled send cancelled; turning the scenario off ends every run", async () => {
    const scenario = await scenarioOf(setup, { steps: [step(after(0), "one"), step(after(60), "two")] });
    const friends = [await friendOf(setup), await friendOf(setup), await friendOf(setup)];
    const runs = [];
    for (const f of friends) runs.push(await start(scenario.id, f.id));
    // The first step's deliveries exist but are not sent yet.
    await processDueBatch(runs[0].startedAt);
    expect(await stopRun(setup.shop, runs[0].id)).toBe(true);
    expect(await stopRun(setup.shop, runs[0].id)).toBe(false);
    expect(await db.scenarioRun.findUniqueOrThrow({ where: { id: runs[0].id } })).toMatchObject({ status: "stopped", endReason: "scenarios.end.stoppedByStaff" });
    expect(await db.delivery.findFirstOrThrow({ where: { sourceId: runs[0].id } })).toMatchObject({ status: "cancelled" });
    expect(await setScenarioStatus(setup.shop, scenario.id, "off")).toBe(true);
    expect((await runsOf(scenario.id)).map((r) => r.endReason).sort()).toEqual(["scenarios.end.scenarioOff", "scenarios.end.scenarioOff", "scenarios.end.stoppedByStaff"]);
    await tick(minutes(runs[0].startedAt, 120));
    expect(lineFake().sent(setup.channel.channelId)).toEqual([]);
    const view = await runsOfFriend(setup.shop, friends[0].id);
    expect(view).toMatchObject([{ status: "stopped", steps: [{ status: "skipped", reason: "ended" }] }]);
    expect(await startScenarioForFriend(setup.shop, scenario.id, friends[0].id)).toEqual({ errors: { form: "scenarios.error.notOn" } });
    expect(await deleteScenario(setup.shop, scenario.id)).toBe(true);
    expect(await db.scenarioRun.count({ where: { scenarioId: scenario.id } })).toBe(0);
  });
});

describe("tracked links and results", () => {
  it("each friend's links go through /r/:code with the UTM parameters and count a click for the friend and step", async () => {
    const scenario = await scenarioOf(setup, {
      utmParams: "utm_source=line&utm_medium=step&utm_campaign=welcome",
      steps: [step(after(0), "Hi {displayName}, see https://shop.example/new?x=1")],
    });
    const [a, b] = [await friendOf(setup, { displayName: "Aiko" }), await friendOf(setup, { displayName: "Ben" })];
    await start(scenario.id, a.id);
    await start(scenario.id, b.id);
    await tick(new Date());
    const [textA] = textsOf(setup, a);
    const [textB] = textsOf(setup, b);
    expect(textA.startsWith(`Hi Aiko, see ${env.SHOPIFY_APP_URL}/r/`)).toBe(true);
    expect(textA.split("/r/")[1]).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const codeA = textA.split("/r/")[1];
    expect(textB.split("/r/")[1]).not.toBe(codeA);
    const response = (await redirectLoader({ params: { code: codeA }, request: new Request(`http://localhost/r/${codeA}`), context: {} } as never)) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe(`https://shop.example/new?x=1&utm_source=line&utm_medium=step&utm_campaign=welcome&lc=${codeA}`);
    expect(await db.linkClick.findMany({ where: { shop: setup.shop } })).toEqual([
      expect.objectContaining({ kind: "step", sourceId: scenario.steps[0].id, friendId: a.id, deliveryId: expect.any(String) }),
    ]);
    const [result] = (await stepResults(setup.shop, scenario.id))!;
    expect(result).toMatchObject({ sent: 2, clicks: 1, clickers: 1, failed: 0, waiting: 0 });
    const list = await listScenarios(setup.shop);
    expect(list).toMatchObject([{ id: scenario.id, steps: 1, runs: { active: 0, finished: 2, ended: 0 }, sentToday: 2 }]);
  });
});

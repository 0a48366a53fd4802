// The scenario pages' loaders and actions with signed admin requests: bad input is a 4xx with readable reasons,
// the list's switch turns a scenario on and off (off ends its runs), saving never changes the status, a scenario
// starts by hand for a segment and for one friend, a run stops from the friend page, the results show each step's
// outcomes, clicks and attributed orders, and shop A naming shop B's ids gets 404 and changes nothing of B's.
import { Prisma } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as editorAction, loader as editorLoader } from "~/routes/app.scenarios.$id";
import { loader as resultsLoader } from "~/routes/app.scenarios.$id_.results";
import { action as listAction, loader as listLoader } from "~/routes/app.scenarios._index";
import { action as runsAction } from "~/routes/app.scenarios.runs";
import { loader as friendLoader } from "~/routes/app.friends.$id";
import { saveScenario, setScenarioStatus, startScenarioForFriend } from "~/scenarios/scenarios.server";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount } from "../support/line";
import { adminRequest, offlineSession } from "../support/shopify";
import { snapshotShop } from "../support/tenant";

const A = "scenario-pages-a.myshopify.com";
const B = "scenario-pages-b.myshopify.com";
let accountA = "";
let tagA = "";
let vipFriends: string[] = [];
let otherFriend = "";
let segmentA = "";
const b = { scenarioId: "", friendId: "", runId: "", segmentId: "" };

type Handler = (args: never) => Promise<unknown>;

async function call(handler: Handler, path: string, params: Record<string, string>, fields?: Record<string, string>, shop = A) {
  let body: FormData | undefined;
  if (fields) {
    body = new FormData();
    for (const [key, value] of Object.entries(fields)) body.append(key, value);
  }
  const request = await adminRequest(path, { shop, method: fields ? "POST" : "GET", body });
  const outcome = await handler({ request, params, context: {} } as never).catch((thrown: unknown) => thrown);
  if (!(outcome instanceof Response)) return { status: 200, body: JSON.stringify(outcome), location: null, json: outcome as Record<string, unknown> };
  const text = await outcome.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // A redirect or a plain 404 has no JSON body.
  }
  return { status: outcome.status, body: text, location: outcome.headers.get("location"), json: parsed };
}

const draft = (overrides: Record<string, unknown> = {}) => ({
  name: "Welcome",
  lineAccountId: accountA,
  trigger: { type: "follow", refollow: "ignore" },
  exitRules: [{ type: "blocked" }],
  allowReentry: false,
  quietHours: false,
  quietStart: "22:00",
  quietEnd: "08:00",
  latenessHours: 24,
  utmParams: "utm_source=line&utm_medium=step",
  steps: [
    { id: null, delay: { kind: "after", amount: 0, unit: "minutes", from: "start" }, messages: [{ type: "text", text: "Thanks for adding us!" }], condition: null, onConditionFail: "skip", actions: { addTagIds: [], removeTagIds: [] } },
    { id: null, delay: { kind: "dayAt", day: 3, time: "10:00" }, messages: [{ type: "text", text: "A coupon for you" }], condition: { type: "hasTag", tagId: tagA }, onConditionFail: "end", actions: { addTagIds: [tagA], removeTagIds: [] } },
  ],
  ...overrides,
});

async function created(shop: string, input: Record<string, unknown>) {
  const result = await saveScenario(shop, null, input);
  if ("errors" in result) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
}

beforeAll(async () => {
  await createShop(db, { shop: A, timeZone: "America/New_York" });
  await createShop(db, { shop: B });
  await sessionStorage.storeSession(offlineSession(A));
  await sessionStorage.storeSession(offlineSession(B));
  const a = await connectedAccount(db, A);
  accountA = a.account.id;
  tagA = (await db.tag.create({ data: { shop: A, name: "VIP" } })).id;
  for (let i = 0; i < 3; i += 1) {
    const friend = await createFriend(db, a.account);
    await db.friendTag.create({ data: { friendId: friend.id, tagId: tagA, shop: A } });
    vipFriends.push(friend.id);
  }
  otherFriend = (await createFriend(db, a.account)).id;
  segmentA = (
    await db.segment.create({ data: { shop: A, name: "VIPs", definition: { match: "all", groups: [{ match: "all", conditions: [{ field: "tags", match: "any", tagIds: [tagA] }] }] } } })
  ).id;

  const accountB = (await connectedAccount(db, B)).account;
  b.friendId = (await createFriend(db, accountB)).id;
  const scenarioB = await created(B, { ...draft({ lineAccountId: accountB.id }), steps: [draft().steps[0]] });
  b.scenarioId = scenarioB.id;
  await setScenarioStatus(B, b.scenarioId, "on");
  const started = await startScenarioForFriend(B, b.scenarioId, b.friendId);
  if (!("runId" in started)) throw new Error(JSON.stringify(started));
  b.runId = started.runId;
  b.segmentId = (await db.segment.create({ data: { shop: B, name: "All", definition: { match: "all", groups: [] } } })).id;
});

describe("scenario pages", () => {
  it("answers bad input with a 4xx and readable reasons per field", async () => {
    const bad = await call(editorAction, "/app/scenarios/new", { id: "new" }, {
      intent: "save",
      scenario: JSON.stringify(draft({ name: "", steps: [{ ...draft().steps[0], delay: { kind: "dayAt", day: 2, time: "25:00" }, messages: [{ type: "text", text: " " }] }] })),
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors).toMatchObject({ name: "scenarios.error.name", "steps.0.delay.time": "scenarios.error.delayTime", "steps.0.messages.0.text": "messagesComposer.error.textRequired" });
    const noSteps = await call(editorAction, "/app/scenarios/new", { id: "new" }, { intent: "save", scenario: JSON.stringify(draft({ steps: [] })) });
    expect(noSteps).toMatchObject({ status: 422, json: { errors: { steps: "scenarios.error.steps" } } });
    const garbled = await call(editorAction, "/app/scenarios/new", { id: "new" }, { intent: "save", scenario: "{not json" });
    expect(garbled).toMatchObject({ status: 400, json: { errors: { form: "scenarioPages.error.invalidJson" } } });
    const unknown = await call(editorAction, "/app/scenarios/new", { id: "new" }, { intent: "explode" });
    expect(unknown).toMatchObject({ status: 400, json: { errors: { intent: "scenarioPages.error.intent" } } });
    const badStatus = await call(listAction, "/app/scenarios", {}, { intent: "status", id: "x", status: "maybe" });
    expect(badStatus).toMatchObject({ status: 422, json: { errors: { status: "scenarioPages.error.status" } } });
    expect(await db.scenario.count({ where: { shop: A } })).toBe(0);
  });

  it("creates a scenario off, lists it, and the switch turns it on and off (off ends its runs)", async () => {
    const made = await call(editorAction, "/app/scenarios/new", { id: "new" }, { intent: "save", scenario: JSON.stringify(draft()) });
    // A new scenario answers its id; the editor says it is saved and moves to its address.
    expect(made).toMatchObject({ status: 200, json: { ok: true, intent: "save" } });
    const id = (made.json as { id: string }).id;
    expect(await db.scenario.findUniqueOrThrow({ where: { id } })).toMatchObject({ shop: A, status: "off", name: "Welcome" });
    const page = await call(editorLoader, `/app/scenarios/${id}`, { id });
    expect(page.json.scenario).toMatchObject({ id, status: "off", steps: [{ delay: { kind: "after" } }, { delay: { kind: "dayAt", day: 3, time: "10:00" } }] });

    const on = await call(listAction, "/app/scenarios", {}, { intent: "status", id, status: "on" });
    expect(on).toMatchObject({ status: 200, json: { ok: true, status: "on" } });
    expect((await db.scenario.findUniqueOrThrow({ where: { id } })).status).toBe("on");
    const list = await call(listLoader, "/app/scenarios", {});
    expect(list.json.scenarios).toEqual([expect.objectContaining({ id, status: "on", steps: 2, runs: { active: 0, finished: 0, ended: 0 }, trigger: { type: "follow", refollow: "ignore" } })]);

    await startScenarioForFriend(A, id, otherFriend);
    const off = await call(listAction, "/app/scenarios", {}, { intent: "status", id, status: "off" });
    expect(off.status).toBe(200);
    expect(await db.scenarioRun.findFirstOrThrow({ where: { scenarioId: id, friendId: otherFriend } })).toMatchObject({ status: "stopped", endReason: "scenarios.end.scenarioOff" });
    await db.scenario.delete({ where: { id } });
  });

  it("saving keeps the scenario on and its runs going, and says how many are in flight", async () => {
    const scenario = await created(A, draft({ name: "Keep on" }));
    await setScenarioStatus(A, scenario.id, "on");
    await startScenarioForFriend(A, scenario.id, otherFriend);
    const page = await call(editorLoader, `/app/scenarios/${scenario.id}`, { id: scenario.id });
    expect(page.json.runs).toEqual({ active: 1, finished: 0, ended: 0 });
    const edited = { ...draft({ name: "Keep on, edited" }), steps: [{ ...draft().steps[0], id: scenario.steps[0].id }] };
    // The browser cannot turn it off through the editor: a status in the posted draft is ignored.
    const saved = await call(editorAction, `/app/scenarios/${scenario.id}`, { id: scenario.id }, { intent: "save", scenario: JSON.stringify({ ...edited, status: "off" }) });
    expect(saved).toMatchObject({ status: 200, json: { ok: true, intent: "save" } });
    expect(await db.scenario.findUniqueOrThrow({ where: { id: scenario.id } })).toMatchObject({ status: "on", name: "Keep on, edited" });
    expect(await db.scenarioRun.count({ where: { scenarioId: scenario.id, status: "active" } })).toBe(1);
    // The step left out is deleted (kept for history), not lost.
    expect(await db.scenarioStep.findUniqueOrThrow({ where: { id: scenario.steps[1].id } })).toMatchObject({ deletedAt: expect.any(Date) });
    const status = await call(editorAction, `/app/scenarios/${scenario.id}`, { id: scenario.id }, { intent: "status", status: "off" });
    expect(status.status).toBe(200);
    expect(await db.scenarioRun.count({ where: { scenarioId: scenario.id, status: "active" } })).toBe(0);
    const deleted = await call(editorAction, `/app/scenarios/${scenario.id}`, { id: scenario.id }, { intent: "delete" });
    expect(deleted).toMatchObject({ status: 200, json: { ok: true, intent: "delete" } });
    expect(await db.scenario.findUnique({ where: { id: scenario.id } })).toBeNull();
  });

  it("starts a scenario by hand for a segment, once per friend", async () => {
    const scenario = await created(A, draft({ name: "Segment start", trigger: { type: "manual" } }));
    const whileOff = await call(editorAction, `/app/scenarios/${scenario.id}`, { id: scenario.id }, { intent: "start", segmentId: segmentA });
    expect(whileOff).toMatchObject({ status: 409, json: { errors: { form: "scenarios.error.notOn" } } });
    await setScenarioStatus(A, scenario.id, "on");
    const missing = await call(editorAction, `/app/scenarios/${scenario.id}`, { id: scenario.id }, { intent: "start", segmentId: "" });
    expect(missing).toMatchObject({ status: 422, json: { errors: { segmentId: "scenarioPages.error.chooseSegment" } } });
    const started = await call(editorAction, `/app/scenarios/${scenario.id}`, { id: scenario.id }, { intent: "start", segmentId: segmentA });
    expect(started).toMatchObject({ status: 200, json: { ok: true, intent: "start", count: 3 } });
    const runs = await db.scenarioRun.findMany({ where: { scenarioId: scenario.id } });
    expect(runs.map((r) => r.friendId).sort()).toEqual([...vipFriends].sort());
    const again = await call(editorAction, `/app/scenarios/${scenario.id}`, { id: scenario.id }, { intent: "start", segmentId: segmentA });
    expect(again).toMatchObject({ status: 200, json: { count: 0 } });
  });

  it("starts a scenario for one friend and stops the run from the friend page", async () => {
    const scenario = await created(A, draft({ name: "Friend start", trigger: { type: "manual" } }));
    await setScenarioStatus(A, scenario.id, "on");
    const friendId = vipFriends[0];
    const before = await call(friendLoader, `/app/friends/${friendId}`, { id: friendId });
    expect((before.json.scenarioRuns as { startable: { id: string }[] }).startable.map((s) => s.id)).toContain(scenario.id);

    const start = await call(runsAction, "/app/scenarios/runs", {}, { intent: "start", friendId, scenarioId: scenario.id });
    expect(start).toMatchObject({ status: 200, json: { ok: true, intent: "start" } });
    const twice = await call(runsAction, "/app/scenarios/runs", {}, { intent: "start", friendId, scenarioId: scenario.id });
    expect(twice).toMatchObject({ status: 409, json: { errors: { form: "scenarios.error.alreadyRunning" } } });
    const none = await call(runsAction, "/app/scenarios/runs", {}, { intent: "start", friendId, scenarioId: "" });
    expect(none).toMatchObject({ status: 422, json: { errors: { scenarioId: "scenarioPages.error.chooseScenario" } } });

    const runId = start.json.runId as string;
    const page = await call(friendLoader, `/app/friends/${friendId}`, { id: friendId });
    const section = page.json.scenarioRuns as { runs: { id: string; status: string; steps: number; next: { number: number } | null }[]; startable: { id: string }[] };
    expect(section.runs.find((r) => r.id === runId)).toMatchObject({ status: "active", steps: 2, next: { number: 1 } });
    expect(section.startable.map((s) => s.id)).not.toContain(scenario.id);

    const stop = await call(runsAction, "/app/scenarios/runs", {}, { intent: "stop", runId });
    expect(stop).toMatchObject({ status: 200, json: { ok: true, intent: "stop" } });
    expect(await db.scenarioRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ status: "stopped", endReason: "scenarios.end.stoppedByStaff" });
    const stopAgain = await call(runsAction, "/app/scenarios/runs", {}, { intent: "stop", runId });
    expect(stopAgain).toMatchObject({ status: 409, json: { errors: { form: "scenarioPages.error.runEnded" } } });
    const unknownIntent = await call(runsAction, "/app/scenarios/runs", {}, { intent: "restart", runId });
    expect(unknownIntent.status).toBe(400);
  });

  it("shows per-step results: outcomes, skip reasons, clicks and attributed orders", async () => {
    const scenario = await created(A, draft({ name: "Results" }));
    const [first, second] = scenario.steps;
    const runs = await Promise.all(
      vipFriends.map((friendId, i) =>
        db.scenarioRun.create({ data: { shop: A, scenarioId: scenario.id, friendId, status: i === 0 ? "active" : "finished", startedBy: "manual", nextPosition: 1, nextDueAt: i === 0 ? new Date(Date.now() + 86_400_000) : null } }),
      ),
    );
    const friend = await db.friend.findUniqueOrThrow({ where: { id: vipFriends[0] } });
    for (const [i, run] of runs.entries()) {
      const delivery = await db.delivery.create({
        data: { shop: A, lineAccountId: accountA, kind: "step", channel: "push", sourceId: run.id, recipients: [friend.lineUserId], friendId: run.friendId, messages: [], dueAt: new Date(), status: i === 2 ? "failed" : "sent", sentAt: new Date(), reason: i === 2 ? "Invalid reply token" : null },
      });
      await db.scenarioRunStep.create({ data: { shop: A, runId: run.id, stepId: first.id, status: "queued", deliveryId: delivery.id, dueAt: new Date() } });
    }
    await db.scenarioRunStep.create({ data: { shop: A, runId: runs[1].id, stepId: second.id, status: "skipped", reason: "condition", dueAt: new Date() } });
    await db.scenarioRunStep.create({ data: { shop: A, runId: runs[2].id, stepId: second.id, status: "waiting", dueAt: new Date() } });
    await db.linkClick.createMany({ data: [vipFriends[0], vipFriends[0], vipFriends[1]].map((friendId) => ({ shop: A, friendId, kind: "step", sourceId: first.id })) });
    for (const [i, revenue] of ["1200.00", "800.50"].entries()) {
      const order = await db.order.create({ data: { shop: A, orderId: `o-${i}`, totalPrice: new Prisma.Decimal(revenue), currency: "JPY", processedAt: new Date() } });
      await db.orderAttribution.create({ data: { shop: A, orderRef: order.id, friendId: vipFriends[i], kind: "step", sourceId: first.id, rule: "click", touchedAt: new Date(), currency: "JPY", revenue: new Prisma.Decimal(revenue) } });
    }

    const page = await call(resultsLoader, `/app/scenarios/${scenario.id}/results`, { id: scenario.id });
    expect(page.status).toBe(200);
    const steps = page.json.steps as { id: string; outcome: Record<string, unknown> }[];
    expect(steps.map((s) => s.id)).toEqual([first.id, second.id]);
    expect(steps[0].outcome).toMatchObject({ sent: 2, failed: 1, clicks: 3, clickers: 2, orders: [{ currency: "JPY", orders: 2, revenue: "2000.5" }] });
    expect(steps[1].outcome).toMatchObject({ sent: 0, waiting: 1, skipped: [{ reason: "condition", count: 1 }], upcoming: 1 });
    expect(page.json.runs).toEqual({ active: 1, finished: 2, ended: 0 });
    const editor = await call(editorLoader, `/app/scenarios/${scenario.id}`, { id: scenario.id });
    expect((editor.json.figures as Record<string, unknown>)[first.id]).toEqual({ sent: 2, sending: 0, waiting: 0, upcoming: 0, skipped: 0, failed: 1 });
  });

  it("answers 404 to shop A naming shop B's scenario, run, friend and segment, and changes nothing of B's", async () => {
    const before = await snapshotShop(db, B);
    const mine = await created(A, draft({ name: "Mine", trigger: { type: "manual" } }));
    await setScenarioStatus(A, mine.id, "on");
    const id = b.scenarioId;
    const answers = [
      await call(editorLoader, `/app/scenarios/${id}`, { id }),
      await call(resultsLoader, `/app/scenarios/${id}/results`, { id }),
      await call(editorAction, `/app/scenarios/${id}`, { id }, { intent: "save", scenario: JSON.stringify(draft({ name: "stolen" })) }),
      await call(editorAction, `/app/scenarios/${id}`, { id }, { intent: "status", status: "off" }),
      await call(editorAction, `/app/scenarios/${id}`, { id }, { intent: "delete" }),
      await call(editorAction, `/app/scenarios/${id}`, { id }, { intent: "start", segmentId: b.segmentId }),
      await call(editorAction, `/app/scenarios/${mine.id}`, { id: mine.id }, { intent: "start", segmentId: b.segmentId }),
      await call(listAction, "/app/scenarios", {}, { intent: "status", id, status: "off" }),
      await call(runsAction, "/app/scenarios/runs", {}, { intent: "stop", runId: b.runId }),
      await call(runsAction, "/app/scenarios/runs", {}, { intent: "start", friendId: b.friendId, scenarioId: mine.id }),
      await call(runsAction, "/app/scenarios/runs", {}, { intent: "start", friendId: vipFriends[1], scenarioId: id }),
    ];
    for (const answer of answers) expect(answer.status, answer.body).toBe(404);
    expect(await snapshotShop(db, B)).toEqual(before);
    expect(await db.scenarioRun.findUniqueOrThrow({ where: { id: b.runId } })).toMatchObject({ status: "active" });
  });
});

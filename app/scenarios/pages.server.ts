// What the scenario pages show, assembled from the database and the figures (the routes stay thin). Stored JSON is
// handed to the page as the editor's types; the engine's schema validated it when it was saved.
import type { Scenario, ScenarioStep } from "@prisma/client";
import { db } from "../db.server";
import type { ComposedMessage } from "../messages/model";
import type { Condition, Delay, ExitRule, StepActions, Trigger } from "./components/draft";
import { runCounts, sentSince, startOfShopDay, stepOutcomes } from "./figures.server";

async function shopTimeZone(shop: string) {
  return (await db.shop.findUnique({ where: { shop }, select: { timeZone: true } }))?.timeZone ?? "Asia/Tokyo";
}

const tagOptions = (shop: string) => db.tag.findMany({ where: { shop }, select: { id: true, name: true }, orderBy: { name: "asc" } });

export async function listPage(shop: string, now = new Date()) {
  const [scenarios, accounts, tags, timeZone] = await Promise.all([
    db.scenario.findMany({
      where: { shop },
      orderBy: { createdAt: "desc" },
      include: { lineAccount: { select: { displayName: true } }, _count: { select: { steps: { where: { deletedAt: null } } } } },
    }),
    db.lineAccount.count({ where: { shop, status: "connected" } }),
    tagOptions(shop),
    shopTimeZone(shop),
  ]);
  const ids = scenarios.map((s) => s.id);
  const [runs, sent] = await Promise.all([runCounts(shop, ids), sentSince(shop, ids, startOfShopDay(timeZone, now))]);
  return {
    timeZone,
    hasAccount: accounts > 0,
    tags,
    scenarios: scenarios.map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status as "on" | "off",
      account: s.lineAccount.displayName,
      trigger: s.trigger as Trigger,
      steps: s._count.steps,
      runs: runs.get(s.id)!,
      sentToday: sent.get(s.id) ?? 0,
    })),
  };
}

function stepView(step: ScenarioStep) {
  return {
    id: step.id,
    position: step.position,
    delay: step.delay as Delay,
    messages: step.messages as ComposedMessage[],
    condition: (step.condition ?? null) as Condition | null,
    onConditionFail: step.onConditionFail as "skip" | "end",
    actions: { addTagIds: [], removeTagIds: [], ...(step.actions as Partial<StepActions>) },
    deletedAt: step.deletedAt?.toISOString() ?? null,
  };
}

function scenarioView(scenario: Scenario) {
  return {
    id: scenario.id,
    name: scenario.name,
    status: scenario.status as "on" | "off",
    lineAccountId: scenario.lineAccountId,
    trigger: scenario.trigger as Trigger,
    exitRules: scenario.exitRules as ExitRule[],
    allowReentry: scenario.allowReentry,
    quietHours: scenario.quietHours,
    quietStart: scenario.quietStart,
    quietEnd: scenario.quietEnd,
    latenessHours: scenario.latenessHours,
    utmParams: scenario.utmParams,
  };
}

/** The scenario with its steps (deleted ones too, for the results), or null when the shop has no such scenario. */
export async function loadScenario(shop: string, id: string) {
  return db.scenario.findFirst({ where: { id, shop }, include: { steps: { orderBy: { position: "asc" } } } });
}

type Loaded = NonNullable<Awaited<ReturnType<typeof loadScenario>>>;

export async function editorPage(shop: string, scenario: Loaded | null) {
  const [accounts, tags, segments, timeZone] = await Promise.all([
    db.lineAccount.findMany({ where: { shop, status: "connected" }, select: { id: true, displayName: true }, orderBy: { createdAt: "asc" } }),
    tagOptions(shop),
    db.segment.findMany({ where: { shop }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    shopTimeZone(shop),
  ]);
  const live = scenario?.steps.filter((step) => !step.deletedAt) ?? [];
  const [runs, outcomes] = scenario
    ? await Promise.all([runCounts(shop, [scenario.id]), stepOutcomes(shop, live.map((step) => step.id))])
    : [new Map(), new Map()];
  return {
    timeZone,
    accounts,
    tags,
    segments,
    runs: (scenario && runs.get(scenario.id)) ?? { active: 0, ended: 0 },
    figures: Object.fromEntries(
      [...outcomes.entries()].map(([id, o]) => [id, { sent: o.sent, queued: o.queued, waiting: o.waiting, skipped: o.skipped, failed: o.failed }]),
    ),
    scenario: scenario && { ...scenarioView(scenario), steps: live.map(stepView) },
  };
}

export async function resultsPage(shop: string, scenario: Loaded) {
  const [outcomes, runs, tags, timeZone, account] = await Promise.all([
    stepOutcomes(shop, scenario.steps.map((step) => step.id)),
    runCounts(shop, [scenario.id]),
    tagOptions(shop),
    shopTimeZone(shop),
    db.lineAccount.findUnique({ where: { id: scenario.lineAccountId }, select: { displayName: true } }),
  ]);
  // A deleted step stays in the results only if some run reached it.
  const shown = scenario.steps.filter((step) => !step.deletedAt || (outcomes.get(step.id)?.sent ?? 0) + (outcomes.get(step.id)?.skipped ?? 0) + (outcomes.get(step.id)?.failed ?? 0) > 0);
  return {
    timeZone,
    tags,
    account: account?.displayName ?? "",
    runs: runs.get(scenario.id)!,
    scenario: scenarioView(scenario),
    steps: shown.map((step) => ({ ...stepView(step), outcome: outcomes.get(step.id)! })),
  };
}

/**
 * The friend page's section: the friend's runs, newest first, where each stands (the next step and when it is due,
 * or how and when it ended), and the scenarios of the friend's account that can be started for them by hand.
 */
export async function friendRunsSection(shop: string, friendId: string) {
  const friend = await db.friend.findFirst({ where: { id: friendId, shop }, select: { lineAccountId: true } });
  if (!friend) return { runs: [], startable: [] };
  const runs = await db.scenarioRun.findMany({
    where: { shop, friendId },
    orderBy: { startedAt: "desc" },
    take: 50,
    include: { scenario: { select: { name: true, steps: { where: { deletedAt: null }, select: { position: true }, orderBy: { position: "asc" } } } } },
  });
  const [sent, scenarios] = await Promise.all([
    runs.length ? db.scenarioRunStep.groupBy({ by: ["runId", "status"], where: { shop, runId: { in: runs.map((r) => r.id) } }, _count: { _all: true } }) : [],
    db.scenario.findMany({ where: { shop, lineAccountId: friend.lineAccountId, status: "on" }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  const count = (runId: string, status: string) => sent.find((row) => row.runId === runId && row.status === status)?._count._all ?? 0;
  const busy = new Set(runs.filter((r) => r.status === "active").map((r) => r.scenarioId));
  return {
    runs: runs.map((run) => {
      const positions = run.scenario.steps.map((step) => step.position);
      const next = run.status === "active" ? positions.findIndex((position) => position >= run.nextPosition) : -1;
      return {
        id: run.id,
        scenarioId: run.scenarioId,
        scenario: run.scenario.name,
        status: run.status,
        startedBy: run.startedBy,
        startedAt: run.startedAt.toISOString(),
        endedAt: run.endedAt?.toISOString() ?? null,
        endReason: run.endReason,
        steps: positions.length,
        sent: count(run.id, "sent"),
        waiting: count(run.id, "waiting") > 0,
        next: next >= 0 ? { number: next + 1, dueAt: run.nextDueAt?.toISOString() ?? null } : null,
      };
    }),
    startable: scenarios.filter((s) => !busy.has(s.id)),
  };
}

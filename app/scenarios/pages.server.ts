// What the scenario pages show, assembled from the engine's domain API and the figures (the routes stay thin).
import { db } from "../db.server";
import { ordersByStep, runCounts } from "./figures.server";
import { stepView } from "./scenarios.server";
import { getScenario, listScenarios, runsOfFriend, stepResults, type ScenarioView } from "./scenarios.server";

async function shopTimeZone(shop: string) {
  return (await db.shop.findUnique({ where: { shop }, select: { timeZone: true } }))?.timeZone ?? "Asia/Tokyo";
}

const tagOptions = (shop: string) => db.tag.findMany({ where: { shop }, select: { id: true, name: true }, orderBy: { name: "asc" } });

export async function listPage(shop: string) {
  const [scenarios, accounts, tags, timeZone] = await Promise.all([
    listScenarios(shop),
    db.lineAccount.findMany({ where: { shop }, select: { id: true, displayName: true, status: true } }),
    tagOptions(shop),
    shopTimeZone(shop),
  ]);
  return {
    timeZone,
    hasAccount: accounts.some((a) => a.status === "connected"),
    tags,
    scenarios: scenarios.map((s) => ({
      id: s.id,
      name: s.name,
      status: s.status as "on" | "off",
      account: accounts.find((a) => a.id === s.lineAccountId)?.displayName ?? "",
      trigger: s.trigger,
      steps: s.steps,
      runs: s.runs,
      sentToday: s.sentToday,
    })),
  };
}

function scenarioFields(s: ScenarioView) {
  return {
    id: s.id,
    name: s.name,
    status: s.status as "on" | "off",
    lineAccountId: s.lineAccountId,
    trigger: s.trigger,
    exitRules: s.exitRules,
    allowReentry: s.allowReentry,
    quietHours: s.quietHours,
    quietStart: s.quietStart,
    quietEnd: s.quietEnd,
    latenessHours: s.latenessHours,
    utmParams: s.utmParams,
  };
}

type Result = NonNullable<Awaited<ReturnType<typeof stepResults>>>[number];

/** The counts a step card shows. */
function figuresOf(r: Result) {
  return {
    sent: r.sent,
    sending: r.sending,
    waiting: r.waiting,
    upcoming: r.upcoming,
    skipped: Object.values(r.skipped).reduce((sum, n) => sum + n, 0),
    failed: r.failed + r.unknown,
  };
}

export async function editorPage(shop: string, scenario: ScenarioView | null) {
  const [accounts, tags, segments, timeZone, runs, results] = await Promise.all([
    // A saved scenario's own account is offered even when it was disconnected since (the select shows it).
    db.lineAccount.findMany({
      where: { shop, OR: [{ status: "connected" }, ...(scenario ? [{ id: scenario.lineAccountId }] : [])] },
      select: { id: true, displayName: true },
      orderBy: { createdAt: "asc" },
    }),
    tagOptions(shop),
    db.segment.findMany({ where: { shop }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    shopTimeZone(shop),
    scenario ? runCounts(shop, scenario.id) : { active: 0, finished: 0, ended: 0 },
    scenario ? stepResults(shop, scenario.id) : [],
  ]);
  return {
    timeZone,
    accounts,
    tags,
    segments,
    runs,
    figures: Object.fromEntries((results ?? []).map((r) => [r.stepId, figuresOf(r)])),
    scenario: scenario && { ...scenarioFields(scenario), steps: scenario.steps },
  };
}

export async function resultsPage(shop: string, scenario: ScenarioView) {
  const [results, stored, runs, tags, timeZone, account] = await Promise.all([
    stepResults(shop, scenario.id),
    // Deleted steps that runs went through are shown too: their content is read here (getScenario has live ones).
    db.scenarioStep.findMany({ where: { shop, scenarioId: scenario.id } }),
    runCounts(shop, scenario.id),
    tagOptions(shop),
    shopTimeZone(shop),
    db.lineAccount.findFirst({ where: { id: scenario.lineAccountId, shop }, select: { displayName: true } }),
  ]);
  const rows = results ?? [];
  const orders = await ordersByStep(shop, rows.map((r) => r.stepId));
  const steps = rows.flatMap((r) => {
    const row = stored.find((s) => s.id === r.stepId);
    if (!row) return [];
    const { skipped, ...counts } = r;
    return [
      {
        ...stepView(row),
        deleted: r.deleted,
        outcome: { ...counts, skipped: Object.entries(skipped).map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count), orders: orders.get(r.stepId) ?? [] },
      },
    ];
  });
  return { timeZone, tags, account: account?.displayName ?? "", runs, scenario: scenarioFields(scenario), steps };
}

/**
 * The friend page's section: the friend's runs (newest first) and where each stands, from the engine, and the
 * scenarios of the friend's account that are on and can be started for the friend by hand.
 */
export async function friendRunsSection(shop: string, friendId: string) {
  const friend = await db.friend.findFirst({ where: { id: friendId, shop }, select: { lineAccountId: true } });
  if (!friend) return { runs: [], startable: [] };
  const [runs, scenarios] = await Promise.all([
    runsOfFriend(shop, friendId),
    db.scenario.findMany({ where: { shop, lineAccountId: friend.lineAccountId, status: "on" }, select: { id: true, name: true, allowReentry: true }, orderBy: { name: "asc" } }),
  ]);
  const taken = new Set(runs.filter((r) => r.status === "active").map((r) => r.scenarioId));
  const done = new Set(runs.map((r) => r.scenarioId));
  return {
    runs: runs.map((run) => {
      const waiting = run.steps.find((s) => s.status === "waiting");
      const sending = run.steps.find((s) => s.status === "sending");
      return {
        id: run.id,
        scenarioId: run.scenarioId,
        scenario: run.scenarioName,
        status: run.status,
        startedBy: run.startedBy,
        startedAt: run.startedAt.toISOString(),
        endedAt: run.endedAt?.toISOString() ?? null,
        endReason: run.endReason,
        steps: run.stepCount,
        sent: run.steps.filter((s) => s.status === "sent").length,
        /** The step being sent or held back by the quota, else the next one and when it is due. */
        now: waiting ? { state: "waiting" as const, number: (waiting.position ?? 0) + 1 } : sending ? { state: "sending" as const, number: (sending.position ?? 0) + 1 } : null,
        next: run.status === "active" && run.nextPosition < run.stepCount ? { number: run.nextPosition + 1, dueAt: run.nextDueAt?.toISOString() ?? null } : null,
      };
    }),
    startable: scenarios.filter((s) => !taken.has(s.id) && (s.allowReentry || !done.has(s.id))).map(({ id, name }) => ({ id, name })),
  };
}

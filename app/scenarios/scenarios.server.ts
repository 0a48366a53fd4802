// Step scenarios of a shop: list, read, save (steps added, changed, reordered, deleted while runs are in flight),
// on/off, delete; and runs: start for a friend or a segment, stop, a friend's runs, per-step results. Every
// statement keyed by an id the browser sent carries the shop: another shop's ids find nothing and change nothing.
// The engine that sends the steps is app/scenarios/engine.server.ts; the triggers and exits, triggers.server.ts.
import { randomUUID } from "node:crypto";
import { Prisma, type Scenario, type ScenarioStep } from "@prisma/client";
import { db } from "../db.server";
import { deliveryJobId, deliveryQueue } from "../../jobs/queues";
import { composedMessagesSchema } from "../messages/model";
import { segmentWhere } from "../segments/compile.server";
import {
  actionsSchema,
  conditionSchema,
  delaySchema,
  END_REASONS,
  exitRuleSchema,
  scenarioErrors,
  scenarioInputSchema,
  triggerSchema,
  type EndReason,
  type ExitRule,
  type ScenarioForm,
  type ScenarioInput,
  type ScenarioStepView,
  type Trigger,
} from "./model";

export type ScenarioView = Omit<Scenario, "trigger" | "exitRules"> & {
  trigger: Trigger;
  exitRules: ExitRule[];
  steps: ScenarioStepView[];
};

export type ScenarioListItem = Pick<Scenario, "id" | "name" | "status" | "lineAccountId" | "createdAt" | "updatedAt"> & {
  trigger: Trigger;
  steps: number;
  runs: { active: number; finished: number; ended: number };
  sentToday: number;
};

export type SaveResult = { scenario: ScenarioView } | { errors: Record<string, string> };

export function stepView(step: ScenarioStep): ScenarioStepView {
  return {
    id: step.id,
    position: step.position,
    delay: delaySchema.parse(step.delay),
    messages: composedMessagesSchema.parse(step.messages),
    condition: step.condition === null ? null : conditionSchema.parse(step.condition),
    onConditionFail: step.onConditionFail === "end" ? "end" : "skip",
    actions: actionsSchema.parse(step.actions ?? {}),
  };
}

function view(scenario: Scenario & { steps: ScenarioStep[] }): ScenarioView {
  return {
    ...scenario,
    trigger: triggerSchema.parse(scenario.trigger),
    exitRules: (scenario.exitRules as unknown[]).map((rule) => exitRuleSchema.parse(rule)),
    steps: scenario.steps.filter((step) => !step.deletedAt).sort((a, b) => a.position - b.position).map(stepView),
  };
}

/** Midnight today on the shop's clock, as an instant. */
async function startOfShopDay(shop: string, now = new Date()): Promise<Date> {
  const { zonedInstant, zonedWallClock } = await import("../abandoned-cart/quiet-hours");
  const row = await db.shop.findUnique({ where: { shop }, select: { timeZone: true } });
  const timeZone = row?.timeZone ?? "Asia/Tokyo";
  return zonedInstant(zonedWallClock(now, timeZone).date, "00:00", timeZone);
}

export async function listScenarios(shop: string): Promise<ScenarioListItem[]> {
  const scenarios = await db.scenario.findMany({
    where: { shop },
    orderBy: { createdAt: "desc" },
    select: {
      id: true, name: true, status: true, lineAccountId: true, createdAt: true, updatedAt: true, trigger: true,
      _count: { select: { steps: { where: { deletedAt: null } } } },
    },
  });
  if (!scenarios.length) return [];
  const ids = scenarios.map((s) => s.id);
  const [runs, sent] = await Promise.all([
    db.scenarioRun.groupBy({ by: ["scenarioId", "status"], where: { shop, scenarioId: { in: ids } }, _count: { _all: true } }),
    db.$queryRaw<{ scenarioId: string; count: number }[]>`
      SELECT st."scenarioId", count(*)::int AS count
      FROM "ScenarioRunStep" rs
      JOIN "ScenarioStep" st ON st.id = rs."stepId"
      JOIN "Delivery" d ON d.id = rs."deliveryId"
      WHERE rs.shop = ${shop} AND rs."createdAt" >= ${await startOfShopDay(shop)} AND d.status = 'sent'
      GROUP BY st."scenarioId"`,
  ]);
  return scenarios.map(({ _count, trigger, ...scenario }) => {
    const count = (status: string) => runs.find((r) => r.scenarioId === scenario.id && r.status === status)?._count._all ?? 0;
    return {
      ...scenario,
      trigger: triggerSchema.parse(trigger),
      steps: _count.steps,
      runs: { active: count("active"), finished: count("finished"), ended: count("exited") + count("stopped") },
      sentToday: sent.find((row) => row.scenarioId === scenario.id)?.count ?? 0,
    };
  });
}

export async function getScenario(shop: string, id: string): Promise<ScenarioView | null> {
  const scenario = await db.scenario.findFirst({ where: { id, shop }, include: { steps: true } });
  return scenario ? view(scenario) : null;
}

/** Every tag id the scenario names, with the form path that names it. */
function tagPaths(form: ScenarioForm): [string, string][] {
  const paths: [string, string][] = [];
  if (form.trigger.type === "tagAdded") paths.push(["trigger.tagId", form.trigger.tagId]);
  form.exitRules.forEach((rule, i) => {
    if (rule.type === "tagAdded" || rule.type === "tagRemoved") paths.push([`exitRules.${i}.tagId`, rule.tagId]);
  });
  form.steps.forEach((step, i) => {
    if (step.condition?.type === "hasTag" || step.condition?.type === "lacksTag") paths.push([`steps.${i}.condition.tagId`, step.condition.tagId]);
    step.actions.addTagIds.forEach((tagId) => paths.push([`steps.${i}.actions.addTagIds`, tagId]));
    step.actions.removeTagIds.forEach((tagId) => paths.push([`steps.${i}.actions.removeTagIds`, tagId]));
  });
  return paths;
}

/** What decides when each step falls due: when it changes, runs in flight compute their next due time again. */
function timingOf(steps: { id: string; delay: unknown }[], scenario: Pick<Scenario, "quietHours" | "quietStart" | "quietEnd">) {
  return JSON.stringify([steps.map((s) => [s.id, s.delay]), scenario.quietHours, scenario.quietStart, scenario.quietEnd]);
}

/**
 * Creates (id null) or updates a scenario with its steps. Steps keep their id when edited; a step left out is
 * deleted (deletedAt: runs that passed it keep their history; runs waiting for it skip it, recorded as "deleted");
 * a new or changed later step applies to runs that have not reached it. Runs in flight keep their place: each goes
 * on after the last step it has been through, in the new order.
 */
export async function saveScenario(shop: string, id: string | null, input: ScenarioInput | unknown): Promise<SaveResult> {
  const parsed = scenarioInputSchema.safeParse(input);
  if (!parsed.success) return { errors: scenarioErrors(parsed.error) };
  const form = parsed.data;
  const errors: Record<string, string> = {};

  const account = await db.lineAccount.findFirst({ where: { id: form.lineAccountId, shop }, select: { id: true } });
  if (!account) errors.lineAccountId = "scenarios.error.account";
  const paths = tagPaths(form);
  const known = new Set(
    (await db.tag.findMany({ where: { shop, id: { in: [...new Set(paths.map(([, tagId]) => tagId))] } }, select: { id: true } })).map((t) => t.id),
  );
  for (const [path, tagId] of paths) if (!known.has(tagId)) errors[path] ??= "scenarios.error.tagGone";

  const existing = id ? await db.scenario.findFirst({ where: { id, shop }, include: { steps: true } }) : null;
  if (id && !existing) return { errors: { form: "scenarios.error.notFound" } };
  if (existing && existing.lineAccountId !== form.lineAccountId && (await db.scenarioRun.count({ where: { scenarioId: existing.id } }))) {
    // Runs belong to the friends of one account: the account is fixed once a friend has entered.
    errors.lineAccountId = "scenarios.error.account";
  }
  const liveBefore = (existing?.steps ?? []).filter((s) => !s.deletedAt).sort((a, b) => a.position - b.position);
  const liveIds = new Set(liveBefore.map((s) => s.id));
  form.steps.forEach((step, i) => {
    if (step.id && !liveIds.has(step.id)) errors[`steps.${i}.id`] = "scenarios.error.stepGone";
  });
  if (Object.keys(errors).length) return { errors };

  const now = new Date();
  const fields = {
    name: form.name,
    lineAccountId: form.lineAccountId,
    status: form.status,
    trigger: form.trigger as Prisma.InputJsonValue,
    exitRules: form.exitRules as Prisma.InputJsonValue,
    allowReentry: form.allowReentry,
    quietHours: form.quietHours,
    quietStart: form.quietStart,
    quietEnd: form.quietEnd,
    latenessHours: form.latenessHours,
    utmParams: form.utmParams,
  };
  const stepIds = form.steps.map((step) => step.id ?? randomUUID());
  const saved = await db.$transaction(
    async (tx) => {
      let scenarioId: string;
      if (existing) {
        // The row lock orders this save after (or before) any other save of the scenario.
        await tx.$queryRaw`SELECT id FROM "Scenario" WHERE id = ${existing.id} AND shop = ${shop} FOR UPDATE`;
        await tx.scenario.update({ where: { id: existing.id, shop }, data: fields });
        scenarioId = existing.id;
      } else {
        scenarioId = (await tx.scenario.create({ data: { shop, ...fields } })).id;
      }
      const kept = new Set(form.steps.map((s) => s.id).filter(Boolean) as string[]);
      const deleted = liveBefore.filter((s) => !kept.has(s.id));
      if (deleted.length) {
        await tx.scenarioStep.updateMany({ where: { id: { in: deleted.map((s) => s.id) }, shop, scenarioId }, data: { deletedAt: now } });
      }
      for (const [position, step] of form.steps.entries()) {
        const data = {
          position,
          delay: step.delay as Prisma.InputJsonValue,
          messages: step.messages as Prisma.InputJsonValue,
          condition: step.condition === null ? Prisma.DbNull : (step.condition as Prisma.InputJsonValue),
          onConditionFail: step.onConditionFail,
          actions: step.actions as Prisma.InputJsonValue,
        };
        if (step.id) await tx.scenarioStep.update({ where: { id: step.id, shop, scenarioId }, data });
        else await tx.scenarioStep.create({ data: { id: stepIds[position], shop, scenarioId, ...data } });
      }
      if (existing) {
        await remapRuns(tx, shop, scenarioId, liveBefore, stepIds, deleted, now);
        const timingChanged = timingOf(liveBefore, existing) !== timingOf(form.steps.map((s, i) => ({ id: stepIds[i], delay: s.delay })), form);
        // Due times are computed by the engine when a run comes due: pulling them forward makes it compute them again.
        if (timingChanged) {
          await tx.$executeRaw`
            UPDATE "ScenarioRun" SET "nextDueAt" = LEAST("nextDueAt", ${now}), "updatedAt" = ${now}
            WHERE "scenarioId" = ${scenarioId} AND shop = ${shop} AND status = 'active' AND "nextDueAt" > ${now}`;
        }
        if (form.status === "off" && existing.status === "on") await endRunsWhere(tx, Prisma.sql`r."scenarioId" = ${scenarioId} AND r.shop = ${shop}`, END_REASONS.scenarioOff, now);
      }
      return tx.scenario.findUniqueOrThrow({ where: { id: scenarioId }, include: { steps: true } });
    },
    { timeout: 60_000 },
  );
  return { scenario: view(saved) };
}

/**
 * Runs in flight keep their place when steps are added, reordered or deleted: a run goes on after the last step it
 * had been through, in the new order. A run waiting for a deleted step records it as skipped ("deleted").
 */
async function remapRuns(
  tx: Prisma.TransactionClient,
  shop: string,
  scenarioId: string,
  before: ScenarioStep[],
  after: string[],
  deleted: ScenarioStep[],
  now: Date,
) {
  const newIndex = new Map(after.map((stepId, i) => [stepId, i]));
  const oldPositions: number[] = [];
  const newPositions: number[] = [];
  let lastDone = -1;
  for (let p = 0; p <= before.length; p += 1) {
    // Runs at old position p have been through before[0..p-1].
    const mapped = lastDone + 1;
    if (mapped !== p) {
      oldPositions.push(p);
      newPositions.push(mapped);
    }
    const done = before[p] ? newIndex.get(before[p].id) : undefined;
    if (done !== undefined) lastDone = Math.max(lastDone, done);
  }
  for (const step of deleted) {
    const position = before.findIndex((s) => s.id === step.id);
    await tx.$executeRaw`
      INSERT INTO "ScenarioRunStep" (id, shop, "runId", "stepId", status, reason, "dueAt", "createdAt", "updatedAt")
      SELECT gen_random_uuid()::text, r.shop, r.id, ${step.id}, 'skipped', 'deleted', ${now}, ${now}, ${now}
      FROM "ScenarioRun" r
      WHERE r."scenarioId" = ${scenarioId} AND r.shop = ${shop} AND r.status = 'active' AND r."nextPosition" = ${position}
      ON CONFLICT ("runId", "stepId") DO UPDATE SET status = 'skipped', reason = 'deleted', "updatedAt" = ${now}
        WHERE "ScenarioRunStep".status = 'waiting' AND "ScenarioRunStep"."deliveryId" IS NULL`;
  }
  if (!oldPositions.length) return;
  await tx.$executeRaw`
    UPDATE "ScenarioRun" r SET "nextPosition" = m.new, "nextDueAt" = LEAST(r."nextDueAt", ${now}), "updatedAt" = ${now}
    FROM unnest(${oldPositions}::int[], ${newPositions}::int[]) AS m(old, new)
    WHERE r."scenarioId" = ${scenarioId} AND r.shop = ${shop} AND r.status = 'active' AND r."nextPosition" = m.old`;
}

/**
 * Ends the active runs matching `where` (over "ScenarioRun" r) with `reason`, in one statement: their scheduled
 * deliveries are cancelled (a job that runs anyway finds the row cancelled and sends nothing) and their steps
 * waiting for quota are skipped. Returns the runs ended.
 */
export async function endRunsWhere(
  client: Prisma.TransactionClient | typeof db,
  where: Prisma.Sql,
  reason: EndReason,
  now = new Date(),
  status: "exited" | "stopped" | "finished" = "stopped",
): Promise<string[]> {
  const rows = await client.$queryRaw<{ runs: string[]; deliveries: string[] }[]>`
    WITH ended AS (
      UPDATE "ScenarioRun" r SET status = ${status}, "endReason" = ${reason}, "endedAt" = ${now}, "nextDueAt" = NULL, "updatedAt" = ${now}
      WHERE r.status = 'active' AND ${where}
      RETURNING r.id
    ), cancelled AS (
      UPDATE "Delivery" d SET status = 'cancelled', "updatedAt" = ${now}
      FROM ended e WHERE d.kind = 'step' AND d."sourceId" = e.id AND d.status = 'scheduled'
      RETURNING d.id
    ), waiting AS (
      UPDATE "ScenarioRunStep" rs SET status = 'skipped', reason = 'ended', "updatedAt" = ${now}
      FROM ended e WHERE rs."runId" = e.id AND rs.status = 'waiting'
      RETURNING rs.id
    )
    SELECT ARRAY(SELECT id FROM ended) AS runs, ARRAY(SELECT id FROM cancelled) AS deliveries, (SELECT count(*) FROM waiting) AS waiting`;
  const { runs, deliveries } = rows[0];
  // The jobs of cancelled deliveries would find them cancelled; removing them just frees Redis sooner.
  if (deliveries.length) {
    const queue = deliveryQueue("push");
    await Promise.all(deliveries.slice(0, 10_000).map((deliveryId) => queue.remove(deliveryJobId(deliveryId)).catch(() => 0)));
  }
  return runs;
}

/** on | off; off ends every active run ("scenarioOff") and cancels their scheduled sends. False: not the shop's. */
export async function setScenarioStatus(shop: string, id: string, status: "on" | "off"): Promise<boolean> {
  const now = new Date();
  return db.$transaction(
    async (tx) => {
      const { count } = await tx.scenario.updateMany({ where: { id, shop }, data: { status } });
      if (!count) return false;
      if (status === "off") await endRunsWhere(tx, Prisma.sql`r."scenarioId" = ${id} AND r.shop = ${shop}`, END_REASONS.scenarioOff, now);
      return true;
    },
    { timeout: 60_000 },
  );
}

/** Ends the scenario's runs, then deletes it with its steps and runs. False: not the shop's. */
export async function deleteScenario(shop: string, id: string): Promise<boolean> {
  const scenario = await db.scenario.findFirst({ where: { id, shop }, select: { id: true } });
  if (!scenario) return false;
  await endRunsWhere(db, Prisma.sql`r."scenarioId" = ${id} AND r.shop = ${shop}`, END_REASONS.scenarioDeleted);
  await db.scenario.deleteMany({ where: { id, shop } });
  return true;
}

// ── runs ──────────────────────────────────────────────────────────────────────────────────────────────────────

export type StartResult = { runId: string } | { errors: Record<string, string> };

export type RunInsert = {
  /** A condition over "Scenario" s (which scenarios start). */
  scenarios: Prisma.Sql;
  /** A SELECT of "Friend" rows (f.*), possibly with extra columns the other expressions read as f."…". */
  friends: Prisma.Sql;
  startedBy: string;
  /** An expression over s and f: the start event's key (unique per scenario and friend), or NULL::text. */
  startedRef: Prisma.Sql;
  /** An expression over s and f: the scenarios that led here through step actions, or NULL::text. */
  cause?: Prisma.Sql;
  /** A re-follow's "restart": the friend enters again whatever allowReentry says. */
  ignoreReentry?: boolean;
  now?: Date;
};

/**
 * The one INSERT of runs: for every scenario that is on and every friend of its account who follows it and whom
 * staff did not block, unless an active run exists (partial unique index) or, without re-entry, any run did; one run
 * per startedRef (unique index), so a retried announcement starts nothing. Runs are due at once: the engine
 * computes the first step's due time. Returns the new runs.
 */
export async function insertRuns(client: Prisma.TransactionClient | typeof db, insert: RunInsert): Promise<{ id: string; scenarioId: string; friendId: string }[]> {
  const now = insert.now ?? new Date();
  const reentry = insert.ignoreReentry ? Prisma.sql`a.status = 'active'` : Prisma.sql`(a.status = 'active' OR NOT s."allowReentry")`;
  return client.$queryRaw<{ id: string; scenarioId: string; friendId: string }[]>`
    INSERT INTO "ScenarioRun" (id, shop, "scenarioId", "friendId", status, "startedBy", "startedRef", "startedAt", "nextPosition", "nextDueAt", cause, "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, s.shop, s.id, f.id, 'active', ${insert.startedBy}, ${insert.startedRef}, ${now}, 0, ${now}, ${insert.cause ?? Prisma.sql`NULL::text`}, ${now}, ${now}
    FROM "Scenario" s
    JOIN (${insert.friends}) f ON f."lineAccountId" = s."lineAccountId" AND f.shop = s.shop
    WHERE s.status = 'on' AND ${insert.scenarios}
      AND f."followStatus" = 'following' AND f."operatorBlockedAt" IS NULL
      AND NOT EXISTS (SELECT 1 FROM "ScenarioRun" a WHERE a."scenarioId" = s.id AND a."friendId" = f.id AND ${reentry})
    ON CONFLICT DO NOTHING
    RETURNING id, "scenarioId", "friendId"`;
}

/**
 * Starts the scenario for one friend: by hand (the friend page), or from a form's submit (origin "form" with the
 * answer as its start key, so the same answer never starts it twice).
 */
export async function startScenarioForFriend(
  shop: string,
  scenarioId: string,
  friendId: string,
  origin: { startedBy: "manual" | "form"; startedRef: string | null } = { startedBy: "manual", startedRef: null },
): Promise<StartResult> {
  const scenario = await db.scenario.findFirst({ where: { id: scenarioId, shop }, select: { id: true, status: true, lineAccountId: true, allowReentry: true } });
  if (!scenario) return { errors: { form: "scenarios.error.notFound" } };
  if (scenario.status !== "on") return { errors: { form: "scenarios.error.notOn" } };
  const friend = await db.friend.findFirst({
    where: { id: friendId, shop, lineAccountId: scenario.lineAccountId },
    select: { id: true, followStatus: true, operatorBlockedAt: true },
  });
  if (!friend || friend.followStatus !== "following" || friend.operatorBlockedAt) return { errors: { form: "scenarios.error.friend" } };
  const [run] = await insertRuns(db, {
    scenarios: Prisma.sql`s.id = ${scenario.id}`,
    friends: Prisma.sql`SELECT * FROM "Friend" WHERE id = ${friend.id} AND shop = ${shop}`,
    startedBy: origin.startedBy,
    startedRef: origin.startedRef ? Prisma.sql`${origin.startedRef}::text` : Prisma.sql`NULL::text`,
  });
  if (run) return { runId: run.id };
  const active = await db.scenarioRun.count({ where: { scenarioId, friendId, shop, status: "active" } });
  return { errors: { form: active ? "scenarios.error.alreadyRunning" : "scenarios.error.alreadyDone" } };
}

/**
 * Starts the scenario for every friend of a segment (of the scenario's account), frozen now: one INSERT … SELECT.
 * Friends already in it (or done, without re-entry) are left out. Returns how many runs started.
 */
export async function startScenarioForSegment(shop: string, scenarioId: string, segmentId: string): Promise<{ started: number } | { errors: Record<string, string> }> {
  const scenario = await db.scenario.findFirst({ where: { id: scenarioId, shop }, select: { id: true, status: true } });
  if (!scenario) return { errors: { form: "scenarios.error.notFound" } };
  if (scenario.status !== "on") return { errors: { form: "scenarios.error.notOn" } };
  const segment = await db.segment.findFirst({ where: { id: segmentId, shop } });
  if (!segment) return { errors: { segmentId: "scenarios.error.segment" } };
  const where = segmentWhere(shop, segment.definition as never);
  const ref = `segment:${segment.id}:${randomUUID()}`;
  const runs = await insertRuns(db, {
    scenarios: Prisma.sql`s.id = ${scenario.id}`,
    friends: Prisma.sql`SELECT f.* FROM "Friend" f WHERE ${where}`,
    startedBy: "manual",
    startedRef: Prisma.sql`${ref}::text`,
  });
  return { started: runs.length };
}

/** Staff's "stop this run": ended "stopped", its scheduled send cancelled. False: not the shop's or not active. */
export async function stopRun(shop: string, runId: string): Promise<boolean> {
  const ended = await endRunsWhere(db, Prisma.sql`r.id = ${runId} AND r.shop = ${shop}`, END_REASONS.stoppedByStaff);
  return ended.length > 0;
}

export type RunStepView = {
  stepId: string;
  position: number | null;
  deleted: boolean;
  /** queued → the delivery's status decides: sent | failed | skipped | cancelled | unknown | scheduled | sending. */
  status: "sent" | "failed" | "skipped" | "waiting" | "sending" | "unknown";
  reason: string | null;
  dueAt: Date;
};

export type RunView = {
  id: string;
  scenarioId: string;
  scenarioName: string;
  status: string;
  endReason: string | null;
  startedBy: string;
  startedAt: Date;
  endedAt: Date | null;
  nextPosition: number;
  nextDueAt: Date | null;
  stepCount: number;
  steps: RunStepView[];
};

/** What a run step's row and its delivery say, in one status. */
export function runStepStatus(rs: { status: string; reason: string | null }, delivery: { status: string; reason: string | null } | null): Pick<RunStepView, "status" | "reason"> {
  if (rs.status === "waiting") return { status: "waiting", reason: null };
  if (rs.status === "skipped" || !delivery) return { status: "skipped", reason: rs.reason };
  switch (delivery.status) {
    case "sent":
      return { status: "sent", reason: null };
    case "failed":
      return { status: "failed", reason: delivery.reason };
    case "unknown":
      return { status: "unknown", reason: delivery.reason };
    case "skipped":
      return { status: "skipped", reason: delivery.reason };
    case "cancelled":
      return { status: "skipped", reason: "ended" };
    default:
      return { status: "sending", reason: null };
  }
}

/** The friend's runs, newest first, with each step's outcome (the friend page). */
export async function runsOfFriend(shop: string, friendId: string): Promise<RunView[]> {
  const runs = await db.scenarioRun.findMany({
    where: { shop, friendId },
    orderBy: { startedAt: "desc" },
    take: 50,
    include: {
      scenario: { select: { name: true, steps: { select: { id: true, position: true, deletedAt: true } } } },
      steps: { orderBy: { createdAt: "asc" } },
    },
  });
  const deliveryIds = runs.flatMap((run) => run.steps.map((s) => s.deliveryId).filter(Boolean) as string[]);
  const deliveries = new Map(
    (await db.delivery.findMany({ where: { shop, id: { in: deliveryIds } }, select: { id: true, status: true, reason: true } })).map((d) => [d.id, d]),
  );
  return runs.map((run) => {
    const stepsById = new Map(run.scenario.steps.map((s) => [s.id, s]));
    return {
      id: run.id,
      scenarioId: run.scenarioId,
      scenarioName: run.scenario.name,
      status: run.status,
      endReason: run.endReason,
      startedBy: run.startedBy,
      startedAt: run.startedAt,
      endedAt: run.endedAt,
      nextPosition: run.nextPosition,
      nextDueAt: run.nextDueAt,
      stepCount: run.scenario.steps.filter((s) => !s.deletedAt).length,
      steps: run.steps.map((rs) => {
        const step = stepsById.get(rs.stepId);
        return {
          stepId: rs.stepId,
          position: step && !step.deletedAt ? step.position : null,
          deleted: Boolean(step?.deletedAt),
          dueAt: rs.dueAt,
          ...runStepStatus(rs, rs.deliveryId ? (deliveries.get(rs.deliveryId) ?? null) : null),
        };
      }),
    };
  });
}

export type StepResult = {
  stepId: string;
  position: number;
  deleted: boolean;
  sent: number;
  failed: number;
  unknown: number;
  /** In the pipeline now. */
  sending: number;
  /** Held back by the quota. */
  waiting: number;
  /** Active runs whose next step this is (not due yet, or due now). */
  upcoming: number;
  skipped: Record<string, number>;
  clicks: number;
  clickers: number;
};

/** Per step (live ones in order, then deleted ones that have history): what happened, and clicks on its links. */
export async function stepResults(shop: string, scenarioId: string): Promise<StepResult[] | null> {
  const scenario = await db.scenario.findFirst({ where: { id: scenarioId, shop }, include: { steps: true } });
  if (!scenario) return null;
  const stepIds = scenario.steps.map((s) => s.id);
  const [outcomes, upcoming, clicks] = await Promise.all([
    db.$queryRaw<{ stepId: string; status: string; reason: string | null; dStatus: string | null; dReason: string | null; count: number }[]>`
      SELECT rs."stepId", rs.status, rs.reason, d.status AS "dStatus", d.reason AS "dReason", count(*)::int AS count
      FROM "ScenarioRunStep" rs
      LEFT JOIN "Delivery" d ON d.id = rs."deliveryId"
      WHERE rs."stepId" = ANY(${stepIds}::text[]) AND rs.shop = ${shop}
      GROUP BY 1, 2, 3, 4, 5`,
    db.scenarioRun.groupBy({ by: ["nextPosition"], where: { shop, scenarioId, status: "active" }, _count: { _all: true } }),
    db.$queryRaw<{ sourceId: string; clicks: number; clickers: number }[]>`
      SELECT "sourceId", count(*)::int AS clicks, count(DISTINCT "friendId")::int AS clickers
      FROM "LinkClick" WHERE kind = 'step' AND "sourceId" = ANY(${stepIds}::text[]) AND shop = ${shop}
      GROUP BY 1`,
  ]);
  const live = scenario.steps.filter((s) => !s.deletedAt).sort((a, b) => a.position - b.position);
  const deleted = scenario.steps.filter((s) => s.deletedAt && outcomes.some((o) => o.stepId === s.id));
  return [...live, ...deleted].map((step, index) => {
    const result: StepResult = {
      stepId: step.id,
      position: step.deletedAt ? -1 : index,
      deleted: Boolean(step.deletedAt),
      sent: 0,
      failed: 0,
      unknown: 0,
      sending: 0,
      waiting: 0,
      upcoming: step.deletedAt ? 0 : (upcoming.find((u) => u.nextPosition === index)?._count._all ?? 0),
      skipped: {},
      clicks: clicks.find((c) => c.sourceId === step.id)?.clicks ?? 0,
      clickers: clicks.find((c) => c.sourceId === step.id)?.clickers ?? 0,
    };
    for (const row of outcomes.filter((o) => o.stepId === step.id)) {
      const outcome = runStepStatus(row, row.dStatus ? { status: row.dStatus, reason: row.dReason } : null);
      if (outcome.status === "skipped") {
        const reason = outcome.reason ?? "unknown";
        result.skipped[reason] = (result.skipped[reason] ?? 0) + row.count;
      } else result[outcome.status] += row.count;
    }
    return result;
  });
}

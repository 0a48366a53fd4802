// The step engine. Runs wait in PostgreSQL (ScenarioRun.nextDueAt, indexed with status), never as one delayed job
// per run and step: a BullMQ job scheduler ticks every few seconds (jobs/processors/scenarios.ts), and each tick
// claims due runs in batches (FOR UPDATE SKIP LOCKED, so ticks of several workers share the work and never take
// the same run) and, in ONE transaction per batch, for each run:
//   - computes the due time of its next step from the current definition (an edited delay applies at once);
//     not due yet → the run waits until then;
//   - evaluates the step's condition now (skip the step, or end the run);
//   - holds it back while the account's quota is exhausted ("waiting", no delivery), and skips it ("late") once it
//     is later than the scenario's lateness limit;
//   - records the run step (unique (runId, stepId)) and ONE push delivery whose retry key derives from the run
//     step, so whatever the workers do (a retried batch, a killed worker) the step is one message at LINE;
//   - applies the step's tag actions and moves the run on (next position, next due time, or finished).
// The deliveries are queued after the commit (a crash in between leaves them to the pipeline's sweeper). A tick
// stops claiming while the push queue holds more than BACKLOG_LIMIT jobs, so Redis holds a few seconds of sends
// whatever the number of waiting steps.
//
// A delivery the pipeline refused for quota after all (the quota ran out while it was in flight) is picked up by
// `recoverQuotaHeld`: shown "waiting", reopened with its retry key when the quota is back within the lateness
// limit, else skipped "late". Never a re-send loop: a delivery is reopened only after the pipeline recorded that
// nothing reached LINE.
import { Prisma, type Scenario, type ScenarioStep } from "@prisma/client";
import { deliveryJobId, deliveryQueue } from "../../jobs/queues";
import { db, sql } from "../db.server";
import { friendsChanged } from "../friends/changes.server";
import { logger, errorFields } from "../logger.server";
import { MessageBuildError } from "../messages/build";
import { queueDeliveries, recordDeliveries, reopenDelivery, type NewDelivery } from "../messaging/deliveries.server";
import { QUOTA_STALE_MS, quotaMonth, refreshQuota } from "../messaging/quota.server";
import { retryKeyFor } from "../messaging/retry-key";
import { saveStepLinks, stepMessages, type StepLinkRow } from "./links.server";
import { END_REASONS, type EndReason, type StepCondition } from "./model";
import { endRunsWhere, stepView } from "./scenarios.server";
import { stepDueAt } from "./schedule";

export const ENGINE = {
  /** Runs claimed per transaction. */
  batchSize: 500,
  /** Batches in flight at once per tick (each holds a connection for its transaction and one for its deliveries). */
  lanes: 2,
  /** A tick stops claiming when the push queue holds this many jobs (waiting, delayed, prioritized). */
  backlogLimit: 20_000,
  /** How long one tick keeps claiming batches. */
  tickBudgetMs: 20_000,
  /** A run held back by the quota looks again after this long. */
  quotaRecheckMs: 60_000,
  /**
   * Runs due this soon are taken now, their deliveries due at the step's time (a delayed job): a burst starts on
   * its second instead of a tick later. The condition is checked and the actions applied up to this much early.
   */
  lookaheadMs: 5_000,
};

/** The retry key of a run step's delivery: the same whatever attempt creates it. */
export function stepRetryKey(runId: string, stepId: string): string {
  return retryKeyFor(`scenario-step:${runId}:${stepId}`);
}

type ClaimedRun = {
  id: string;
  shop: string;
  scenarioId: string;
  friendId: string;
  startedAt: Date;
  nextPosition: number;
  lastStepAt: Date | null;
  cause: string | null;
};

type FriendRow = {
  id: string;
  lineUserId: string;
  lineAccountId: string;
  displayName: string | null;
  shopifyCustomerId: string | null;
};

type LedgerRow = { lineAccountId: string; exhaustedAt: Date | null; remaining: number | null; checkedAt: Date | null; month: string | null };

type Advance = { id: string; position: number; lastStepAt: Date; nextDueAt: Date | null; finished: boolean };
type RunStepRow = { runId: string; stepId: string; shop: string; status: "queued" | "waiting" | "skipped"; reason: string | null; dueAt: Date };
type LoadedScenario = Scenario & { steps: ScenarioStep[] };
type Send = { run: ClaimedRun; scenario: LoadedScenario; step: ScenarioStep; friend: FriendRow; dueAt: Date };

export type BatchResult = { claimed: number; sent: number; skipped: number; waiting: number; parked: number; ended: number };

/** One tick: batches until nothing is due, the push backlog is full, or the tick's time is up. */
export async function runDueSteps(now: () => Date = () => new Date()): Promise<BatchResult> {
  const total: BatchResult = { claimed: 0, sent: 0, skipped: 0, waiting: 0, parked: 0, ended: 0 };
  const started = Date.now();
  await recoverQuotaHeld(now()).catch((error) => logger.warn("scenario quota recovery failed", errorFields(error)));
  // Batches run side by side (SKIP LOCKED gives each its own runs): a batch mostly waits on PostgreSQL.
  const lane = async () => {
    while (Date.now() - started < ENGINE.tickBudgetMs) {
      // Redis unreachable: claim nothing this tick (its deliveries could not be queued); the next tick looks again.
    const backlog = await pushBacklog().catch(() => null);
    if (backlog === null || backlog >= ENGINE.backlogLimit) break;
      const result = await processDueBatch(now());
      for (const key of Object.keys(total) as (keyof BatchResult)[]) total[key] += result[key];
      if (result.claimed < ENGINE.batchSize) break;
    }
  };
  await Promise.all(Array.from({ length: ENGINE.lanes }, lane));
  return total;
}

async function pushBacklog(): Promise<number> {
  const counts = await deliveryQueue("push").getJobCounts("waiting", "delayed", "prioritized", "active");
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/** Claims and processes one batch of due runs; everything but the queueing and the announcements in one transaction. */
export async function processDueBatch(now = new Date()): Promise<BatchResult> {
  const result: BatchResult = { claimed: 0, sent: 0, skipped: 0, waiting: 0, parked: 0, ended: 0 };
  const announce: { shop: string; friendIds: string[]; type: "tagsAdded" | "tagsRemoved"; tagId: string; source: string }[] = [];
  const queued: { id: string; channel: "push" | "multicast"; dueAt: Date }[] = [];

  await db.$transaction(
    async (tx) => {
      const runs = await tx.$queryRaw<ClaimedRun[]>`
        SELECT id, shop, "scenarioId", "friendId", "startedAt", "nextPosition", "lastStepAt", cause
        FROM "ScenarioRun"
        WHERE status = 'active' AND "nextDueAt" <= ${new Date(now.getTime() + ENGINE.lookaheadMs)}
        ORDER BY "nextDueAt"
        LIMIT ${ENGINE.batchSize}
        FOR UPDATE SKIP LOCKED`;
      result.claimed = runs.length;
      if (!runs.length) return;

      // Read after the claim: a save that changed the steps either committed before (seen here) or waits for these
      // rows' locks and maps their positions after this commit (scenarios.server.ts remapRuns).
      const scenarioIds = [...new Set(runs.map((r) => r.scenarioId))];
      const scenarios = new Map((await tx.scenario.findMany({ where: { id: { in: scenarioIds } }, include: { steps: { where: { deletedAt: null }, orderBy: { position: "asc" } } } })).map((s) => [s.id, s]));
      const shops = new Map(
        (await tx.shop.findMany({ where: { shop: { in: [...new Set(runs.map((r) => r.shop))] } }, select: { shop: true, timeZone: true, locale: true } })).map((s) => [s.shop, s]),
      );
      const friends = new Map(
        (
          await tx.$queryRaw<FriendRow[]>`
            SELECT id, "lineUserId", "lineAccountId", "displayName", "shopifyCustomerId" FROM "Friend" WHERE id = ANY(${runs.map((r) => r.friendId)}::text[])`
        ).map((f) => [f.id, f]),
      );
      const stepOf = (run: ClaimedRun) => scenarios.get(run.scenarioId)?.steps[run.nextPosition];
      // Each step's JSON is parsed once per batch, not once per run.
      const views = new Map<string, ReturnType<typeof stepView>>();
      const viewOf = (step: ScenarioStep) => views.get(step.id) ?? views.set(step.id, stepView(step)).get(step.id)!;
      const existing = new Map(
        (
          await tx.$queryRaw<{ runId: string; stepId: string; status: string; dueAt: Date }[]>`
            SELECT rs."runId", rs."stepId", rs.status, rs."dueAt"
            FROM "ScenarioRunStep" rs
            JOIN unnest(${runs.map((r) => r.id)}::text[], ${runs.map((r) => stepOf(r)?.id ?? "")}::text[]) AS k(run, step)
              ON rs."runId" = k.run AND rs."stepId" = k.step`
        ).map((row) => [row.runId, row]),
      );

      const ends = new Map<EndReason, string[]>();
      const end = (runId: string, reason: EndReason) => ends.set(reason, [...(ends.get(reason) ?? []), runId]);
      const parks: { id: string; dueAt: Date }[] = [];
      const advances: Advance[] = [];
      const runSteps: RunStepRow[] = [];
      const due: Send[] = [];

      const contextOf = (run: ClaimedRun, scenario: Scenario, previousAt: Date | null) => ({
        startedAt: run.startedAt,
        previousAt,
        timeZone: shops.get(run.shop)?.timeZone ?? "Asia/Tokyo",
        quiet: scenario.quietHours ? { start: scenario.quietStart, end: scenario.quietEnd } : null,
      });
      const advance = (run: ClaimedRun, scenario: LoadedScenario, dueAt: Date) => {
        const next = scenario.steps[run.nextPosition + 1];
        let nextDueAt: Date | null = null;
        if (next) {
          try {
            nextDueAt = stepDueAt(viewOf(next).delay, contextOf(run, scenario, dueAt));
          } catch {
            nextDueAt = now;
          }
        }
        advances.push({ id: run.id, position: run.nextPosition + 1, lastStepAt: dueAt, nextDueAt, finished: !next });
      };

      for (const run of runs) {
        const scenario = scenarios.get(run.scenarioId);
        const friend = friends.get(run.friendId);
        if (!scenario || scenario.status !== "on" || !friend) {
          end(run.id, END_REASONS.scenarioOff);
          continue;
        }
        const step = scenario.steps[run.nextPosition];
        if (!step) {
          advances.push({ id: run.id, position: run.nextPosition, lastStepAt: run.lastStepAt ?? run.startedAt, nextDueAt: null, finished: true });
          continue;
        }
        const before = existing.get(run.id);
        if (before && before.status !== "waiting") {
          // Recorded already (a step deleted and added back, a position remapped): go on to the next one.
          advance(run, scenario, before.dueAt);
          continue;
        }
        let dueAt: Date;
        try {
          dueAt = before?.dueAt ?? stepDueAt(viewOf(step).delay, contextOf(run, scenario, run.lastStepAt));
        } catch (error) {
          logger.warn("scenario step due time", { runId: run.id, stepId: step.id, ...errorFields(error) });
          dueAt = now;
        }
        if (dueAt.getTime() > now.getTime() + ENGINE.lookaheadMs) {
          parks.push({ id: run.id, dueAt });
          continue;
        }
        due.push({ run, scenario, step, friend, dueAt });
      }

      // Conditions, evaluated now, for the whole batch in two statements.
      const conditions = due.map((d) => (d.step.condition ? (d.step.condition as StepCondition) : null));
      const tagPairs = due.flatMap((d, i) => {
        const c = conditions[i];
        return c && (c.type === "hasTag" || c.type === "lacksTag") ? [[d.friend.id, c.tagId]] : [];
      });
      const tagged = new Set(
        tagPairs.length
          ? (
              await tx.$queryRaw<{ key: string }[]>`
                SELECT ft."friendId" || ':' || ft."tagId" AS key FROM "FriendTag" ft
                JOIN unnest(${tagPairs.map((p) => p[0])}::text[], ${tagPairs.map((p) => p[1])}::text[]) AS k(friend, tag)
                  ON ft."friendId" = k.friend AND ft."tagId" = k.tag`
            ).map((r) => r.key)
          : [],
      );
      const orderChecks = due.filter((d, i) => (conditions[i]?.type === "ordered" || conditions[i]?.type === "notOrdered") && d.friend.shopifyCustomerId);
      const ordered = new Set(
        orderChecks.length
          ? (
              await tx.$queryRaw<{ runId: string }[]>`
                SELECT k.run AS "runId" FROM unnest(${orderChecks.map((d) => d.run.id)}::text[], ${orderChecks.map((d) => d.run.shop)}::text[],
                                                     ${orderChecks.map((d) => d.friend.shopifyCustomerId!)}::text[], ${orderChecks.map((d) => d.run.startedAt.toISOString())}::timestamp[])
                  AS k(run, shop, customer, since)
                WHERE EXISTS (SELECT 1 FROM "Order" o WHERE o.shop = k.shop AND o."customerId" = k.customer AND o."processedAt" >= k.since AND o."cancelledAt" IS NULL)`
            ).map((r) => r.runId)
          : [],
      );
      const holds = (d: Send, c: StepCondition | null): boolean => {
        if (!c) return true;
        switch (c.type) {
          case "hasTag":
            return tagged.has(`${d.friend.id}:${c.tagId}`);
          case "lacksTag":
            return !tagged.has(`${d.friend.id}:${c.tagId}`);
          case "linked":
            return Boolean(d.friend.shopifyCustomerId);
          case "notLinked":
            return !d.friend.shopifyCustomerId;
          case "ordered":
            return ordered.has(d.run.id);
          case "notOrdered":
            return !ordered.has(d.run.id);
        }
      };

      const ledgers = await quotaLedgers(tx, [...new Set(due.map((d) => d.friend.lineAccountId))], now);
      const sends: (Send & { messages: NewDelivery["messages"]; links: ReturnType<typeof stepMessages>["links"] })[] = [];
      for (const [i, d] of due.entries()) {
        const record = (status: RunStepRow["status"], reason: string | null) =>
          runSteps.push({ runId: d.run.id, stepId: d.step.id, shop: d.run.shop, status, reason, dueAt: d.dueAt });
        if (!holds(d, conditions[i])) {
          record("skipped", "condition");
          result.skipped += 1;
          if (d.step.onConditionFail === "end") end(d.run.id, END_REASONS.condition);
          else advance(d.run, d.scenario, d.dueAt);
          continue;
        }
        if (now.getTime() - d.dueAt.getTime() > d.scenario.latenessHours * 3_600_000) {
          record("skipped", "late");
          result.skipped += 1;
          advance(d.run, d.scenario, d.dueAt);
          continue;
        }
        if (quotaGone(ledgers.get(d.friend.lineAccountId))) {
          record("waiting", null);
          result.waiting += 1;
          parks.push({ id: d.run.id, dueAt: new Date(now.getTime() + ENGINE.quotaRecheckMs) });
          continue;
        }
        try {
          const built = stepMessages(viewOf(d.step).messages, {
            runId: d.run.id,
            stepId: d.step.id,
            utmParams: d.scenario.utmParams,
            displayName: d.friend.displayName,
            locale: shops.get(d.run.shop)?.locale === "en" ? "en" : "ja",
          });
          sends.push({ ...d, ...built });
        } catch (error) {
          if (!(error instanceof MessageBuildError)) throw error;
          record("skipped", "invalid");
          result.skipped += 1;
          advance(d.run, d.scenario, d.dueAt);
        }
      }

      // The run steps to send: a step already recorded in an end state is not sent again.
      const claimedSteps = sends.length
        ? await tx.$queryRaw<{ runId: string; id: string }[]>`
            INSERT INTO "ScenarioRunStep" (id, shop, "runId", "stepId", status, "dueAt", "createdAt", "updatedAt")
            SELECT gen_random_uuid()::text, k.shop, k.run, k.step, 'queued', k.due, ${now}, ${now}
            FROM unnest(${sends.map((s) => s.run.shop)}::text[], ${sends.map((s) => s.run.id)}::text[], ${sends.map((s) => s.step.id)}::text[],
                        ${sends.map((s) => s.dueAt.toISOString())}::timestamp[]) AS k(shop, run, step, due)
            ON CONFLICT ("runId", "stepId") DO UPDATE SET status = 'queued', reason = NULL, "updatedAt" = ${now}
              WHERE "ScenarioRunStep".status = 'waiting'
            RETURNING "runId", id`
        : [];
      const toSend = new Set(claimedSteps.map((row) => row.runId));
      const sending = sends.filter((s) => toSend.has(s.run.id));
      for (const s of sends) advance(s.run, s.scenario, s.dueAt);

      // One push per run step; a delivery made by an earlier attempt of this batch is found by its retry key.
      const stored = await recordDeliveries(
        sending.map((s) => ({
          shop: s.run.shop,
          lineAccountId: s.friend.lineAccountId,
          kind: "step",
          channel: "push",
          sourceId: s.run.id,
          recipients: [s.friend.lineUserId],
          friendId: s.friend.id,
          messages: s.messages,
          dueAt: s.dueAt > now ? s.dueAt : now,
          retryKey: stepRetryKey(s.run.id, s.step.id),
        })),
      );
      result.sent = stored.length;
      queued.push(...stored);
      if (stored.length) {
        await tx.$executeRaw`
          UPDATE "ScenarioRunStep" rs SET "deliveryId" = k.delivery
          FROM unnest(${sending.map((s) => s.run.id)}::text[], ${sending.map((s) => s.step.id)}::text[], ${stored.map((d) => d.id)}::text[]) AS k(run, step, delivery)
          WHERE rs."runId" = k.run AND rs."stepId" = k.step`;
        const links: StepLinkRow[] = sending.flatMap((s, i) =>
          s.links.map((link) => ({ ...link, shop: s.run.shop, stepId: s.step.id, friendId: s.friend.id, deliveryId: stored[i].id })),
        );
        await saveStepLinks(links);
      }

      if (runSteps.length) {
        await tx.$executeRaw`
          INSERT INTO "ScenarioRunStep" (id, shop, "runId", "stepId", status, reason, "dueAt", "createdAt", "updatedAt")
          SELECT gen_random_uuid()::text, k.shop, k.run, k.step, k.status, k.reason, k.due, ${now}, ${now}
          FROM unnest(${runSteps.map((r) => r.shop)}::text[], ${runSteps.map((r) => r.runId)}::text[], ${runSteps.map((r) => r.stepId)}::text[],
                      ${runSteps.map((r) => r.status)}::text[], ${runSteps.map((r) => r.reason)}::text[], ${runSteps.map((r) => r.dueAt.toISOString())}::timestamp[])
            AS k(shop, run, step, status, reason, due)
          ON CONFLICT ("runId", "stepId") DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason, "updatedAt" = ${now}
            WHERE "ScenarioRunStep".status = 'waiting'`;
      }

      // Tag actions of the steps sent, set-based; announced after the commit with the scenario as their source.
      const actions = sending.map((s) => ({ s, actions: viewOf(s.step).actions }));
      const adds = actions.flatMap(({ s, actions: a }) => a.addTagIds.map((tagId) => ({ s, tagId })));
      const removes = actions.flatMap(({ s, actions: a }) => a.removeTagIds.map((tagId) => ({ s, tagId })));
      const sourceOf = (s: Send) => `step:${[s.scenario.id, ...(s.run.cause ? s.run.cause.split(",") : [])].join(",")}`;
      if (adds.length) {
        const added = await tx.$queryRaw<{ friendId: string; tagId: string; shop: string; source: string }[]>`
          INSERT INTO "FriendTag" ("friendId", "tagId", shop, source, "createdAt")
          SELECT k.friend, k.tag, k.shop, k.source, ${now}
          FROM unnest(${adds.map((a) => a.s.friend.id)}::text[], ${adds.map((a) => a.tagId)}::text[], ${adds.map((a) => a.s.run.shop)}::text[],
                      ${adds.map((a) => sourceOf(a.s))}::text[]) AS k(friend, tag, shop, source)
          JOIN "Tag" t ON t.id = k.tag AND t.shop = k.shop
          ON CONFLICT DO NOTHING
          RETURNING "friendId", "tagId", shop, source`;
        for (const row of added) announce.push({ shop: row.shop, friendIds: [row.friendId], type: "tagsAdded", tagId: row.tagId, source: row.source });
      }
      if (removes.length) {
        const removed = await tx.$queryRaw<{ friendId: string; tagId: string; shop: string }[]>`
          DELETE FROM "FriendTag" ft USING unnest(${removes.map((a) => a.s.friend.id)}::text[], ${removes.map((a) => a.tagId)}::text[], ${removes.map((a) => a.s.run.shop)}::text[]) AS k(friend, tag, shop)
          WHERE ft."friendId" = k.friend AND ft."tagId" = k.tag AND ft.shop = k.shop
          RETURNING ft."friendId", ft."tagId", ft.shop`;
        for (const row of removed) {
          const s = removes.find((a) => a.s.friend.id === row.friendId && a.tagId === row.tagId)!.s;
          announce.push({ shop: row.shop, friendIds: [row.friendId], type: "tagsRemoved", tagId: row.tagId, source: sourceOf(s) });
        }
      }

      if (advances.length) {
        await tx.$executeRaw`
          UPDATE "ScenarioRun" r SET "nextPosition" = k.position, "lastStepAt" = k.last, "nextDueAt" = k.due,
            status = CASE WHEN k.finished THEN 'finished' ELSE r.status END,
            "endReason" = CASE WHEN k.finished THEN ${END_REASONS.finished} ELSE r."endReason" END,
            "endedAt" = CASE WHEN k.finished THEN ${now}::timestamp ELSE r."endedAt" END,
            "updatedAt" = ${now}
          FROM unnest(${advances.map((a) => a.id)}::text[], ${advances.map((a) => a.position)}::int[], ${advances.map((a) => a.lastStepAt.toISOString())}::timestamp[],
                      ${advances.map((a) => a.nextDueAt?.toISOString() ?? null)}::timestamp[], ${advances.map((a) => a.finished)}::boolean[])
            AS k(id, position, last, due, finished)
          WHERE r.id = k.id AND r.status = 'active'`;
      }
      if (parks.length) {
        result.parked = parks.length;
        await tx.$executeRaw`
          UPDATE "ScenarioRun" r SET "nextDueAt" = k.due, "updatedAt" = ${now}
          FROM unnest(${parks.map((p) => p.id)}::text[], ${parks.map((p) => p.dueAt.toISOString())}::timestamp[]) AS k(id, due)
          WHERE r.id = k.id AND r.status = 'active'`;
      }
      for (const [reason, ids] of ends) {
        const status = reason === END_REASONS.condition ? "exited" : "stopped";
        result.ended += (await endRunsWhere(tx, Prisma.sql`r.id = ANY(${ids}::text[])`, reason, now, status)).length;
      }
    },
    { timeout: 120_000, maxWait: 30_000 },
  );

  await queueDeliveries(queued);
  // One announcement per (shop, tag, change, source), for all its friends at once.
  const groups = new Map<string, (typeof announce)[number]>();
  for (const a of announce) {
    const key = `${a.shop}|${a.type}|${a.tagId}|${a.source}`;
    const group = groups.get(key);
    if (group) group.friendIds.push(...a.friendIds);
    else groups.set(key, { ...a, friendIds: [...a.friendIds] });
  }
  for (const g of groups.values()) {
    await friendsChanged(g.shop, g.friendIds, { type: g.type, tagIds: [g.tagId], source: g.source }).catch((error) =>
      logger.warn("step tag change listeners failed", { shop: g.shop, ...errorFields(error) }),
    );
  }
  return result;
}

async function quotaLedgers(tx: Prisma.TransactionClient, accountIds: string[], now: Date): Promise<Map<string, LedgerRow>> {
  if (!accountIds.length) return new Map();
  const rows = await tx.$queryRaw<LedgerRow[]>`
    SELECT "lineAccountId", "exhaustedAt", "checkedAt", month,
           CASE WHEN type = 'limited' THEN "monthlyLimit" - "usedAtCheck" - "sentSince" END AS remaining
    FROM "LineQuota" WHERE "lineAccountId" = ANY(${accountIds}::text[])`;
  const ledgers = new Map(rows.map((row) => [row.lineAccountId, row]));
  // An exhausted ledger is read from LINE again when stale, so steps go as soon as the merchant adds messages.
  for (const row of rows) {
    if (!quotaGone(row)) continue;
    const stale = !row.checkedAt || now.getTime() - row.checkedAt.getTime() > QUOTA_STALE_MS || row.month !== quotaMonth(now);
    if (!stale) continue;
    const account = await db.lineAccount.findUnique({ where: { id: row.lineAccountId } });
    if (!account) continue;
    try {
      const fresh = await refreshQuota(account, now);
      const remaining = fresh.type === "limited" && fresh.monthlyLimit !== null ? fresh.monthlyLimit - fresh.usedAtCheck - fresh.sentSince : null;
      ledgers.set(row.lineAccountId, { ...row, exhaustedAt: fresh.exhaustedAt, remaining, checkedAt: fresh.checkedAt, month: fresh.month });
    } catch (error) {
      logger.warn("quota could not be read for waiting steps", { lineAccountId: row.lineAccountId, ...errorFields(error) });
    }
  }
  return ledgers;
}

/** The account has no message left this month (no ledger yet: the pipeline reads LINE's figures first). */
function quotaGone(ledger: LedgerRow | undefined): boolean {
  if (!ledger) return false;
  return Boolean(ledger.exhaustedAt) || (ledger.remaining !== null && ledger.remaining <= 0);
}

/**
 * Step deliveries the pipeline skipped for quota (it ran out while they were in flight): "waiting" while the quota
 * is gone, reopened with their retry key when it is back within the lateness limit, else skipped "late"; those of
 * ended runs are closed. Reads only such deliveries of the last week (the lateness limit is at most 168 h), from a
 * partial index that holds nothing else ("Delivery_step_quota_held_idx").
 */
export async function recoverQuotaHeld(now = new Date(), limit = 1_000): Promise<{ reopened: number; late: number; waiting: number }> {
  const rows = await sql<{
    deliveryId: string;
    shop: string;
    lineAccountId: string;
    runStepId: string;
    dueAt: Date;
    runStatus: string;
    latenessHours: number;
  }>`
    SELECT d.id AS "deliveryId", d.shop, d."lineAccountId", rs.id AS "runStepId", rs."dueAt", r.status AS "runStatus", s."latenessHours"
    FROM "Delivery" d
    JOIN "ScenarioRunStep" rs ON rs."runId" = d."sourceId" AND rs."deliveryId" = d.id
    JOIN "ScenarioRun" r ON r.id = rs."runId"
    JOIN "Scenario" s ON s.id = r."scenarioId"
    WHERE d.status = 'skipped' AND d."dueAt" > ${new Date(now.getTime() - 8 * 24 * 3_600_000)}::timestamp
      AND d.kind = 'step' AND d.reason IN ('quota-exhausted', 'quota-exceeded') AND rs.status IN ('queued', 'waiting')
    LIMIT ${limit}`;
  if (!rows.length) return { reopened: 0, late: 0, waiting: 0 };
  const ledgers = await db.$transaction((tx) => quotaLedgers(tx, [...new Set(rows.map((r) => r.lineAccountId))], now));
  const late: string[] = [];
  const ended: string[] = [];
  const waiting: string[] = [];
  const reopen: typeof rows = [];
  for (const row of rows) {
    if (row.runStatus !== "active" && row.runStatus !== "finished") ended.push(row.runStepId);
    else if (now.getTime() - row.dueAt.getTime() > row.latenessHours * 3_600_000) late.push(row.runStepId);
    else if (quotaGone(ledgers.get(row.lineAccountId))) waiting.push(row.runStepId);
    else reopen.push(row);
  }
  const mark = async (ids: string[], status: string, reason: string | null) => {
    if (ids.length) await sql`UPDATE "ScenarioRunStep" SET status = ${status}, reason = ${reason}, "updatedAt" = ${now} WHERE id = ANY(${ids}::text[])`;
  };
  await mark(late, "skipped", "late");
  await mark(ended, "skipped", "ended");
  await mark(waiting, "waiting", null);
  const reopened: { id: string; channel: "push"; dueAt: Date }[] = [];
  for (const row of reopen) {
    if (await reopenDelivery(row.shop, row.deliveryId)) reopened.push({ id: row.deliveryId, channel: "push", dueAt: now });
  }
  await mark(reopen.map((r) => r.runStepId), "queued", null);
  if (reopened.length) {
    // A finished job keeps its id in BullMQ for a while: remove it so the delivery can be queued again.
    await Promise.all(reopened.map((r) => deliveryQueue("push").remove(deliveryJobId(r.id)).catch(() => 0)));
    await queueDeliveries(reopened);
  }
  return { reopened: reopened.length, late: late.length, waiting: waiting.length };
}

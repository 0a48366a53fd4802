// The figures the scenario pages show, read with grouped queries (no row per run reaches the web process):
// runs in progress and ended per scenario, steps sent today, and per step what happened, the clicks on its tracked
// links and the orders attributed to it (OrderAttribution kind "step", sourceId = the step's id).
import { zonedInstant, zonedWallClock } from "../abandoned-cart/quiet-hours";
import { db } from "../db.server";

export type RunCounts = { active: number; ended: number };

export async function runCounts(shop: string, scenarioIds: string[]): Promise<Map<string, RunCounts>> {
  const rows = scenarioIds.length
    ? await db.scenarioRun.groupBy({ by: ["scenarioId", "status"], where: { shop, scenarioId: { in: scenarioIds } }, _count: { _all: true } })
    : [];
  const counts = new Map<string, RunCounts>(scenarioIds.map((id) => [id, { active: 0, ended: 0 }]));
  for (const row of rows) {
    const entry = counts.get(row.scenarioId)!;
    if (row.status === "active") entry.active += row._count._all;
    else entry.ended += row._count._all;
  }
  return counts;
}

/** Midnight today on the shop's clock. */
export function startOfShopDay(timeZone: string, now = new Date()) {
  return zonedInstant(zonedWallClock(now, timeZone).date, "00:00", timeZone);
}

/** Step messages sent since `since`, per scenario: deliveries of kind "step" name their step (Delivery.sourceId). */
export async function sentSince(shop: string, scenarioIds: string[], since: Date): Promise<Map<string, number>> {
  const steps = scenarioIds.length ? await db.scenarioStep.findMany({ where: { shop, scenarioId: { in: scenarioIds } }, select: { id: true, scenarioId: true } }) : [];
  const rows = steps.length
    ? await db.delivery.groupBy({ by: ["sourceId"], where: { shop, kind: "step", status: "sent", sentAt: { gte: since }, sourceId: { in: steps.map((s) => s.id) } }, _count: { _all: true } })
    : [];
  const scenarioOf = new Map(steps.map((s) => [s.id, s.scenarioId]));
  const sent = new Map<string, number>(scenarioIds.map((id) => [id, 0]));
  for (const row of rows) {
    const scenarioId = scenarioOf.get(row.sourceId)!;
    sent.set(scenarioId, (sent.get(scenarioId) ?? 0) + row._count._all);
  }
  return sent;
}

export type StepOutcome = {
  sent: number;
  queued: number;
  waiting: number;
  skipped: number;
  failed: number;
  /** Skipped and failed, by the reason the engine recorded (an i18n key). */
  reasons: { status: "skipped" | "failed"; reason: string; count: number }[];
  clicks: number;
  clickers: number;
  orders: { currency: string; orders: number; revenue: string }[];
};

const emptyOutcome = (): StepOutcome => ({ sent: 0, queued: 0, waiting: 0, skipped: 0, failed: 0, reasons: [], clicks: 0, clickers: 0, orders: [] });

/** What happened to each of the steps, keyed by step id. */
export async function stepOutcomes(shop: string, stepIds: string[]): Promise<Map<string, StepOutcome>> {
  const outcomes = new Map<string, StepOutcome>(stepIds.map((id) => [id, emptyOutcome()]));
  if (stepIds.length === 0) return outcomes;
  const [statuses, links, clickers, orders] = await Promise.all([
    db.scenarioRunStep.groupBy({ by: ["stepId", "status", "reason"], where: { shop, stepId: { in: stepIds } }, _count: { _all: true } }),
    db.messageLink.groupBy({ by: ["sourceId"], where: { shop, kind: "step", sourceId: { in: stepIds } }, _sum: { clicks: true } }),
    db.linkClick.groupBy({ by: ["sourceId", "friendId"], where: { shop, kind: "step", sourceId: { in: stepIds } } }),
    db.orderAttribution.groupBy({ by: ["sourceId", "currency"], where: { shop, kind: "step", sourceId: { in: stepIds } }, _count: { _all: true }, _sum: { revenue: true } }),
  ]);
  for (const row of statuses) {
    const outcome = outcomes.get(row.stepId)!;
    const count = row._count._all;
    if (row.status === "sent" || row.status === "queued" || row.status === "waiting" || row.status === "skipped" || row.status === "failed") outcome[row.status] += count;
    if ((row.status === "skipped" || row.status === "failed") && row.reason) outcome.reasons.push({ status: row.status, reason: row.reason, count });
  }
  for (const row of links) outcomes.get(row.sourceId)!.clicks = row._sum.clicks ?? 0;
  for (const row of clickers) outcomes.get(row.sourceId)!.clickers += 1;
  for (const row of orders) {
    outcomes.get(row.sourceId)!.orders.push({ currency: row.currency, orders: row._count._all, revenue: (row._sum.revenue ?? 0).toString() });
  }
  for (const outcome of outcomes.values()) outcome.reasons.sort((a, b) => b.count - a.count);
  return outcomes;
}

// Figures the scenario pages add to the engine's: runs per state for one scenario, and the orders and revenue
// attributed to each step (OrderAttribution kind "step", sourceId = the step's id), per currency.
import { db } from "../db.server";

export type RunCounts = { active: number; finished: number; ended: number };

export async function runCounts(shop: string, scenarioId: string): Promise<RunCounts> {
  const rows = await db.scenarioRun.groupBy({ by: ["status"], where: { shop, scenarioId }, _count: { _all: true } });
  const count = (status: string) => rows.find((row) => row.status === status)?._count._all ?? 0;
  return { active: count("active"), finished: count("finished"), ended: count("exited") + count("stopped") };
}

export type StepOrders = { currency: string; orders: number; revenue: string }[];

/** Orders attributed to each step, by currency (amounts are never converted). */
export async function ordersByStep(shop: string, stepIds: string[]): Promise<Map<string, StepOrders>> {
  const orders = new Map<string, StepOrders>(stepIds.map((id) => [id, []]));
  if (stepIds.length === 0) return orders;
  const rows = await db.orderAttribution.groupBy({
    by: ["sourceId", "currency"],
    where: { shop, kind: "step", sourceId: { in: stepIds } },
    _count: { _all: true },
    _sum: { revenue: true },
    orderBy: [{ sourceId: "asc" }, { currency: "asc" }],
  });
  for (const row of rows) orders.get(row.sourceId)?.push({ currency: row.currency, orders: row._count._all, revenue: (row._sum.revenue ?? 0).toString() });
  return orders;
}

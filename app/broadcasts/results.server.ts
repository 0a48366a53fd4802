// A broadcast's results: batches sent of total, recipients accepted and failed (with LINE's reason), those the
// sending rules excluded at send time, clicks per tracked link, and LINE's own statistics for its unit.
import type { Broadcast } from "@prisma/client";
import { db } from "../db.server";
import { callLine, lineErrorMessage } from "../line/client.server";
import { storedLineErrorKey, type LineErrorKey } from "../line/line-errors.server";
import { logger } from "../logger.server";
import { messageRevenue } from "../customers/revenue.server";

export type Progress = {
  batches: { total: number; done: number; sent: number; failed: number; cancelled: number; skipped: number; unknown: number };
  recipients: { planned: number; accepted: number; failed: number; excluded: number; cancelled: number; unknown: number };
  /** `key`: LINE's refusal in the merchant's language (app/i18n/line-errors.ts); `reason`: LINE's own words. */
  failures: { key: LineErrorKey; reason: string; status: number | null; batches: number; recipients: number }[];
};

/** Read from the broadcast's Delivery rows, in two statements. */
export async function broadcastProgress(shop: string, broadcastId: string): Promise<Progress> {
  const rows = await db.$queryRaw<{ status: string; batches: number; recipients: number; cost: number; excluded: number }[]>`
    SELECT status, count(*)::int AS batches, coalesce(sum(cardinality(recipients)), 0)::int AS recipients,
           coalesce(sum("quotaCost"), 0)::int AS cost,
           -- A skipped batch may or may not have counted its recipients as excluded: all of them were.
           coalesce(sum(CASE WHEN status = 'skipped' THEN greatest(excluded, cardinality(recipients)) ELSE excluded END), 0)::int AS excluded
    FROM "Delivery" WHERE kind = 'broadcast' AND "sourceId" = ${broadcastId} AND shop = ${shop}
    GROUP BY status`;
  const failures = await db.$queryRaw<{ reason: string | null; status: number | null; batches: number; recipients: number }[]>`
    SELECT reason, "errorStatus" AS status, count(*)::int AS batches, coalesce(sum(cardinality(recipients)), 0)::int AS recipients
    FROM "Delivery" WHERE kind = 'broadcast' AND "sourceId" = ${broadcastId} AND shop = ${shop} AND status = 'failed'
    GROUP BY reason, "errorStatus" ORDER BY count(*) DESC LIMIT 10`;
  const of = (status: string) => rows.find((row) => row.status === status);
  const batches = (status: string) => of(status)?.batches ?? 0;
  const people = (status: string) => of(status)?.recipients ?? 0;
  const total = rows.reduce((sum, row) => sum + row.batches, 0);
  const ended = ["sent", "failed", "cancelled", "skipped", "unknown"];
  return {
    batches: {
      total,
      done: ended.reduce((sum, status) => sum + batches(status), 0),
      sent: batches("sent"),
      failed: batches("failed"),
      cancelled: batches("cancelled"),
      skipped: batches("skipped"),
      unknown: batches("unknown"),
    },
    recipients: {
      planned: rows.reduce((sum, row) => sum + row.recipients, 0),
      // Accepted by LINE: the recipients of sent requests less those the rules removed at send time.
      accepted: Math.max(0, people("sent") - (of("sent")?.excluded ?? 0)),
      failed: people("failed"),
      excluded: rows.reduce((sum, row) => sum + row.excluded, 0),
      cancelled: people("cancelled"),
      unknown: people("unknown"),
    },
    failures: failures.map((row) => ({
      key: storedLineErrorKey(row.status, row.reason ?? ""),
      reason: row.reason ?? "",
      status: row.status,
      batches: row.batches,
      recipients: row.recipients,
    })),
  };
}

export function broadcastClicks(shop: string, broadcastId: string) {
  return db.broadcastLink.findMany({
    where: { shop, broadcastId },
    orderBy: { position: "asc" },
    select: { code: true, position: true, targetUrl: true, clicks: true },
  });
}

/** LINE's figures for the unit; null where LINE has none to give (under 20 users, not yet aggregated, no access). */
export type Insight = {
  available: boolean;
  opened: number | null;
  clicked: number | null;
  clicks: { url: string; clicks: number | null; uniqueClicks: number | null }[];
  error?: string;
};

const DAY = 86_400_000;
/** LINE's statistics days are dates in UTC+9, "yyyyMMdd". */
const lineDate = (instant: Date) => new Date(instant.getTime() + 9 * 3_600_000).toISOString().slice(0, 10).replaceAll("-", "");

const present = (value: number | null | undefined) => (typeof value === "number" ? value : null);

/** Reads LINE's statistics of the broadcast's unit (the 30 days from its start, LINE's longest span). */
export async function broadcastInsight(broadcast: Pick<Broadcast, "lineAccountId" | "customAggregationUnit" | "startedAt">, now = new Date()): Promise<Insight> {
  const none: Insight = { available: false, opened: null, clicked: null, clicks: [] };
  if (!broadcast.startedAt) return none;
  const account = await db.lineAccount.findUnique({ where: { id: broadcast.lineAccountId } });
  if (!account || account.status !== "connected") return none;
  const from = lineDate(broadcast.startedAt);
  const to = lineDate(new Date(Math.min(now.getTime(), broadcast.startedAt.getTime() + 29 * DAY)));
  try {
    const stats = await callLine(account, ({ insight }) => insight.getStatisticsPerUnit(broadcast.customAggregationUnit, from, to));
    const opened = present(stats.overview?.uniqueImpression);
    const clicked = present(stats.overview?.uniqueClick);
    const clicks = (stats.clicks ?? []).map((click) => ({ url: click.url, clicks: present(click.click), uniqueClicks: present(click.uniqueClick) }));
    const available = opened !== null || clicked !== null || clicks.some((click) => click.clicks !== null);
    return { available, opened, clicked, clicks };
  } catch (error) {
    logger.warn("broadcast insight unavailable", { lineAccountId: account.id, error: lineErrorMessage(error) });
    return { ...none, error: lineErrorMessage(error) };
  }
}

/** Orders attributed to the broadcast (app/customers/attribution.server.ts), per currency and rule. */
export function broadcastRevenue(shop: string, broadcastId: string) {
  return messageRevenue(shop, "broadcast", broadcastId);
}

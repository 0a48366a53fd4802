// Rich-menu statistics from LINE's insight endpoint (GET /v2/bot/insight/richmenu/{id}/summary): impressions and
// clicks per area, for menus made through the API, from the next day, 60 requests an hour per channel. Answers are
// kept 10 minutes per process so a page reload does not spend the hourly budget; a failure is shown as "none".
import { db } from "../db.server";
import { expiringCache } from "../expiring-cache";
import { callLine, lineErrorMessage } from "../line/client.server";
import { logger } from "../logger.server";

export type MenuInsight = {
  from: string;
  to: string;
  /** null: below LINE's privacy threshold, or not aggregated yet. */
  impressions: { count: number; uniqueUsers: number } | null;
  clicks: { bounds: { x: number; y: number; width: number; height: number }; count: number; uniqueUsers: number }[];
};

const TTL_MS = 10 * 60_000;

/** yyyyMMdd in Japan time, as the insight endpoint reads dates. */
function lineDate(date: Date) {
  return new Date(date.getTime() + 9 * 3_600_000).toISOString().slice(0, 10).replace(/-/g, "");
}

const cache = expiringCache<MenuInsight | null>(TTL_MS, async (key) => {
  const [accountId, lineRichMenuId, from, to] = key.split("|") as [string, string, string, string];
  const account = await db.lineAccount.findUnique({ where: { id: accountId } });
  if (!account) return null;
  try {
    const summary = await callLine(account, ({ insight }) => insight.getRichMenuInsightSummary(lineRichMenuId, from, to));
    return {
      from,
      to,
      impressions: summary.impression?.metrics ? { count: summary.impression.metrics.count, uniqueUsers: summary.impression.metrics.uniqueUsers } : null,
      clicks: (summary.clicks ?? []).map((click) => ({ bounds: click.bounds, count: click.metrics.count, uniqueUsers: click.metrics.uniqueUsers })),
    };
  } catch (error) {
    logger.warn("rich-menu insight unavailable", { accountId, error: lineErrorMessage(error) });
    return null;
  }
});

/** LINE's insight for a LINE menu of the shop's account over `range` (default: the last 30 days to yesterday). */
export async function menuInsight(shop: string, accountId: string, lineRichMenuId: string, range?: { from: Date; to: Date }) {
  const account = await db.lineAccount.findFirst({ where: { id: accountId, shop }, select: { id: true } });
  if (!account) return null;
  const to = range?.to ?? new Date(Date.now() - 86_400_000);
  const from = range?.from ?? new Date(to.getTime() - 29 * 86_400_000);
  return cache.get([accountId, lineRichMenuId, lineDate(from), lineDate(to)].join("|"));
}

// What the cart analytics page and its CSV read from a request: the account (?account=), the period
// (?from=&to=&compare=1, app/components/date-range.ts) in the shop's time zone, and the figures of both periods.
import { parseRange, previousPeriod } from "../components/date-range";
import { listAccounts } from "../line/accounts.server";
import { shopCalendar } from "../components/date-range.server";
import { cartAnalytics, quotaState } from "./analytics.server";

export async function analyticsRequest(shop: string, url: URL) {
  const accounts = (await listAccounts(shop)).map((a) => ({ id: a.id, displayName: a.displayName, connected: a.status === "connected" }));
  const wanted = url.searchParams.get("account");
  const selectedId = accounts.some((a) => a.id === wanted) ? wanted : null;
  const calendar = await shopCalendar(shop);
  const range = parseRange(url.searchParams, calendar.today);
  return { accounts, selectedId, calendar, range };
}

export async function analyticsView(shop: string, url: URL) {
  const { accounts, selectedId, calendar, range } = await analyticsRequest(shop, url);
  const [analytics, previous, quotas] = await Promise.all([
    cartAnalytics(shop, { lineAccountId: selectedId, from: range.from, to: range.to }),
    range.compare ? cartAnalytics(shop, { lineAccountId: selectedId, ...previousPeriod(range), recent: false }) : null,
    Promise.all(accounts.filter((a) => a.connected).map(async (a) => ({ ...a, quota: await quotaState(a.id) }))),
  ]);
  return {
    accounts: accounts.map(({ id, displayName }) => ({ id, displayName })),
    selectedId,
    exhausted: quotas.filter((a) => a.quota.exhausted && (!selectedId || a.id === selectedId)).map((a) => a.displayName),
    range,
    today: calendar.today,
    timeZone: calendar.timeZone,
    currency: calendar.currency,
    days: analytics.days,
    totals: analytics.totals,
    previous: previous?.totals ?? null,
    recent: analytics.recent,
  };
}

/** The per-day rows of the requested period, for the CSV. */
export async function analyticsDays(shop: string, url: URL) {
  const { selectedId, range } = await analyticsRequest(shop, url);
  const analytics = await cartAnalytics(shop, { lineAccountId: selectedId, from: range.from, to: range.to, recent: false });
  return { range, days: analytics.days };
}

// The cart analytics' per-day rows as CSV (UTF-8 with a BOM, so Excel reads Japanese): one row per day of the
// period, the columns of the page's table, rates as percentages, one revenue column per currency.
import { stringify } from "csv-stringify/sync";
import { translate, type Locale } from "../i18n/messages";
import type { CartAnalytics } from "./analytics.server";

const percent = (rate: number | null) => (rate === null ? "" : (Math.round(rate * 1000) / 10).toFixed(1));

export function analyticsCsv(analytics: Pick<CartAnalytics, "days">, locale: Locale): string {
  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const currencies = [...new Set(analytics.days.flatMap((d) => d.revenue.map((r) => r.currency)))].sort();
  const header = [
    t("cart.analytics.col.day"),
    t("cart.analytics.col.linked"),
    t("cart.analytics.col.scheduled"),
    t("cart.analytics.sent"),
    t("cart.analytics.col.skipped"),
    t("cart.analytics.col.failed"),
    t("cart.analytics.clicked"),
    `${t("cart.analytics.col.clickRate")} (%)`,
    t("cart.analytics.recovered"),
    `${t("cart.analytics.rate")} (%)`,
    ...currencies.map((currency) => `${t("cart.analytics.revenue")} (${currency})`),
  ];
  const rows = analytics.days.map((d) => [
    d.day,
    d.linked,
    d.scheduled,
    d.sent,
    d.skipped,
    d.failed,
    d.clicked,
    percent(d.clickRate),
    d.recovered,
    percent(d.recoveryRate),
    ...currencies.map((currency) => d.revenue.find((r) => r.currency === currency)?.amount ?? "0"),
  ]);
  return stringify([header, ...rows], { bom: true });
}

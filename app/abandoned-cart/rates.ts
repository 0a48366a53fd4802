// Every rate the cart analytics show, with its definition. Each one divides an outcome OF the reminders sent in a
// period by those same reminders: a click or an order that comes days later counts on the send's day
// (app/abandoned-cart/analytics.server.ts), so the part is a subset of the whole and a rate is at most 100 %.
import type { MessageKey } from "../i18n/messages";

export const RATES = ["clickRate", "recoveryRate"] as const;
export type RateName = (typeof RATES)[number];

/** The i18n key of each rate's definition, shown as its help text. */
export const RATE_DEFINITIONS: Record<RateName, MessageKey> = {
  clickRate: "cart.analytics.def.clickRate",
  recoveryRate: "cart.analytics.def.recoveryRate",
};

/**
 * part ÷ whole, or null when nothing was sent ("—", not 0 %). A part larger than its whole means the two were
 * counted on different days; that is a bug, refused loudly rather than shown as 130 %.
 */
export function shareOf(part: number, whole: number): number | null {
  if (whole <= 0) return null;
  if (part > whole) throw new Error(`rate above 100 %: ${part} of ${whole}`);
  return part / whole;
}

/** A rate written as a percentage ("12.5%", "12.5％"); "—" when there is none. */
export function percentText(rate: number | null, locale: string) {
  return rate === null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(rate);
}

/** The change from the previous period, for the figure beside each number: "+12%" / "−3 pt" / null. */
export function changeText(current: number | null, previous: number | null, locale: string, kind: "count" | "rate"): string | null {
  if (current === null || previous === null) return null;
  if (kind === "rate") {
    const points = Math.round((current - previous) * 1000) / 10;
    return `${points > 0 ? "+" : points < 0 ? "−" : "±"}${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(Math.abs(points))} pt`;
  }
  if (previous === 0) return null;
  const change = (current - previous) / previous;
  const text = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 }).format(Math.abs(change));
  return `${change > 0 ? "+" : change < 0 ? "−" : "±"}${text}`;
}

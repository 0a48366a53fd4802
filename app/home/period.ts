// The home page's period: the last 7, 30 or 90 days of the shop's calendar, today included, and the same number of
// days before it. Safe to import from client code (the period picker).

export const PERIODS = [7, 30, 90] as const;
export type PeriodDays = (typeof PERIODS)[number];
export const DEFAULT_PERIOD: PeriodDays = 30;

/** `?period=` as given, or the default when it is missing or not one of the presets. */
export function parsePeriod(value: string | null | undefined): PeriodDays {
  const days = Number(value);
  return (PERIODS as readonly number[]).includes(days) ? (days as PeriodDays) : DEFAULT_PERIOD;
}

/** "YYYY-MM-DD" plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number);
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** The message kinds home counts, in order; greeting and auto-reply share one figure. */
export const MESSAGE_KINDS = ["cart-reminder", "broadcast", "step", "auto-reply", "chat"] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

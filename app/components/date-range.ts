// A reporting period kept in the URL (?from=YYYY-MM-DD&to=YYYY-MM-DD&compare=1): calendar days in the shop's time
// zone, both ends included. Pure functions, shared by loaders, the picker and tests.

export const RANGE_PRESETS = ["today", "last7", "last30", "last90", "thisMonth", "lastMonth"] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];
export type DateRange = { from: string; to: string; preset: RangePreset | "custom"; compare: boolean };
/** Longer periods are refused (the default is used): one year and a day covers a leap year. */
export const MAX_RANGE_DAYS = 366;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day written YYYY-MM-DD (not 2026-02-30). */
export function isDay(value: string | null | undefined): value is string {
  if (!value || !DAY.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included. */
export function dayCount(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
}

/** Every day of the period, oldest first. */
export function daysOf(range: { from: string; to: string }): string[] {
  const out: string[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) out.push(day);
  return out;
}

/** "YYYY-MM-DD" of `instant` in `timeZone`. */
export function localDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

export function presetRange(preset: RangePreset, today: string): { from: string; to: string } {
  const monthStart = `${today.slice(0, 8)}01`;
  switch (preset) {
    case "today":
      return { from: today, to: today };
    case "last7":
      return { from: addDays(today, -6), to: today };
    case "last30":
      return { from: addDays(today, -29), to: today };
    case "last90":
      return { from: addDays(today, -89), to: today };
    case "thisMonth":
      return { from: monthStart, to: today };
    case "lastMonth": {
      const end = addDays(monthStart, -1);
      return { from: `${end.slice(0, 8)}01`, to: end };
    }
  }
}

/** The preset these days are, for `today`, or "custom". */
export function presetOf(range: { from: string; to: string }, today: string): RangePreset | "custom" {
  return RANGE_PRESETS.find((preset) => {
    const days = presetRange(preset, today);
    return days.from === range.from && days.to === range.to;
  }) ?? "custom";
}

/**
 * The period the URL asks for. Missing, malformed, reversed, future or over-long periods give the default preset:
 * a report never silently shows something other than what its heading says.
 */
export function parseRange(params: URLSearchParams, today: string, fallback: RangePreset = "last30"): DateRange {
  const from = params.get("from");
  const to = params.get("to");
  const compare = params.get("compare") === "1";
  const valid = isDay(from) && isDay(to) && from <= to && to <= today && dayCount(from, to) <= MAX_RANGE_DAYS;
  const days = valid ? { from, to } : presetRange(fallback, today);
  return { ...days, preset: presetOf(days, today), compare };
}

/** The period of the same length just before: 1–30 April → 2–31 March. */
export function previousPeriod(range: { from: string; to: string }): { from: string; to: string } {
  const length = dayCount(range.from, range.to);
  return { from: addDays(range.from, -length), to: addDays(range.from, -1) };
}

/** The URL parameters of a period (other parameters of `params` kept). */
export function rangeParams(params: URLSearchParams, range: { from: string; to: string; compare: boolean }) {
  const next = new URLSearchParams(params);
  next.set("from", range.from);
  next.set("to", range.to);
  if (range.compare) next.set("compare", "1");
  else next.delete("compare");
  return next;
}

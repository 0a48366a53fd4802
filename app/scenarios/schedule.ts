// When a step is due: relative delays (minutes and hours as durations; days as calendar days at the same wall-clock
// time in the shop's time zone, so "1 day later" stays at 10:00 across a DST change), "day N at HH:MM" on the
// shop's clock, then the scenario's quiet hours. Pure Intl (app/abandoned-cart/quiet-hours.ts does the zone math).
import { deferForQuietHours, zonedInstant, zonedWallClock } from "../abandoned-cart/quiet-hours";
import type { StepDelay } from "./model";

export type DueContext = {
  startedAt: Date;
  /** When the run's previous step was due; null before the first step. */
  previousAt: Date | null;
  timeZone: string;
  quiet: { start: string; end: string } | null;
};

function addDays(date: string, days: number): string {
  const [year, month, day] = date.split("-").map(Number);
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  return moved.toISOString().slice(0, 10);
}

/** The instant `days` calendar days after `base` at the same wall-clock time in `timeZone` (seconds kept). */
export function addZonedDays(base: Date, days: number, timeZone: string): Date {
  const local = zonedWallClock(base, timeZone);
  const target = zonedInstant(addDays(local.date, days), local.time, timeZone);
  return new Date(target.getTime() + (base.getTime() % 60_000 + 60_000) % 60_000);
}

/** When the step falls due before quiet hours. */
export function plannedAt(delay: StepDelay, ctx: DueContext): Date {
  if (delay.kind === "dayAt") {
    const startDay = zonedWallClock(ctx.startedAt, ctx.timeZone).date;
    return zonedInstant(addDays(startDay, delay.day), delay.time, ctx.timeZone);
  }
  const base = delay.from === "start" ? ctx.startedAt : (ctx.previousAt ?? ctx.startedAt);
  if (delay.unit === "days") return addZonedDays(base, delay.amount, ctx.timeZone);
  const minutes = delay.unit === "hours" ? delay.amount * 60 : delay.amount;
  return new Date(base.getTime() + minutes * 60_000);
}

/** When the step goes: planned, then moved to the end of the quiet window when it falls inside it. */
export function stepDueAt(delay: StepDelay, ctx: DueContext): Date {
  const planned = plannedAt(delay, ctx);
  return ctx.quiet ? deferForQuietHours(planned, ctx.timeZone, ctx.quiet.start, ctx.quiet.end) : planned;
}

// Quiet hours: a reminder due inside the shop's quiet window waits for the window's end. Pure Intl (no date
// library, browser-safe); daylight saving time is handled by asking Intl for the zone's offset at each instant.

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (!cached) {
    cached = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallClock(instant: number, timeZone: string): WallClock & { second: number } {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  // Some engines print midnight as 24 even with h23.
  return { year: parts.year, month: parts.month, day: parts.day, hour: parts.hour % 24, minute: parts.minute, second: parts.second };
}

/** The zone's UTC offset in ms at `instant` (whole seconds: Intl prints no milliseconds). */
function offsetAt(instant: number, timeZone: string): number {
  const second = Math.floor(instant / 1000) * 1000;
  const local = wallClock(second, timeZone);
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - second;
}

/**
 * The first instant after `after` at which the zone's clocks show `local`. When that wall time does not exist
 * (the clocks jump over it when DST starts), the instant of the jump: the window is over then.
 */
function instantOf(local: WallClock, timeZone: string, after: number): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  // No zone changes its offset twice within two days, so these are the offsets before and after any change.
  const before = offsetAt(asUtc - DAY, timeZone);
  const later = offsetAt(asUtc + DAY, timeZone);
  const candidates = [...new Set([before, later])]
    .map((offset) => asUtc - offset)
    .filter((instant) => asUtc - offsetAt(instant, timeZone) === instant)
    .sort((a, b) => a - b);
  const next = candidates.find((instant) => instant > after);
  if (next !== undefined) return next;
  if (candidates.length > 0) return candidates[candidates.length - 1];
  // In the gap: binary-search the jump between the two readings of the wall time.
  let low = Math.min(asUtc - before, asUtc - later);
  let high = Math.max(asUtc - before, asUtc - later);
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle, timeZone) === later) high = middle;
    else low = middle;
  }
  return high;
}

function minutesOf(time: string, name: string): number {
  const match = TIME.exec(time);
  if (!match) throw new RangeError(`${name} must be "HH:MM" (00:00–23:59), got ${JSON.stringify(time)}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * `due` moved to the end of the quiet window [start, end) in `timeZone` when it falls inside it; otherwise `due`.
 * A window may cross midnight ("22:00"–"08:00"). Equal start and end mean no window. Throws a RangeError on an
 * unknown time zone or a malformed time.
 */
export function deferForQuietHours(due: Date, timeZone: string, start: string, end: string): Date {
  const startMinutes = minutesOf(start, "start");
  const endMinutes = minutesOf(end, "end");
  if (startMinutes === endMinutes) return due;
  const local = wallClock(due.getTime(), timeZone);
  const now = local.hour * 60 + local.minute;
  const crossesMidnight = startMinutes > endMinutes;
  const inside = crossesMidnight
    ? now >= startMinutes || now < endMinutes
    : now >= startMinutes && now < endMinutes;
  if (!inside) return due;
  // Before midnight in a window that crosses it, the window ends on the next calendar day.
  const nextDay = crossesMidnight && now >= startMinutes;
  const endDate = new Date(Date.UTC(local.year, local.month - 1, local.day + (nextDay ? 1 : 0)));
  const endsAt = instantOf(
    {
      year: endDate.getUTCFullYear(),
      month: endDate.getUTCMonth() + 1,
      day: endDate.getUTCDate(),
      hour: Math.floor(endMinutes / 60),
      minute: endMinutes % 60,
    },
    timeZone,
    due.getTime(),
  );
  return new Date(endsAt);
}

/**
 * The instant at which the zone's clocks show `date` ("YYYY-MM-DD") and `time` ("HH:MM"): the earlier one when
 * the wall time happens twice (DST ends), the jump when it never happens (DST starts). Throws a RangeError on an
 * unknown time zone or a malformed time.
 */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const minutes = minutesOf(time, "time");
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`date must be "YYYY-MM-DD", got ${JSON.stringify(date)}`);
  const local = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]), hour: Math.floor(minutes / 60), minute: minutes % 60 };
  return new Date(instantOf(local, timeZone, Number.NEGATIVE_INFINITY));
}

/** The zone's calendar date and clock time at `instant`, as zonedInstant takes them. */
export function zonedWallClock(instant: Date, timeZone: string): { date: string; time: string } {
  const local = wallClock(instant.getTime(), timeZone);
  const pad = (n: number) => String(n).padStart(2, "0");
  return { date: `${local.year}-${pad(local.month)}-${pad(local.day)}`, time: `${pad(local.hour)}:${pad(local.minute)}` };
}

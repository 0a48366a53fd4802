// Due times on the shop's clock: "after N days" keeps the wall-clock time across a DST change, "after N hours" is
// a duration, "day N at HH:MM" is that local time, quiet hours move a due time to the window's end.
import { describe, expect, it } from "vitest";
import { stepDueAt } from "~/scenarios/schedule";

const NY = "America/New_York";
// Saturday 2026-03-07 10:00 EST (UTC-5); clocks go forward on Sunday 2026-03-08 at 02:00 (to UTC-4).
const startedAt = new Date("2026-03-07T15:00:00Z");
const ctx = { startedAt, previousAt: null, timeZone: NY, quiet: null };

describe("step due times across a DST change (America/New_York)", () => {
  it("after 1 day stays at 10:00 local; after 24 hours is 11:00 local", () => {
    expect(stepDueAt({ kind: "after", amount: 1, unit: "days", from: "start" }, ctx).toISOString()).toBe("2026-03-08T14:00:00.000Z");
    expect(stepDueAt({ kind: "after", amount: 24, unit: "hours", from: "start" }, ctx).toISOString()).toBe("2026-03-08T15:00:00.000Z");
  });

  it("day N at HH:MM is that time on the shop's clock, before and after the change", () => {
    expect(stepDueAt({ kind: "dayAt", day: 0, time: "18:30" }, ctx).toISOString()).toBe("2026-03-07T23:30:00.000Z");
    expect(stepDueAt({ kind: "dayAt", day: 1, time: "09:00" }, ctx).toISOString()).toBe("2026-03-08T13:00:00.000Z");
    // 02:30 does not exist on the day of the change: the step goes at the jump (03:00 EDT).
    expect(stepDueAt({ kind: "dayAt", day: 1, time: "02:30" }, ctx).toISOString()).toBe("2026-03-08T07:00:00.000Z");
  });

  it("days from the previous step, and the end of DST (01:30 happens twice: the first one)", () => {
    const autumn = { ...ctx, startedAt: new Date("2026-10-31T05:30:00Z"), previousAt: new Date("2026-10-31T05:30:00Z") };
    // 2026-10-31 01:30 EDT; one day later 01:30 happens twice on 2026-11-01: the first (EDT) one.
    expect(stepDueAt({ kind: "after", amount: 1, unit: "days", from: "previous" }, autumn).toISOString()).toBe("2026-11-01T05:30:00.000Z");
    expect(stepDueAt({ kind: "dayAt", day: 2, time: "09:00" }, autumn).toISOString()).toBe("2026-11-02T14:00:00.000Z");
  });

  it("quiet hours move a due time inside the window to its end, on the shop's clock", () => {
    const quiet = { ...ctx, quiet: { start: "22:00", end: "08:00" } };
    // 23:30 EST on the 7th → 08:00 EDT on the 8th (after the change).
    expect(stepDueAt({ kind: "dayAt", day: 0, time: "23:30" }, quiet).toISOString()).toBe("2026-03-08T12:00:00.000Z");
    expect(stepDueAt({ kind: "dayAt", day: 0, time: "21:59" }, quiet).toISOString()).toBe("2026-03-08T02:59:00.000Z");
  });
});

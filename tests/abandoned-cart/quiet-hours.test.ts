import { describe, expect, it } from "vitest";
import { deferForQuietHours } from "../../app/abandoned-cart/quiet-hours";

const at = (iso: string) => new Date(iso);
const defer = (due: string, timeZone: string, start: string, end: string) =>
  deferForQuietHours(at(due), timeZone, start, end).toISOString();

describe("Asia/Tokyo, 22:00–08:00 (crossing midnight)", () => {
  const zone = "Asia/Tokyo";

  it.each([
    ["2026-05-10T22:00:00+09:00", "2026-05-10T23:00:00.000Z"], // starts at 22:00 sharp
    ["2026-05-10T23:30:00+09:00", "2026-05-10T23:00:00.000Z"], // before midnight: ends the next morning
    ["2026-05-11T00:00:00+09:00", "2026-05-10T23:00:00.000Z"],
    ["2026-05-11T03:15:00+09:00", "2026-05-10T23:00:00.000Z"], // after midnight: ends the same morning
    ["2026-05-11T07:59:59+09:00", "2026-05-10T23:00:00.000Z"],
    ["2026-12-31T23:00:00+09:00", "2026-12-31T23:00:00.000Z"], // across the new year
  ])("defers %s to 08:00 (%s)", (due, end) => {
    expect(defer(due, zone, "22:00", "08:00")).toBe(end);
  });

  it.each([["2026-05-11T08:00:00+09:00"], ["2026-05-11T12:00:00+09:00"], ["2026-05-10T21:59:59+09:00"]])(
    "keeps %s",
    (due) => {
      expect(defer(due, zone, "22:00", "08:00")).toBe(at(due).toISOString());
    },
  );

  it("returns the very same instant outside the window", () => {
    const due = at("2026-05-11T12:00:00.123+09:00");
    expect(deferForQuietHours(due, zone, "22:00", "08:00").getTime()).toBe(due.getTime());
  });
});

describe("Asia/Bangkok, 01:00–06:00 (not crossing midnight)", () => {
  const zone = "Asia/Bangkok";

  it.each([
    ["2026-05-11T01:00:00+07:00", "2026-05-10T23:00:00.000Z"],
    // 02:00 in Bangkok is still the previous day in UTC.
    ["2026-05-11T02:00:00+07:00", "2026-05-10T23:00:00.000Z"],
    ["2026-05-11T05:59:00+07:00", "2026-05-10T23:00:00.000Z"],
  ])("defers %s to 06:00 (%s)", (due, end) => {
    expect(defer(due, zone, "01:00", "06:00")).toBe(end);
  });

  it.each([["2026-05-11T00:59:59+07:00"], ["2026-05-11T06:00:00+07:00"], ["2026-05-11T23:30:00+07:00"], ["2026-05-11T12:00:00+07:00"]])(
    "keeps %s",
    (due) => {
      expect(defer(due, zone, "01:00", "06:00")).toBe(at(due).toISOString());
    },
  );

  it("reads the window in the shop's zone, not UTC", () => {
    // 23:30 UTC is 06:30 in Bangkok (inside 22:00–08:00) but 08:30 in Tokyo (outside).
    expect(defer("2026-05-10T23:30:00Z", zone, "22:00", "08:00")).toBe("2026-05-11T01:00:00.000Z");
    expect(defer("2026-05-10T23:30:00Z", "Asia/Tokyo", "22:00", "08:00")).toBe("2026-05-10T23:30:00.000Z");
  });
});

describe("America/Los_Angeles across daylight saving time", () => {
  const zone = "America/Los_Angeles";

  it("ends at 08:00 PDT when DST starts during the night (23 h night)", () => {
    // 2026-03-08 02:00 PST → 03:00 PDT.
    expect(defer("2026-03-07T23:00:00-08:00", zone, "22:00", "08:00")).toBe("2026-03-08T15:00:00.000Z");
    expect(defer("2026-03-08T04:00:00-07:00", zone, "22:00", "08:00")).toBe("2026-03-08T15:00:00.000Z");
  });

  it("ends at 08:00 PST when DST ends during the night (25 h night)", () => {
    // 2026-11-01 02:00 PDT → 01:00 PST.
    expect(defer("2026-10-31T23:00:00-07:00", zone, "22:00", "08:00")).toBe("2026-11-01T16:00:00.000Z");
    expect(defer("2026-11-01T01:30:00-08:00", zone, "22:00", "08:00")).toBe("2026-11-01T16:00:00.000Z");
  });

  it("uses the summer offset in summer and the winter offset in winter", () => {
    expect(defer("2026-07-01T23:00:00-07:00", zone, "22:00", "08:00")).toBe("2026-07-02T15:00:00.000Z");
    expect(defer("2026-01-15T23:00:00-08:00", zone, "22:00", "08:00")).toBe("2026-01-16T16:00:00.000Z");
  });

  it("ends at the jump when the end time is skipped by DST", () => {
    // 02:30 does not exist on 2026-03-08; at 10:00Z the clocks go from 01:59:59 PST to 03:00 PDT.
    expect(defer("2026-03-08T01:30:00-08:00", zone, "01:00", "02:30")).toBe("2026-03-08T10:00:00.000Z");
    expect(defer("2026-03-07T23:00:00-08:00", zone, "22:00", "02:30")).toBe("2026-03-08T10:00:00.000Z");
  });

  it("ends at the first 01:30 after the due time when 01:30 happens twice", () => {
    expect(defer("2026-11-01T01:10:00-07:00", zone, "00:30", "01:30")).toBe("2026-11-01T08:30:00.000Z");
    expect(defer("2026-11-01T01:10:00-08:00", zone, "00:30", "01:30")).toBe("2026-11-01T09:30:00.000Z");
  });

  it("keeps times outside the window on DST days", () => {
    expect(defer("2026-03-08T08:00:00-07:00", zone, "22:00", "08:00")).toBe("2026-03-08T15:00:00.000Z");
    expect(defer("2026-11-01T12:00:00-08:00", zone, "22:00", "08:00")).toBe("2026-11-01T20:00:00.000Z");
  });

  it("always lands outside the window, within a day, never earlier", () => {
    const windows = [["22:00", "08:00"], ["01:00", "06:00"], ["00:30", "01:30"], ["01:00", "02:30"], ["23:59", "00:00"]];
    const local = new Intl.DateTimeFormat("en-US", { timeZone: zone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" });
    const minutes = (date: Date) => {
      const [h, m] = local.format(date).split(":").map(Number);
      return (h % 24) * 60 + m;
    };
    const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
    // Every 7 minutes across both DST changes of 2026.
    for (const [from, to] of [["2026-03-07T00:00:00Z", "2026-03-10T00:00:00Z"], ["2026-10-31T00:00:00Z", "2026-11-03T00:00:00Z"]]) {
      for (let t = Date.parse(from); t < Date.parse(to); t += 7 * 60_000) {
        for (const [start, end] of windows) {
          const due = new Date(t);
          const result = deferForQuietHours(due, zone, start, end);
          const s = toMinutes(start);
          const e = toMinutes(end);
          const m = minutes(result);
          const inside = s > e ? m >= s || m < e : m >= s && m < e;
          expect(inside, `${due.toISOString()} ${start}-${end} → ${result.toISOString()}`).toBe(false);
          expect(result.getTime()).toBeGreaterThanOrEqual(t);
          expect(result.getTime() - t).toBeLessThan(24 * 3_600_000);
        }
      }
    }
  });
});

describe("arguments", () => {
  it("treats equal start and end as no window", () => {
    expect(defer("2026-05-10T22:00:00+09:00", "Asia/Tokyo", "22:00", "22:00")).toBe("2026-05-10T13:00:00.000Z");
  });

  it("rejects an unknown zone and malformed times", () => {
    expect(() => deferForQuietHours(at("2026-05-10T00:00:00Z"), "Mars/Olympus", "22:00", "08:00")).toThrow(RangeError);
    expect(() => deferForQuietHours(at("2026-05-10T00:00:00Z"), "Asia/Tokyo", "25:00", "08:00")).toThrow(RangeError);
    expect(() => deferForQuietHours(at("2026-05-10T00:00:00Z"), "Asia/Tokyo", "22:00", "8:00")).toThrow(RangeError);
  });
});

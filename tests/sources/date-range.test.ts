// The reporting period in the URL: presets in the shop's calendar, refused periods, the previous period.
import { describe, expect, it } from "vitest";
import { dayCount, localDay, parseRange, presetRange, previousPeriod, rangeParams } from "~/components/date-range";

const params = (query: string) => new URLSearchParams(query);

describe("date range", () => {
  it("computes presets from the shop's today", () => {
    expect(presetRange("today", "2026-03-10")).toEqual({ from: "2026-03-10", to: "2026-03-10" });
    expect(presetRange("last7", "2026-03-10")).toEqual({ from: "2026-03-04", to: "2026-03-10" });
    expect(presetRange("last30", "2026-03-10")).toEqual({ from: "2026-02-09", to: "2026-03-10" });
    expect(presetRange("last90", "2026-03-10")).toEqual({ from: "2025-12-11", to: "2026-03-10" });
    expect(presetRange("thisMonth", "2026-03-10")).toEqual({ from: "2026-03-01", to: "2026-03-10" });
    expect(presetRange("lastMonth", "2026-03-10")).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(presetRange("lastMonth", "2026-01-05")).toEqual({ from: "2025-12-01", to: "2025-12-31" });
  });

  it("takes today in the shop's time zone", () => {
    const instant = new Date("2026-03-10T16:30:00Z");
    expect(localDay(instant, "Asia/Tokyo")).toBe("2026-03-11");
    expect(localDay(instant, "America/Los_Angeles")).toBe("2026-03-10");
  });

  it("reads the URL, names presets, and refuses what it cannot show", () => {
    expect(parseRange(params("from=2026-03-04&to=2026-03-10&compare=1"), "2026-03-10")).toEqual({ from: "2026-03-04", to: "2026-03-10", preset: "last7", compare: true });
    expect(parseRange(params("from=2026-03-02&to=2026-03-05"), "2026-03-10")).toEqual({ from: "2026-03-02", to: "2026-03-05", preset: "custom", compare: false });
    for (const bad of ["", "from=2026-03-05&to=2026-03-02", "from=2026-02-30&to=2026-03-02", "from=2026-03-01&to=2026-03-11", "from=2024-01-01&to=2026-03-01", "from=3&to=4"]) {
      expect(parseRange(params(bad), "2026-03-10"), bad).toMatchObject({ from: "2026-02-09", to: "2026-03-10", preset: "last30" });
    }
  });

  it("compares with the period of the same length just before", () => {
    expect(previousPeriod({ from: "2026-04-01", to: "2026-04-30" })).toEqual({ from: "2026-03-02", to: "2026-03-31" });
    expect(previousPeriod({ from: "2026-03-10", to: "2026-03-10" })).toEqual({ from: "2026-03-09", to: "2026-03-09" });
    expect(dayCount("2026-02-01", "2026-03-01")).toBe(29);
    expect(rangeParams(params("account=a&compare=1"), { from: "2026-03-01", to: "2026-03-02", compare: false }).toString()).toBe("account=a&from=2026-03-01&to=2026-03-02");
  });
});

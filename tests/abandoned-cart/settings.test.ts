import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import {
  contrastRatio,
  DEFAULT_REMINDER_SETTINGS,
  DELAY_OPTIONS,
  parseReminderSettings,
  readableTextColor,
  RECOMMENDED_DELAY_MINUTES,
} from "../../app/abandoned-cart/settings";
import { createLineAccount } from "../support/factories";

const valid = { ...DEFAULT_REMINDER_SETTINGS, enabled: true, tagsToAdd: ["cart-reminded"], tagsToRemove: ["browsing"] };

function errorsFor(overrides: Record<string, unknown>) {
  const result = parseReminderSettings({ ...valid, ...overrides });
  if (!result.errors) throw new Error(`expected errors, got ${JSON.stringify(result.data)}`);
  return result.errors;
}

function dataFor(overrides: Record<string, unknown>) {
  const result = parseReminderSettings({ ...valid, ...overrides });
  if (!result.data) throw new Error(`expected data, got ${JSON.stringify(result.errors)}`);
  return result.data;
}

function form(entries: Array<[string, string]>) {
  const data = new FormData();
  for (const [name, value] of entries) data.append(name, value);
  return data;
}

describe("delay options", () => {
  it("are immediately, 1 h, 6 h, 10 h (recommended) and 24 h", () => {
    expect(DELAY_OPTIONS).toEqual([0, 60, 360, 600, 1440]);
    expect(RECOMMENDED_DELAY_MINUTES).toBe(600);
  });

  it.each(DELAY_OPTIONS.map((minutes) => [minutes]))("accepts %i minutes, also as form text", (minutes) => {
    expect(dataFor({ delayMinutes: minutes }).delayMinutes).toBe(minutes);
    expect(dataFor({ delayMinutes: String(minutes) }).delayMinutes).toBe(minutes);
  });

  it.each([[30], [-60], [600.5], ["ten"], [""], [null]])("rejects %j", (value) => {
    expect(errorsFor({ delayMinutes: value })).toEqual({ delayMinutes: "cart.error.delayMinutes" });
  });
});

describe("defaults", () => {
  it("are valid and come back unchanged", () => {
    expect(parseReminderSettings(DEFAULT_REMINDER_SETTINGS)).toEqual({ data: DEFAULT_REMINDER_SETTINGS });
  });

  it("match the column defaults of CartReminderSettings", async () => {
    // The defaults a row gets from the database (the migrations), not from reading the schema's text.
    const account = await createLineAccount(db, "defaults.myshopify.com");
    const row = await db.cartReminderSettings.create({ data: { lineAccountId: account.id, shop: account.shop } });
    for (const [name, value] of Object.entries(DEFAULT_REMINDER_SETTINGS)) {
      expect(row[name as keyof typeof row], name).toEqual(value);
    }
  });
});

describe("the settings form (FormData)", () => {
  const base: Array<[string, string]> = [
    ["delayMinutes", "360"],
    ["title", "  お買い忘れはありませんか？ "],
    ["body", "カートに商品が残っています。"],
    ["moreItemsText", "ほか{count}点"],
    ["buttonText", "カートを見る"],
    ["headerColor", "#ff5500"],
    ["buttonColor", "#06c755"],
    ["queryParams", "?utm_source=line"],
    ["attributionDays", "14"],
  ];

  it("reads checkboxes, repeated tag fields, numbers, and trims text", () => {
    const result = parseReminderSettings(
      form([...base, ["enabled", "on"], ["tagsToAdd", "vip"], ["tagsToAdd", " reminded "], ["tagsToAdd", "vip"], ["tagsToRemove", "lead"]]),
    );
    expect(result.data).toEqual({
      enabled: true,
      delayMinutes: 360,
      tagsToAdd: ["vip", "reminded"],
      tagsToRemove: ["lead"],
      title: "お買い忘れはありませんか？",
      body: "カートに商品が残っています。",
      moreItemsText: "ほか{count}点",
      buttonText: "カートを見る",
      headerColor: "#FF5500",
      buttonColor: "#06C755",
      queryParams: "utm_source=line",
      quietHoursEnabled: false,
      quietStart: "22:00",
      quietEnd: "08:00",
      attributionDays: 14,
    });
  });

  it("treats an unchecked box as off and accepts tags posted as one JSON array", () => {
    const result = parseReminderSettings(
      form([...base, ["quietHoursEnabled", "true"], ["quietStart", "23:30"], ["quietEnd", "07:00"], ["tagsToAdd", '["a","b"]']]),
    );
    expect(result.data).toMatchObject({ enabled: false, quietHoursEnabled: true, quietStart: "23:30", quietEnd: "07:00", tagsToAdd: ["a", "b"], tagsToRemove: [] });
  });

  it("reports every wrong field at once, each with its key", () => {
    const result = parseReminderSettings(form([["delayMinutes", "5"], ["title", ""], ["headerColor", "red"], ["attributionDays", "0"]]));
    expect(result.errors).toEqual({
      delayMinutes: "cart.error.delayMinutes",
      title: "cart.error.title",
      body: "cart.error.body",
      moreItemsText: "cart.error.moreItemsText",
      buttonText: "cart.error.buttonText",
      headerColor: "cart.error.headerColor",
      buttonColor: "cart.error.buttonColor",
      attributionDays: "cart.error.attributionDays",
    });
  });
});

describe("texts", () => {
  it.each([
    ["title", 40, "cart.error.title"],
    ["body", 500, "cart.error.body"],
    ["moreItemsText", 60, "cart.error.moreItemsText"],
    ["buttonText", 20, "cart.error.buttonText"],
  ] as const)("%s takes 1 to %i characters, counting an emoji as one", (field, max, key) => {
    expect(dataFor({ [field]: "あ".repeat(max) })[field]).toBe("あ".repeat(max));
    expect(dataFor({ [field]: "👍".repeat(max) })[field]).toBe("👍".repeat(max));
    expect(errorsFor({ [field]: "あ".repeat(max + 1) })).toEqual({ [field]: key });
    expect(errorsFor({ [field]: "   " })).toEqual({ [field]: key });
    expect(errorsFor({ [field]: undefined })).toEqual({ [field]: key });
  });

  it("keeps {count} in the 3rd-item text", () => {
    expect(dataFor({ moreItemsText: "and {count} more" }).moreItemsText).toBe("and {count} more");
  });
});

describe("tags", () => {
  it("accepts up to 10 names of 1 to 50 characters", () => {
    const ten = Array.from({ length: 10 }, (_, i) => `tag-${i}`);
    expect(dataFor({ tagsToAdd: ten, tagsToRemove: [] }).tagsToAdd).toEqual(ten);
    expect(dataFor({ tagsToAdd: ["x".repeat(50)] }).tagsToAdd).toEqual(["x".repeat(50)]);
    expect(dataFor({ tagsToAdd: [], tagsToRemove: [] })).toMatchObject({ tagsToAdd: [], tagsToRemove: [] });
  });

  it("rejects an 11th name, a long or blank name, and a tag both added and removed", () => {
    expect(errorsFor({ tagsToAdd: Array.from({ length: 11 }, (_, i) => `t${i}`) })).toEqual({ tagsToAdd: "cart.error.tagCount" });
    expect(errorsFor({ tagsToRemove: ["x".repeat(51)] })).toEqual({ tagsToRemove: "cart.error.tagName" });
    expect(errorsFor({ tagsToAdd: [" "] })).toEqual({ tagsToAdd: "cart.error.tagName" });
    expect(errorsFor({ tagsToAdd: "vip" })).toEqual({ tagsToAdd: "cart.error.tagName" });
    expect(errorsFor({ tagsToAdd: ["vip"], tagsToRemove: ["vip"] })).toEqual({ tagsToRemove: "cart.error.tagConflict" });
  });
});

describe("colors", () => {
  it("take #RRGGBB and are stored upper case", () => {
    expect(dataFor({ headerColor: "#abcdef", buttonColor: " #000000 " })).toMatchObject({ headerColor: "#ABCDEF", buttonColor: "#000000" });
  });

  it.each([["06C755"], ["#06C7"], ["#GGGGGG"], ["#06C755FF"], ["green"]])("reject %s", (value) => {
    expect(errorsFor({ headerColor: value, buttonColor: value })).toEqual({
      headerColor: "cart.error.headerColor",
      buttonColor: "cart.error.buttonColor",
    });
  });
});

describe("query parameters", () => {
  const tenPairs = Array.from({ length: 10 }, (_, i) => `k${i}=v`).join("&");

  it.each([
    ["utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover", "utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover"],
    ["", ""],
    ["?utm_source=line", "utm_source=line"],
    ["utm_campaign=%E5%A4%8F", "utm_campaign=%E5%A4%8F"],
    ["utm_campaign=夏セール", "utm_campaign=夏セール"],
    ["a.b-c_d=1", "a.b-c_d=1"],
    [tenPairs, tenPairs],
    [`k=${"v".repeat(298)}`, `k=${"v".repeat(298)}`],
  ])("accept %j", (value, stored) => {
    expect(dataFor({ queryParams: value }).queryParams).toBe(stored);
  });

  it.each([
    ["utm source=line", "cart.error.queryParams"],
    ["utm_source=line#top", "cart.error.queryParams"],
    ["utm_source", "cart.error.queryParams"],
    ["utm_source=", "cart.error.queryParams"],
    ["=line", "cart.error.queryParams"],
    ["utm_source=line&", "cart.error.queryParams"],
    ["utm/source=line", "cart.error.queryParams"],
    ["utm_campaign=%E5%A4", "cart.error.queryParams"],
    [`${tenPairs}&k10=v`, "cart.error.queryParamsTooMany"],
    [`k=${"v".repeat(299)}`, "cart.error.queryParamsTooLong"],
    // 73 characters as typed, 553 once percent-encoded for the link.
    [`utm_campaign=${"夏".repeat(60)}`, "cart.error.queryParamsTooLong"],
    ["utm_source=line&utm_source=mail", "cart.error.queryParamsDuplicate"],
  ])("reject %j", (value, key) => {
    expect(errorsFor({ queryParams: value })).toEqual({ queryParams: key });
  });
});

describe("quiet hours and attribution", () => {
  it("take HH:MM times that differ, crossing midnight or not", () => {
    expect(dataFor({ quietHoursEnabled: true, quietStart: "22:00", quietEnd: "08:00" })).toMatchObject({ quietStart: "22:00", quietEnd: "08:00" });
    expect(dataFor({ quietStart: "01:00", quietEnd: "06:00" })).toMatchObject({ quietStart: "01:00", quietEnd: "06:00" });
    expect(dataFor({ quietStart: "00:00", quietEnd: "23:59" })).toMatchObject({ quietStart: "00:00", quietEnd: "23:59" });
  });

  it.each([["24:00"], ["7:00"], ["07:60"], ["0700"], [""]])("reject %j", (value) => {
    expect(errorsFor({ quietStart: value })).toEqual({ quietStart: "cart.error.quietTime" });
    expect(errorsFor({ quietEnd: value })).toEqual({ quietEnd: "cart.error.quietTime" });
  });

  it("reject an empty window", () => {
    expect(errorsFor({ quietStart: "22:00", quietEnd: "22:00" })).toEqual({ quietEnd: "cart.error.quietSame" });
  });

  it("count recovered orders for 1 to 30 days", () => {
    expect(dataFor({ attributionDays: 1 }).attributionDays).toBe(1);
    expect(dataFor({ attributionDays: "30" }).attributionDays).toBe(30);
    for (const value of [0, 31, 7.5, "x"]) expect(errorsFor({ attributionDays: value })).toEqual({ attributionDays: "cart.error.attributionDays" });
  });
});

describe("contrast", () => {
  it("computes WCAG ratios", () => {
    expect(contrastRatio("#000000", "#FFFFFF")).toBeCloseTo(21, 5);
    expect(contrastRatio("#FFFFFF", "#000000")).toBeCloseTo(21, 5);
    expect(contrastRatio("#06C755", "#06C755")).toBe(1);
    expect(contrastRatio("#777777", "#FFFFFF")).toBeCloseTo(4.48, 2);
    expect(contrastRatio("#06c755", "#ffffff")).toBeCloseTo(2.26, 2);
  });

  it.each([
    ["#000000", "#FFFFFF"],
    ["#0000FF", "#FFFFFF"],
    ["#D32F2F", "#FFFFFF"],
    ["#FFFFFF", "#111111"],
    ["#FFEB3B", "#111111"],
    // LINE green: dark text reads better (8.4:1 against 2.3:1 for white).
    ["#06C755", "#111111"],
  ])("picks readable text on %s", (background, text) => {
    expect(readableTextColor(background)).toBe(text);
  });

  it("rejects other color formats", () => {
    expect(() => contrastRatio("#FFF", "#000000")).toThrow(RangeError);
    expect(() => readableTextColor("green")).toThrow(RangeError);
  });
});

// The theme app extension passes Shopify's theme-check (theme app extension rules) and stays small.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { readFileSync } from "node:fs";
import { check } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";

const root = path.resolve("extensions/line-connect");

describe("extensions/line-connect", () => {
  it("has no theme-check offenses", async () => {
    const offenses = await check(root, path.join(root, ".theme-check.yml"));
    expect(offenses.map((o) => `${o.uri.split("/").slice(-2).join("/")}: ${o.check} ${o.message}`)).toEqual([]);
  }, 60_000);

  it("keeps the storefront script well under 10 KB", () => {
    const script = readFileSync(path.join(root, "assets/line-connect.js"));
    expect(script.length).toBeLessThan(10_000);
    expect(gzipSync(script).length).toBeLessThan(2_000);
  });

  it("ships every storefront and schema string in English and Japanese", () => {
    const locales = readdirSync(path.join(root, "locales"));
    expect(locales.sort()).toEqual(["en.default.json", "en.default.schema.json", "ja.json", "ja.schema.json"]);
    const keys = (file: string) => flatten(JSON.parse(readFileSync(path.join(root, "locales", file), "utf8")));
    expect(keys("ja.json")).toEqual(keys("en.default.json"));
    expect(keys("ja.schema.json")).toEqual(keys("en.default.schema.json"));
    for (const file of locales) expect(statSync(path.join(root, "locales", file)).size).toBeLessThan(15_000);
  });
});

function flatten(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => flatten(child, prefix ? `${prefix}.${key}` : key)).sort();
}

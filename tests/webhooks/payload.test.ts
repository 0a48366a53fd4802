// The stored form of a webhook payload: what jsonb refuses is escaped, and restoring gives back exactly what was sent.
import { describe, expect, it } from "vitest";
import { restorePayload, storablePayload } from "~/webhooks/payload";

// Every character jsonb refuses, the escape mark itself, and text that looks like an escape.
const awkward = ["\u0000", "\ud800", "\udc00", "\udbff\udfff", "\uffff", "\uffff0041", "\\u0000", "a\u0000\u0000b", "😀", ""];

describe("storablePayload / restorePayload", () => {
  it("passes ordinary bodies through unchanged, byte for byte", () => {
    const raw = '{"note":"煎茶 \\"100g\\"","escaped":"\\\\u0000 is text here","n":1}';
    expect(storablePayload(raw)).toBe(raw);
  });

  it("round-trips every awkward string, as values and as keys, at any depth", () => {
    for (const a of awkward) {
      for (const b of awkward) {
        const value = { [`k${a}`]: `${a}x${b}`, list: [b, { [b]: a }], n: 1, t: true, z: null };
        const stored = storablePayload(JSON.stringify(value));
        expect(restorePayload(JSON.parse(stored))).toEqual(value);
      }
    }
  });

  it("produces text PostgreSQL accepts as jsonb", async () => {
    const { sql } = await import("~/db.server");
    const value = Object.fromEntries(awkward.map((text, index) => [`${index}${text}`, { text, list: awkward }]));
    const [row] = await sql<{ payload: unknown }>`SELECT ${storablePayload(JSON.stringify(value))}::jsonb AS payload`;
    expect(restorePayload(row.payload)).toEqual(value);
  });
});

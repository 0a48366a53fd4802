// The jsonb form of stored payloads (LINE events, Shopify webhooks): exact round trips for what jsonb cannot hold,
// ordinary values and bodies stored byte for byte.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { jsonDepth, restoreJson, storableJson, storableJsonBody, storableJsonText, storableText } from "~/stored-json";

const awkward = {
  type: "message",
  "key\u0000with nul": ["nul \u0000", "lone high \ud83d", "lone low \ude00", "pair 😀", "mark \uffff 0", "\uffff0000"],
  nested: { text: "typed \\u0000 literally", n: 1, ok: true, none: null },
};

describe("stored JSON", () => {
  it("stores an ordinary value as it is", () => {
    const value = { type: "follow", text: "こんにちは 😀 \\u0000 typed", list: [1, null, { a: "\uE000" }] };
    expect(storableJsonText(value)).toBe(JSON.stringify(value));
    expect(restoreJson(JSON.parse(storableJsonText(value)))).toEqual(value);
  });

  it("restores U+0000, lone surrogates and the escape character exactly, in keys and values", () => {
    expect(restoreJson(storableJson(awkward))).toEqual(awkward);
  });

  it("writes what PostgreSQL's jsonb accepts, and reads it back exactly", async () => {
    const [row] = await db.$queryRaw<{ value: unknown }[]>`SELECT ${storableJsonText(awkward)}::jsonb AS value`;
    expect(restoreJson(row.value)).toEqual(awkward);
    await expect(db.$queryRaw`SELECT ${JSON.stringify(awkward)}::jsonb AS value`).rejects.toThrow();
  });

  it("measures depth without recursion, and makes text for text columns", () => {
    const deep = JSON.parse(`${"[".repeat(200_000)}${"]".repeat(200_000)}`);
    expect(jsonDepth(deep)).toBe(200_000);
    expect(jsonDepth({ a: [{ b: 1 }] })).toBe(3);
    expect(storableText("a\u0000b\ud83dc😀")).toBe("a\uFFFDb\uFFFDc😀");
  });
});

// Every character jsonb refuses, the escape mark itself, and text that looks like an escape.
const awkwardTexts = ["\u0000", "\ud800", "\udc00", "\udbff\udfff", "\uffff", "\uffff0041", "\\u0000", "a\u0000\u0000b", "😀", ""];

describe("stored JSON bodies", () => {
  it("passes ordinary bodies through unchanged, byte for byte", () => {
    const raw = '{"note":"煎茶 \\"100g\\"","escaped":"\\\\u0000 is text here","n":1}';
    expect(storableJsonBody(raw)).toBe(raw);
  });

  it("round-trips every awkward string, as values and as keys, at any depth", () => {
    for (const a of awkwardTexts) {
      for (const b of awkwardTexts) {
        const value = { [`k${a}`]: `${a}x${b}`, list: [b, { [b]: a }], n: 1, t: true, z: null };
        const stored = storableJsonBody(JSON.stringify(value));
        expect(restoreJson(JSON.parse(stored))).toEqual(value);
      }
    }
  });

  it("produces text PostgreSQL accepts as jsonb", async () => {
    const value = Object.fromEntries(awkwardTexts.map((text, index) => [`${index}${text}`, { text, list: awkwardTexts }]));
    const [row] = await db.$queryRaw<{ payload: unknown }[]>`SELECT ${storableJsonBody(JSON.stringify(value))}::jsonb AS payload`;
    expect(restoreJson(row.payload)).toEqual(value);
  });
});

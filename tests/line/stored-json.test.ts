// The jsonb form of LINE payloads: exact round trips for what jsonb cannot hold, ordinary values untouched.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { jsonDepth, restoreJson, storableJson, storableJsonText, storableText } from "~/line/events/stored-json";

const awkward = {
  type: "message",
  "key\u0000with nul": ["nul \u0000", "lone high \ud83d", "lone low \ude00", "pair 😀", "escape \uE000 0", "\uE0000"],
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

// jsonb cannot hold U+0000 or a lone UTF-16 surrogate, and a LINE user can send either. A value carrying one is
// stored wrapped, with those characters escaped, and restored exactly when read. Every other value is stored as it
// is, so ordinary rows (and rows written before this) read unchanged.

const WRAPPER = "$escaped";
// Private use: inside a wrapped value this character is escaped too, so restoring is exact.
const ESC = "\uE000";

const LONE_SURROGATE = "[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]";
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE}`);
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, "g");
const TO_ESCAPE = new RegExp(`[\\u0000\\uE000]|${LONE_SURROGATE}`, "g");
const ESCAPED = /\uE000(?:([0e])|u([0-9a-f]{4}))/g;
// What JSON.stringify writes for those characters; a literal "\u0000" typed by someone only costs a closer look.
const MAYBE_UNSTORABLE = /\\u(?:0000|d[89a-f])/i;

/** Nesting depth of a parsed JSON value, walked without recursion: a signed body may still nest thousands deep. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== "object") continue;
    deepest = Math.max(deepest, depth);
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * JSON text of the value that PostgreSQL's jsonb accepts. The value must be shallow enough for JSON.stringify
 * (callers check `jsonDepth` first on anything that came from outside).
 */
export function storableJsonText(value: unknown): string {
  const text = JSON.stringify(value);
  if (!MAYBE_UNSTORABLE.test(text) || !hasUnstorable(value)) return text;
  return JSON.stringify({ [WRAPPER]: mapStrings(value, escape) });
}

/** The value as jsonb can hold it, for writes through Prisma. */
export function storableJson(value: unknown): unknown {
  return JSON.parse(storableJsonText(value));
}

/** The value as it was before `storableJson`; anything not wrapped is returned as it is. */
export function restoreJson<T = unknown>(stored: unknown): T {
  if (!isWrapped(stored)) return stored as T;
  return mapStrings(stored[WRAPPER], restore) as T;
}

/** Text for a `text` column, which cannot hold U+0000 or a lone surrogate: each shown as the replacement character. */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_ALL, "\uFFFD");
}

function isWrapped(value: unknown): value is { [WRAPPER]: unknown } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === WRAPPER;
}

function hasUnstorable(value: unknown): boolean {
  if (typeof value === "string") return UNSTORABLE.test(value);
  if (value === null || typeof value !== "object") return false;
  if (Array.isArray(value)) return value.some(hasUnstorable);
  return Object.entries(value).some(([key, item]) => UNSTORABLE.test(key) || hasUnstorable(item));
}

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [map(key), mapStrings(item, map)]));
}

function escape(text: string): string {
  return text.replace(TO_ESCAPE, (char) => {
    if (char === "\u0000") return `${ESC}0`;
    if (char === ESC) return `${ESC}e`;
    return `${ESC}u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  });
}

function restore(text: string): string {
  return text.replace(ESCAPED, (_, short: string | undefined, code: string | undefined) => {
    if (short === "0") return "\u0000";
    if (short === "e") return ESC;
    return String.fromCharCode(parseInt(code!, 16));
  });
}

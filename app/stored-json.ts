// PostgreSQL's jsonb refuses two things JSON allows: U+0000 and an unpaired surrogate. A signed delivery carrying one
// (a LINE message, a checkout note) must still be stored, so those characters are stored as U+FFFF followed by their
// four hex digits, U+FFFF itself too so the mapping reverses exactly, and restored when read. The shape of the value
// is kept, so stored payloads stay queryable; ordinary values are stored byte for byte as they are.
const MARK = "\uffff";
const LONE_SURROGATE = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE}`);
const TO_ESCAPE = new RegExp(`\\u0000|\\uffff|${LONE_SURROGATE}`, "g");
const ESCAPED = /\uffff([0-9a-f]{4})/g;
// In JSON text: an escape of U+0000, a surrogate or U+FFFF, or a literal U+FFFF. A false alarm (an escaped
// backslash before "u0000") only costs the slower path.
const MAY_NEED_ESCAPING = /\\u(?:0000|d[89a-f]|ffff)|\uffff/i;

const hex = (char: string) => char.charCodeAt(0).toString(16).padStart(4, "0");
const escape = (text: string) => text.replace(TO_ESCAPE, (char) => MARK + hex(char));
const unescape = (text: string) =>
  text.includes(MARK) ? text.replace(ESCAPED, (_, code: string) => String.fromCharCode(parseInt(code, 16))) : text;

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [map(key), mapStrings(item, map)]));
  }
  return value;
}

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

/** The JSON text to store as jsonb for a raw body already known to be JSON; most bodies pass unchanged. */
export function storableJsonBody(rawBody: string): string {
  if (!MAY_NEED_ESCAPING.test(rawBody)) return rawBody;
  return JSON.stringify(mapStrings(JSON.parse(rawBody), escape));
}

/**
 * JSON text of the value that jsonb accepts. The value must be shallow enough for JSON.stringify (callers check
 * `jsonDepth` first on anything that came from outside).
 */
export function storableJsonText(value: unknown): string {
  const text = JSON.stringify(value);
  return MAY_NEED_ESCAPING.test(text) ? JSON.stringify(mapStrings(value, escape)) : text;
}

/** The value as jsonb can hold it, for writes through Prisma. */
export function storableJson(value: unknown): unknown {
  return JSON.parse(storableJsonText(value));
}

function hasMark(value: unknown): boolean {
  if (typeof value === "string") return value.includes(MARK);
  if (Array.isArray(value)) return value.some(hasMark);
  if (value && typeof value === "object") return Object.entries(value).some(([key, item]) => key.includes(MARK) || hasMark(item));
  return false;
}

/** The value as it was before it was stored (read on every event: a value without the mark is returned as it is). */
export function restoreJson<T = unknown>(stored: unknown): T {
  return (hasMark(stored) ? mapStrings(stored, unescape) : stored) as T;
}

/** Text for a `text` column, which cannot hold U+0000 or a lone surrogate: each shown as the replacement character. */
export function storableText(text: string): string {
  return UNSTORABLE.test(text) ? text.replace(new RegExp(UNSTORABLE.source, "g"), "\ufffd") : text;
}

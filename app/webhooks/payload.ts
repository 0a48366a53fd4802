// PostgreSQL's jsonb refuses two things JSON allows: U+0000 and an unpaired surrogate (`\u0000`, a lone `\ud800`).
// A signed delivery carrying one (a checkout note) must still be stored, so those characters are stored as U+FFFF
// followed by their four hex digits, U+FFFF itself too so the mapping reverses exactly, and restored when read.
const MARK = "\uffff";
const UNSTORABLE = /\u0000|\uffff|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ESCAPED = /\uffff([0-9a-f]{4})/g;
// In the raw text: an escape of U+0000, a surrogate or U+FFFF, or a literal U+FFFF. A false alarm (an escaped
// backslash before "u0000") only costs the slower path.
const MAY_NEED_ESCAPING = /\\u(?:0000|d[89a-f]|ffff)|\uffff/i;

const hex = (char: string) => char.charCodeAt(0).toString(16).padStart(4, "0");
const escape = (text: string) => text.replace(UNSTORABLE, (char) => MARK + hex(char));
const unescape = (text: string) => text.replace(ESCAPED, (_, code: string) => String.fromCharCode(parseInt(code, 16)));

function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [map(key), mapStrings(item, map)]));
  }
  return value;
}

/** The JSON text to store as jsonb for a raw body already known to be JSON; most bodies pass unchanged. */
export function storablePayload(rawBody: string): string {
  if (!MAY_NEED_ESCAPING.test(rawBody)) return rawBody;
  return JSON.stringify(mapStrings(JSON.parse(rawBody), escape));
}

/** The payload as it was sent, from what `storablePayload` stored. */
export function restorePayload<T>(stored: T): T {
  return mapStrings(stored, (text) => (text.includes(MARK) ? unescape(text) : text)) as T;
}

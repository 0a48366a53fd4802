import { createHash } from "node:crypto";

/** A UUID (the form LINE wants for X-Line-Retry-Key) derived from a stable name, e.g. a database row id. */
export function retryKeyFor(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * LINE honours a retry key for 24 hours after its first request; later, a retry could be a second message. The
 * hour less covers clock differences and the request's own time.
 */
export const RETRY_KEY_WINDOW_MS = 23 * 3_600_000;

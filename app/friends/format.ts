// The friends pages format with the admin's shared formatters (app/i18n/format.ts): dates in the shop's time zone,
// cached Intl objects, whole graphemes for avatar initials.
import { formatDateTime, initial } from "../i18n/format";

export { formatDateTime, initial as firstGrapheme };

/** 2026/10/01 in the shop's time zone; "—" without a date. */
export function formatDay(date: Date | string | null | undefined, timeZone: string): string {
  return formatDateTime(date, timeZone, false);
}

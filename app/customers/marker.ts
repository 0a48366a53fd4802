// The marker a broadcast's links carry to the store (`line_m=b.<broadcast id>`), so an order's landing site names
// the broadcast that brought the shopper even when the buyer is not linked or the merchant changed the UTM
// parameters. Cart reminders need none: their order carries the reminded checkout's token.

export const MARKER_PARAM = "line_m";

/** "line_m=b.<id>", to add to a link's query with withQueryParams. */
export function markerQuery(kind: "broadcast", id: string): string {
  return `${MARKER_PARAM}=${kind === "broadcast" ? "b" : kind}.${encodeURIComponent(id)}`;
}

/** The broadcast a marker value names, or null for anything else (ids are cuids: letters, digits, "_" and "-"). */
export function parseMarker(value: string | null | undefined): { kind: "broadcast"; id: string } | null {
  const match = /^b\.([A-Za-z0-9_-]{1,64})$/.exec(value ?? "");
  return match ? { kind: "broadcast", id: match[1]! } : null;
}

/** The query parameters of an order's landing site ("/products/tea?utm_source=line" or a full URL). */
export function landingParams(landingSite: string | null | undefined): URLSearchParams {
  if (!landingSite) return new URLSearchParams();
  try {
    return new URL(landingSite, "https://store.invalid").searchParams;
  } catch {
    return new URLSearchParams();
  }
}

// The marker our links carry to the store, so an order's landing site names the message that brought the shopper
// even when the buyer is not linked to a friend: `line_m=b.<broadcast id>` or `line_m=c.<cart reminder id>`.
// Browser-safe: the broadcast composer's preview shows the same links.

export const MARKER_PARAM = "line_m";

export type MarkedKind = "broadcast" | "cart-reminder";

const PREFIX: Record<MarkedKind, string> = { broadcast: "b", "cart-reminder": "c" };

/** "line_m=b.<id>", to add to a link's query with withQueryParams. */
export function markerQuery(kind: MarkedKind, id: string): string {
  return `${MARKER_PARAM}=${PREFIX[kind]}.${encodeURIComponent(id)}`;
}

/** The message a marker value names, or null for anything else (ids are cuids: letters, digits, "_" and "-"). */
export function parseMarker(value: string | null | undefined): { kind: MarkedKind; id: string } | null {
  const match = /^([bc])\.([A-Za-z0-9_-]{1,64})$/.exec(value ?? "");
  if (!match) return null;
  return { kind: match[1] === "b" ? "broadcast" : "cart-reminder", id: match[2]! };
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

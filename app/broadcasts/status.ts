// A broadcast's statuses, limits and default tracking parameters, without zod: what the browser needs of
// app/broadcasts/model.ts (which re-exports these) stays out of the zod chunk.

export const BROADCAST_STATUSES = ["draft", "scheduled", "planning", "sending", "sent", "cancelled", "failed"] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/** Statuses in which the broadcast can still be edited (a scheduled one goes back to draft while edited). */
export const EDITABLE: readonly BroadcastStatus[] = ["draft", "scheduled"];
/** Statuses in which Cancel means something. */
export const CANCELLABLE: readonly BroadcastStatus[] = ["scheduled", "planning", "sending"];
/** Statuses the results page follows live. */
export const IN_PROGRESS: readonly BroadcastStatus[] = ["planning", "sending"];

export const LIMITS = { name: 100, utm: 500, tags: 20 } as const;

/** The default tracking parameters of a broadcast's links (like the cart reminder's). */
export function defaultUtm(name: string) {
  const campaign = encodeURIComponent(name.trim() || "broadcast");
  return `utm_source=line&utm_medium=broadcast&utm_campaign=${campaign}`;
}

// The LINE Official Account plan (Japan, 2023 price revision) read from the monthly quota LINE reports: the plans
// differ only by their free messages. A quota that is none of them (an older plan, or a Standard account whose
// merchant set a cap on additional messages) is "unknown" rather than a guess. Browser-safe.
export type LinePlan = "communication" | "light" | "standard" | "unknown";

const PLAN_BY_QUOTA: Record<number, LinePlan> = { 200: "communication", 5_000: "light", 30_000: "standard" };

export function planFromQuota(type: "none" | "limited", limit: number | null): LinePlan {
  // No upper limit at all: only Standard may send additional (paid) messages without a cap.
  if (type === "none") return "standard";
  return (limit !== null && PLAN_BY_QUOTA[limit]) || "unknown";
}

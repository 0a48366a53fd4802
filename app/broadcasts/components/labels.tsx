// Small pieces shared by the broadcasts pages: the status badge, the audience in words, a time on the shop's clock.
import { Badge } from "@shopify/polaris";
import { useLocale, useT } from "../../i18n/i18n";
import type { BroadcastStatus } from "../model";
import type { AudienceLabel } from "../pages.server";

const TONES: Record<BroadcastStatus, "info" | "success" | "attention" | "critical" | "warning" | undefined> = {
  draft: undefined,
  scheduled: "info",
  planning: "attention",
  sending: "attention",
  sent: "success",
  cancelled: "warning",
  failed: "critical",
};

export function StatusBadge({ status }: { status: BroadcastStatus }) {
  const t = useT();
  return (
    <Badge tone={TONES[status]} progress={status === "sent" ? "complete" : status === "sending" || status === "planning" ? "partiallyComplete" : undefined}>
      {t(`broadcasts.status.${status}`)}
    </Badge>
  );
}

export function useAudienceText() {
  const t = useT();
  return (label: AudienceLabel) =>
    label.type === "all"
      ? t("broadcasts.audience.all")
      : label.type === "segment"
        ? t("broadcasts.audience.segment", { name: label.name ?? t("broadcasts.audience.gone") })
        : t(label.match === "any" ? "broadcasts.audience.tagsAny" : "broadcasts.audience.tagsAll", { names: label.names.join(", ") });
}

/** "2026/12/01 10:00" on the shop's clock, in the admin's language. */
export function useShopTime(timeZone: string) {
  const locale = useLocale();
  const format = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { timeZone, dateStyle: "medium", timeStyle: "short" });
  return (iso: string | null) => (iso ? format.format(new Date(iso)) : "");
}

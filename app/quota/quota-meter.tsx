// The message-quota meter: per account, this month's quota, what is used (LINE's figure and this app's sends
// since), what is scheduled for the rest of the month, what is left, and the plan the quota stands for.
import type { SerializeFrom } from "@remix-run/node";
import { Banner, BlockStack, Box, ProgressBar, Text } from "@shopify/polaris";
import { SectionCard } from "../components/section-card";
import { useT } from "../i18n/i18n";
import type { QuotaMeter } from "./meter.server";

/** A meter as the page receives it from a loader (dates as strings). */
export type QuotaMeterView = SerializeFrom<QuotaMeter>;

const number = (value: number) => value.toLocaleString("ja-JP");

/** `spaced`: room below it, for a column of cards. */
export function QuotaMeters({ meters, timeZone, spaced = true }: { meters: QuotaMeterView[]; timeZone: string; spaced?: boolean }) {
  const t = useT();
  return (
    <Box paddingBlockEnd={spaced ? "400" : "0"}>
      <SectionCard title={t("quota.heading")}>
        {meters.length === 0 ? <Text as="p" tone="subdued">{t("quota.none")}</Text> : null}
        {meters.map((meter) => (
          <QuotaMeter key={meter.lineAccountId} meter={meter} timeZone={timeZone} showName={meters.length > 1} />
        ))}
      </SectionCard>
    </Box>
  );
}

function QuotaMeter({ meter, timeZone, showName }: { meter: QuotaMeterView; timeZone: string; showName: boolean }) {
  const t = useT();
  if (meter.unavailable) return <Banner tone="warning">{t("quota.unavailable")}</Banner>;
  const plan =
    meter.type === "none" ? t("quota.plan.unlimited") : meter.plan === "unknown" ? t("quota.plan.unknown", { limit: number(meter.limit ?? 0) }) : t(`quota.plan.${meter.plan}`);
  const share = meter.limit ? Math.min(((meter.used + meter.scheduled) / meter.limit) * 100, 100) : 0;
  return (
    <div data-testid="quota-meter" data-account={meter.lineAccountId}>
      <BlockStack gap="150">
        {showName ? (
          <Text as="h3" variant="headingSm">
            {meter.accountName}
          </Text>
        ) : null}
        <Text as="p" fontWeight="semibold">
          {plan}
        </Text>
        {meter.limit !== null ? (
          <>
            <ProgressBar progress={share} size="small" tone={meter.exhausted ? "critical" : share > 80 ? "highlight" : "primary"} animated={false} />
            <Text as="p">{t("quota.limit", { limit: number(meter.limit) })}</Text>
          </>
        ) : (
          <Text as="p" tone="subdued">
            {t("quota.unlimited")}
          </Text>
        )}
        <Text as="p">{t("quota.used", { used: number(meter.used), line: number(meter.usedByLine), since: number(meter.usedSince) })}</Text>
        <Text as="p">{t("quota.scheduled", { scheduled: number(meter.scheduled) })}</Text>
        {meter.remaining !== null ? (
          <Text as="p" fontWeight="bold">
            {t("quota.remaining", { remaining: number(meter.remaining) })}
          </Text>
        ) : null}
        {meter.exhausted ? <Banner tone="critical">{t("quota.exhausted")}</Banner> : null}
        {meter.checkedAt ? (
          <Text as="p" tone="subdued" variant="bodySm">
            {t("quota.checkedAt", { time: new Intl.DateTimeFormat("ja-JP", { timeZone, dateStyle: "short", timeStyle: "short" }).format(new Date(meter.checkedAt)) })}
          </Text>
        ) : null}
      </BlockStack>
    </div>
  );
}

// The editor's side: whether the scenario runs, how many runs are in progress and ended, and starting it by hand
// for the friends of a segment (the segment is read once, when started).
import { Banner, BlockStack, Box, Button, InlineStack, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { useT } from "../../i18n/i18n";
import { SectionCard } from "../../components/section-card";
import type { Option } from "./draft";
import { ScenarioStatusBadge } from "./labels";

export function StatusCard(props: { status: "on" | "off"; runs: { active: number; finished: number; ended: number }; onToggle: () => void; busy: boolean; disabled: boolean; resultsUrl: string }) {
  const t = useT();
  return (
    <SectionCard title={t("scenarioPages.statusCard.heading")}>
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <ScenarioStatusBadge status={props.status} />
        <Button onClick={props.onToggle} loading={props.busy} disabled={props.disabled} variant={props.status === "on" ? undefined : "primary"}>
          {t(props.status === "on" ? "scenarioPages.turnOff" : "scenarioPages.turnOn")}
        </Button>
      </InlineStack>
      <Text as="p" tone="subdued">
        {t(props.status === "on" ? "scenarioPages.statusCard.onHelp" : "scenarioPages.statusCard.offHelp")}
      </Text>
      <InlineStack align="space-between">
        <Text as="span" tone="subdued">
          {t("scenarioPages.column.active")}
        </Text>
        <Text as="span" fontWeight="semibold" numeric>
          {props.runs.active.toLocaleString()}
        </Text>
      </InlineStack>
      <InlineStack align="space-between">
        <Text as="span" tone="subdued">
          {t("scenarioPages.column.finished")}
        </Text>
        <Text as="span" fontWeight="semibold" numeric>
          {props.runs.finished.toLocaleString()}
        </Text>
      </InlineStack>
      <InlineStack align="space-between">
        <Text as="span" tone="subdued">
          {t("scenarioPages.column.ended")}
        </Text>
        <Text as="span" fontWeight="semibold" numeric>
          {props.runs.ended.toLocaleString()}
        </Text>
      </InlineStack>
      <Box>
        <Button url={props.resultsUrl} variant="plain">
          {t("scenarioPages.results.open")}
        </Button>
      </Box>
    </SectionCard>
  );
}

export function StartForSegmentCard(props: { segments: Option[]; disabled: string | null; busy: boolean; onStart: (segmentId: string) => void; notice?: string; error?: string }) {
  const t = useT();
  const [segmentId, setSegmentId] = useState(props.segments[0]?.id ?? "");
  return (
    <SectionCard title={t("scenarioPages.start.heading")}>
      <Text as="p" tone="subdued">
        {t("scenarioPages.start.body")}
      </Text>
      {props.error && <Banner tone="critical">{props.error}</Banner>}
      {props.notice && <Banner tone="success">{props.notice}</Banner>}
      {props.segments.length === 0 ? (
        <Text as="p">{t("scenarioPages.start.noSegments")}</Text>
      ) : (
        <BlockStack gap="200">
          <Select label={t("scenarioPages.start.segment")} options={props.segments.map((s) => ({ label: s.name, value: s.id }))} value={segmentId} onChange={setSegmentId} />
          {props.disabled && (
            <Text as="p" variant="bodySm" tone="subdued">
              {props.disabled}
            </Text>
          )}
          <Box>
            <Button onClick={() => props.onStart(segmentId)} disabled={Boolean(props.disabled) || !segmentId} loading={props.busy}>
              {t("scenarioPages.start.button")}
            </Button>
          </Box>
        </BlockStack>
      )}
    </SectionCard>
  );
}

/** Above the timeline while runs are in progress: what saving an edit does to them. */
export function InFlightBanner(props: { active: number; removed: number }) {
  const t = useT();
  if (props.active === 0) return null;
  return (
    <Banner tone={props.removed > 0 ? "warning" : "info"} title={t("scenarioPages.inFlight.title", { count: props.active.toLocaleString() })}>
      <BlockStack gap="100">
        <p>{t("scenarioPages.inFlight.later")}</p>
        <p>{t("scenarioPages.inFlight.deleted")}</p>
        <p>{t("scenarioPages.inFlight.passed")}</p>
        {props.removed > 0 && (
          <Text as="p" fontWeight="semibold">
            {t("scenarioPages.inFlight.removedNow", { count: props.removed })}
          </Text>
        )}
      </BlockStack>
    </Banner>
  );
}

// The parts of the broadcast composer: details and audience, messages, link parameters, sending, quota, tests.
import { BlockStack, Button, Card, ChoiceList, FormLayout, InlineStack, Select, Tag, Text, TextField, Checkbox, Banner, Box, Divider } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { Audience } from "../model";
import type { ComposedMessage } from "../../messages/model";
import { SectionCard } from "../../components/section-card";

export type ComposerState = {
  name: string;
  lineAccountId: string;
  audience: Audience;
  utmParams: string;
  quietHours: boolean;
  quietStart: string;
  quietEnd: string;
  overQuota: "refuse" | "fit";
  messages: ComposedMessage[];
};
type Option = { id: string; name: string };
type FieldError = (...fields: string[]) => string | undefined;

export function DetailsCard(props: {
  state: ComposerState;
  set: (patch: Partial<ComposerState>) => void;
  accounts: { id: string; displayName: string }[];
  tags: Option[];
  segments: Option[];
  error: FieldError;
}) {
  const t = useT();
  const { state, set } = props;
  const audience = state.audience;
  const tagIds = audience.type === "tags" ? audience.tagIds : [];
  const setType = (type: string) =>
    set({
      audience:
        type === "segment" ? { type: "segment", segmentId: props.segments[0]?.id ?? "" } : type === "tags" ? { type: "tags", tagIds: [], match: "any" } : { type: "all" },
    });
  return (
    <SectionCard title={t("broadcasts.form.details")} gap="400">
      <FormLayout>
        <TextField label={t("broadcasts.form.name")} value={state.name} onChange={(name) => set({ name })} autoComplete="off" maxLength={100} helpText={t("broadcasts.form.nameHelp")} error={props.error("name")} />
        <Select label={t("broadcasts.form.account")} options={props.accounts.map((a) => ({ label: a.displayName, value: a.id }))} value={state.lineAccountId} onChange={(lineAccountId) => set({ lineAccountId })} error={props.error("lineAccountId")} />
        <ChoiceList
          title={t("broadcasts.form.audience")}
          choices={[
            { label: t("broadcasts.form.audienceAll"), value: "all" },
            { label: t("broadcasts.form.audienceSegment"), value: "segment" },
            { label: t("broadcasts.form.audienceTags"), value: "tags" },
          ]}
          selected={[audience.type]}
          onChange={([type]) => setType(type)}
          error={props.error("audience", "audience.segmentId", "audience.tagIds")}
        />
        {audience.type === "segment" &&
          (props.segments.length ? (
            <Select label={t("broadcasts.form.segment")} options={props.segments.map((s) => ({ label: s.name, value: s.id }))} value={audience.segmentId} onChange={(segmentId) => set({ audience: { type: "segment", segmentId } })} />
          ) : (
            <Text as="p" tone="subdued">
              {t("broadcasts.form.noSegments")}
            </Text>
          ))}
        {audience.type === "tags" && (
          <BlockStack gap="200">
            <Select
              label={t("broadcasts.form.tags")}
              options={[{ label: "—", value: "" }, ...props.tags.filter((tag) => !tagIds.includes(tag.id)).map((tag) => ({ label: tag.name, value: tag.id }))]}
              value=""
              onChange={(id) => id && set({ audience: { ...audience, tagIds: [...tagIds, id] } })}
            />
            <InlineStack gap="200">
              {tagIds.map((id) => (
                <Tag key={id} onRemove={() => set({ audience: { ...audience, tagIds: tagIds.filter((x) => x !== id) } })}>
                  {props.tags.find((tag) => tag.id === id)?.name ?? id}
                </Tag>
              ))}
            </InlineStack>
            <Select
              label={t("broadcasts.form.tagMatch")}
              options={[
                { label: t("broadcasts.form.tagMatchAny"), value: "any" },
                { label: t("broadcasts.form.tagMatchAll"), value: "all" },
              ]}
              value={audience.match}
              onChange={(match) => set({ audience: { ...audience, match: match as "any" | "all" } })}
            />
          </BlockStack>
        )}
        <Text as="p" variant="bodySm" tone="subdued">
          {t("broadcasts.form.audienceNote")}
        </Text>
      </FormLayout>
    </SectionCard>
  );
}

export function LinksCard(props: { state: ComposerState; set: (patch: Partial<ComposerState>) => void; error: FieldError }) {
  const t = useT();
  return (
    <Card>
      <TextField label={t("broadcasts.form.utm")} value={props.state.utmParams} onChange={(utmParams) => props.set({ utmParams })} autoComplete="off" helpText={t("broadcasts.form.utmHelp")} error={props.error("utmParams")} monospaced />
    </Card>
  );
}

export function DeliveryOptions(props: { state: ComposerState; set: (patch: Partial<ComposerState>) => void; timeZone: string; error: FieldError }) {
  const t = useT();
  const { state, set } = props;
  return (
    <BlockStack gap="300">
      <Checkbox label={t("broadcasts.form.quietHours")} checked={state.quietHours} onChange={(quietHours) => set({ quietHours })} helpText={t("broadcasts.form.quietHoursHelp", { start: state.quietStart, end: state.quietEnd, timeZone: props.timeZone })} />
      {state.quietHours && (
        <InlineStack gap="300">
          <TextField label={t("broadcasts.form.quietStart")} type="time" value={state.quietStart} onChange={(quietStart) => set({ quietStart })} autoComplete="off" error={props.error("quietStart")} />
          <TextField label={t("broadcasts.form.quietEnd")} type="time" value={state.quietEnd} onChange={(quietEnd) => set({ quietEnd })} autoComplete="off" error={props.error("quietEnd")} />
        </InlineStack>
      )}
      <ChoiceList
        title={t("broadcasts.form.overQuota")}
        choices={[
          { label: t("broadcasts.form.overQuotaRefuse"), value: "refuse" },
          { label: t("broadcasts.form.overQuotaFit"), value: "fit" },
        ]}
        selected={[state.overQuota]}
        onChange={([overQuota]) => set({ overQuota: overQuota as "refuse" | "fit" })}
      />
    </BlockStack>
  );
}

export type Summary = { recipients: number; cost: number; personalised: boolean; fits: boolean; willSend: number; quota: { remaining: number | null; type: string } };

export function QuotaCard({ summary, overQuota }: { summary: Summary; overQuota: "refuse" | "fit" }) {
  const t = useT();
  const n = (value: number) => value.toLocaleString();
  const remaining = summary.quota.remaining;
  const rows: [string, string][] = [
    [t("broadcasts.quota.recipients"), n(summary.recipients)],
    [t("broadcasts.quota.cost"), n(summary.fits ? summary.cost : summary.willSend)],
    [t("broadcasts.quota.remaining"), remaining === null ? t("broadcasts.quota.unlimited") : n(remaining)],
  ];
  if (remaining !== null) rows.push([t("broadcasts.quota.after"), n(Math.max(0, remaining - (summary.fits ? summary.cost : summary.willSend)))]);
  return (
    <SectionCard title={t("broadcasts.quota.heading")}>
      {rows.map(([label, value]) => (
        <InlineStack key={label} align="space-between">
          <Text as="span" tone="subdued">
            {label}
          </Text>
          <Text as="span" fontWeight="semibold" numeric>
            {value}
          </Text>
        </InlineStack>
      ))}
      <Text as="p" variant="bodySm" tone="subdued">
        {summary.personalised ? t("broadcasts.quota.personalised") : t("broadcasts.quota.multicast", { batches: Math.ceil(summary.recipients / 500) })}
      </Text>
      {!summary.fits && (
        <Banner tone={overQuota === "fit" && summary.willSend > 0 ? "warning" : "critical"}>
          {overQuota === "fit" && summary.willSend > 0
            ? t("broadcasts.quota.fit", { willSend: n(summary.willSend), recipients: n(summary.recipients) })
            : t("broadcasts.quota.refused", { recipients: n(summary.recipients), remaining: n(remaining ?? 0) })}
        </Banner>
      )}
    </SectionCard>
  );
}

export function TestersCard(props: { testers: { id: string; name: string | null; canReceive: boolean }[]; disabled: boolean; busy: boolean; onSend: () => void; notice?: string; error?: string }) {
  const t = useT();
  return (
    <SectionCard title={t("broadcasts.test.heading")}>
      <Text as="p" tone="subdued">
        {t("broadcasts.test.body")}
      </Text>
      {props.error && <Banner tone="critical">{props.error}</Banner>}
      {props.notice && <Banner tone="success">{props.notice}</Banner>}
      {props.testers.length === 0 ? (
        <Text as="p">{t("broadcasts.test.none")}</Text>
      ) : (
        <InlineStack gap="200">
          {props.testers.map((tester) => (
            <Tag key={tester.id} url={`/app/friends/${tester.id}`}>
              {tester.name ?? "—"}
            </Tag>
          ))}
        </InlineStack>
      )}
      <Box>
        <Button onClick={props.onSend} disabled={props.disabled || props.testers.length === 0} loading={props.busy}>
          {t("broadcasts.test.send")}
        </Button>
      </Box>
    </SectionCard>
  );
}

export { Divider };

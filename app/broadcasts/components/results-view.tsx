// The results of one broadcast: progress while it sends, then the counts, the clicks per link and LINE's figures.
import type { SerializeFrom } from "@remix-run/node";
import { Banner, BlockStack, Card, DataTable, InlineGrid, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { LineErrorText } from "../../components/line-error-text";
import { useT } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import type { resultsPage } from "../pages.server";
import { SectionCard } from "../../components/section-card";

type Data = SerializeFrom<Awaited<ReturnType<typeof resultsPage>>>;

function Figure({ label, value, tone }: { label: string; value: string; tone?: "critical" | "subdued" }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg" tone={tone}>
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

export function ProgressCard({ data }: { data: Data }) {
  const t = useT();
  const { batches } = data.progress;
  const percent = batches.total ? Math.round((batches.done / batches.total) * 100) : data.broadcast.status === "sent" ? 100 : 0;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            {t("broadcasts.results.batches")}
          </Text>
          <Text as="span" tone="subdued" numeric>
            {t("broadcasts.results.progress", { done: batches.done.toLocaleString(), total: batches.total.toLocaleString() })}
          </Text>
        </InlineStack>
        <div role="progressbar" aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} data-progress={percent}>
          <ProgressBar progress={percent} tone={batches.failed > 0 ? "critical" : data.running ? "highlight" : "success"} animated={data.running} />
        </div>
      </BlockStack>
    </Card>
  );
}

export function CountsGrid({ data }: { data: Data }) {
  const t = useT();
  const r = data.progress.recipients;
  const n = (value: number) => value.toLocaleString();
  return (
    <InlineGrid columns={{ xs: 2, md: 3 }} gap="300">
      <Figure label={t("broadcasts.results.recipients")} value={n(data.broadcast.recipients || r.planned)} />
      <Figure label={t("broadcasts.results.accepted")} value={n(r.accepted)} />
      <Figure label={t("broadcasts.results.failed")} value={n(r.failed)} tone={r.failed ? "critical" : undefined} />
      <Figure label={t("broadcasts.results.excluded")} value={n(r.excluded)} />
      {r.cancelled > 0 && <Figure label={t("broadcasts.results.cancelled")} value={n(r.cancelled)} />}
      {r.unknown > 0 && <Figure label={t("broadcasts.results.unknown")} value={n(r.unknown)} />}
    </InlineGrid>
  );
}

export function FailuresCard({ data }: { data: Data }) {
  const t = useT();
  if (!data.progress.failures.length) return null;
  return (
    <Banner tone="critical" title={t("broadcasts.results.failures")}>
      <BlockStack gap="100">
        {data.progress.failures.map((f) => (
          <LineErrorText
            key={`${f.status}-${f.reason}`}
            error={{ status: f.status, message: f.reason }}
            sentence={(reason) => t("broadcasts.results.failureRow", { reason, batches: f.batches, recipients: f.recipients })}
          />
        ))}
      </BlockStack>
    </Banner>
  );
}

export function ClicksCard({ data }: { data: Data }) {
  const t = useT();
  return (
    <SectionCard title={t("broadcasts.results.clicks")}>
      {data.clicks.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("broadcasts.results.noLinks")}
        </Text>
      ) : (
        <DataTable
          columnContentTypes={["text", "numeric"]}
          headings={[t("broadcasts.results.link"), t("broadcasts.results.clickCount")]}
          rows={data.clicks.map((c) => [<span key={c.code} style={{ wordBreak: "break-all" }}>{c.targetUrl}</span>, c.clicks.toLocaleString()])}
        />
      )}
    </SectionCard>
  );
}

/** LINE's own figures; a figure LINE does not give is "not available", never zero. */
export function InsightCard({ data }: { data: Data }) {
  const t = useT();
  if (!data.insight) return null;
  const value = (n: number | null) => (n === null ? t("broadcasts.results.notAvailable") : n.toLocaleString());
  return (
    <SectionCard title={t("broadcasts.results.line")}>
      <InlineGrid columns={2} gap="300">
        <Figure label={t("broadcasts.results.opened")} value={value(data.insight.opened)} tone={data.insight.opened === null ? "subdued" : undefined} />
        <Figure label={t("broadcasts.results.clicked")} value={value(data.insight.clicked)} tone={data.insight.clicked === null ? "subdued" : undefined} />
      </InlineGrid>
      {!data.insight.available && (
        <Text as="p" variant="bodySm" tone="subdued">
          {t("broadcasts.results.notAvailableHelp")}
        </Text>
      )}
    </SectionCard>
  );
}

export function ReasonBanner({ data }: { data: Data }) {
  const t = useT();
  const b = data.broadcast;
  return (
    <>
      {b.reason && (
        <Banner tone="critical">
          {t(b.reason as MessageKey)} {b.detail ?? ""}
        </Banner>
      )}
      {b.audienceSize !== null && (
        <Banner tone="warning">{t("broadcasts.results.truncated", { recipients: b.recipients.toLocaleString(), audience: b.audienceSize.toLocaleString() })}</Banner>
      )}
    </>
  );
}

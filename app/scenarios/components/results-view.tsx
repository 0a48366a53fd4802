// Per-step results on the timeline: sent, waiting for quota, queued, skipped and failed (with their reasons),
// clicks on the step's tracked links and the orders and revenue attributed to the step.
import type { SerializeFrom } from "@remix-run/node";
import { BlockStack, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useLocale, useT } from "../../i18n/i18n";
import type { resultsPage } from "../pages.server";
import { useConditionText, useDelayText, useReason } from "./labels";
import { Timeline, TimelineItem } from "./timeline";

type Data = SerializeFrom<Awaited<ReturnType<typeof resultsPage>>>;
type Step = Data["steps"][number];

function Figure({ label, value, tone }: { label: string; value: string; tone?: "critical" | "caution" | "success" }) {
  return (
    <BlockStack gap="050">
      <Text as="p" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="p" variant="headingMd" tone={tone} numeric>
        {value}
      </Text>
    </BlockStack>
  );
}

function useMoney() {
  const locale = useLocale();
  return (amount: string, currency: string) => {
    try {
      return new Intl.NumberFormat(locale === "ja" ? "ja-JP" : "en-US", { style: "currency", currency }).format(Number(amount));
    } catch {
      return `${amount} ${currency}`;
    }
  };
}

function StepResults({ step, index, data }: { step: Step; index: number; data: Data }) {
  const t = useT();
  const reason = useReason();
  const delayText = useDelayText();
  const conditionText = useConditionText();
  const money = useMoney();
  const o = step.outcome;
  const n = (value: number) => value.toLocaleString();
  const firstText = step.messages.find((m) => m.type === "text");
  const condition = conditionText(step.condition, step.onConditionFail, data.tags);
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm">
            {step.deleted ? t("scenarioPages.results.deletedStep") : t("scenarioPages.step.title", { n: index + 1 })} · {delayText(step.delay, index === 0)}
          </Text>
          {firstText && firstText.type === "text" && (
            <Text as="p" tone="subdued" truncate>
              {firstText.text}
            </Text>
          )}
          {condition && (
            <Text as="p" variant="bodySm" tone="subdued">
              {condition}
            </Text>
          )}
        </BlockStack>
        <InlineGrid columns={{ xs: 3, md: 6 }} gap="300">
          <Figure label={t("scenarioPages.figures.sent")} value={n(o.sent)} tone={o.sent ? "success" : undefined} />
          <Figure label={t("scenarioPages.figures.waiting")} value={n(o.waiting)} tone={o.waiting ? "caution" : undefined} />
          <Figure label={t("scenarioPages.figures.upcoming")} value={n(o.upcoming + o.sending)} />
          <Figure label={t("scenarioPages.figures.skipped")} value={n(o.skipped.reduce((sum, r) => sum + r.count, 0))} />
          <Figure label={t("scenarioPages.figures.failed")} value={n(o.failed)} tone={o.failed ? "critical" : undefined} />
          <Figure label={t("scenarioPages.figures.clicks")} value={n(o.clicks)} />
        </InlineGrid>
        {o.skipped.length > 0 && (
          <BlockStack gap="100">
            {o.skipped.map((r) => (
              <InlineStack key={r.reason} align="space-between" gap="200" wrap={false}>
                <Text as="span" tone="subdued">
                  {t("scenarioPages.results.skippedBecause", { reason: reason(r.reason) })}
                </Text>
                <Text as="span" numeric>
                  {n(r.count)}
                </Text>
              </InlineStack>
            ))}
          </BlockStack>
        )}
        <InlineStack gap="400" wrap>
          <Text as="span" variant="bodySm" tone="subdued">
            {t("scenarioPages.results.clickers", { count: n(o.clickers) })}
          </Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {o.orders.length === 0
              ? t("scenarioPages.results.noOrders")
              : o.orders.map((row) => t("scenarioPages.results.orders", { orders: n(row.orders), revenue: money(row.revenue, row.currency) })).join(" · ")}
          </Text>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export function ResultsTimeline({ data }: { data: Data }) {
  const t = useT();
  let number = 0;
  return (
    <Timeline label={t("scenarioPages.results.heading")}>
      {data.steps.map((step, index) => {
        if (!step.deleted) number += 1;
        return (
          <TimelineItem key={step.id} marker={step.deleted ? "×" : String(number)} tone={step.deleted ? "deleted" : "step"} last={index === data.steps.length - 1} testId={`results-step-${index}`}>
            <StepResults step={step} index={number - 1} data={data} />
          </TimelineItem>
        );
      })}
    </Timeline>
  );
}

/** Totals over every step, above the timeline. */
export function ResultsTotals({ data }: { data: Data }) {
  const t = useT();
  const money = useMoney();
  const sum = (pick: (o: Step["outcome"]) => number) => data.steps.reduce((total, step) => total + pick(step.outcome), 0).toLocaleString();
  const revenue = new Map<string, { orders: number; revenue: number }>();
  for (const step of data.steps) {
    for (const row of step.outcome.orders) {
      const entry = revenue.get(row.currency) ?? { orders: 0, revenue: 0 };
      revenue.set(row.currency, { orders: entry.orders + row.orders, revenue: entry.revenue + Number(row.revenue) });
    }
  }
  return (
    <Card>
      <InlineGrid columns={{ xs: 2, md: 6 }} gap="300">
        <Figure label={t("scenarioPages.column.active")} value={data.runs.active.toLocaleString()} />
        <Figure label={t("scenarioPages.column.finished")} value={data.runs.finished.toLocaleString()} />
        <Figure label={t("scenarioPages.column.ended")} value={data.runs.ended.toLocaleString()} />
        <Figure label={t("scenarioPages.figures.sent")} value={sum((o) => o.sent)} />
        <Figure label={t("scenarioPages.figures.clicks")} value={sum((o) => o.clicks)} />
        <Figure
          label={t("scenarioPages.figures.revenue")}
          value={revenue.size === 0 ? "—" : [...revenue.entries()].map(([currency, r]) => money(String(r.revenue), currency)).join(" / ")}
        />
      </InlineGrid>
    </Card>
  );
}

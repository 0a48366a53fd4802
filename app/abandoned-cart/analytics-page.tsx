// The cart analytics page: figures of the period (with the previous period beside each), per-day charts and rows,
// why reminders were not sent, and the latest reminders. Every rate carries its definition (app/abandoned-cart/rates.ts).
import { LineErrorText } from "../components/line-error-text";
import { Badge, Banner, BlockStack, Box, Card, DataTable, EmptyState, InlineGrid, InlineStack, Layout, Page, SkeletonBodyText, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { AccountPicker } from "../components/account-picker";
import { daysOf, type DateRange } from "../components/date-range";
import { DateRangePicker } from "../components/date-range-picker";
import { DownloadButton } from "../components/download-button";
import { SectionCard } from "../components/section-card";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import type { CartStats, DayStats, Revenue } from "./analytics.server";
import { BarChart } from "./analytics-charts";
import { formatPrice } from "./money";
import { changeText, percentText, RATE_DEFINITIONS } from "./rates";

type T = ReturnType<typeof useT>;
export type RecentRow = {
  id: string;
  status: string;
  friendName: string | null;
  total: string;
  currency: string;
  dueAt: string;
  sentAt: string | null;
  clicks: number;
  skipReason: string | null;
  error: string | null;
  recovered: boolean;
  recoveredRevenue: string | null;
  recoveredCurrency: string | null;
};
export type AnalyticsView = {
  accounts: { id: string; displayName: string }[];
  selectedId: string | null;
  exhausted: string[];
  range: DateRange;
  today: string;
  timeZone: string;
  currency: string | null;
  days: DayStats[];
  totals: CartStats;
  previous: CartStats | null;
  recent: RecentRow[];
};

const SKIP_REASONS = ["purchased", "disabled", "not-following", "operator-blocked", "account-disconnected", "shop-uninstalled", "quota-exhausted", "already-reminded"] as const;

const STATUS_TONES: Record<string, "info" | "attention" | "success" | "warning" | "critical" | undefined> = {
  scheduled: "info",
  sending: "attention",
  sent: "success",
  skipped: "warning",
  failed: "critical",
  cancelled: undefined,
  unknown: "warning",
};

export const revenueText = (revenue: Revenue[], locale: string) =>
  revenue.length ? revenue.map((r) => formatPrice(r.amount, r.currency, locale)).join(" / ") : "—";

function skipReasonText(t: T, reason: string | null) {
  if (!reason) return "";
  return (SKIP_REASONS as readonly string[]).includes(reason) ? t(`cart.skip.${reason}` as MessageKey) : reason;
}

const dayLabel = (day: string, locale: string) =>
  new Intl.DateTimeFormat(locale, { month: "numeric", day: "numeric", weekday: "short", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));

const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="30" y="62" width="12" height="24" rx="2" fill="#06c755"/><rect x="48" y="48" width="12" height="38" rx="2" fill="#06c755"/><rect x="66" y="38" width="12" height="48" rx="2" fill="#06c755"/><rect x="84" y="54" width="8" height="32" rx="2" fill="#9be3b8"/></svg>',
)}`;

export function CartAnalyticsPage(props: { data: AnalyticsView; loading: boolean; csvUrl: string; settingsUrl: string }) {
  const t = useT();
  const { data } = props;
  const locale = t("cart.locale");
  const empty = data.recent.length === 0 && data.totals.scheduled === 0 && data.totals.sent === 0 && !data.previous?.sent;
  return (
    <Page title={t("cart.analytics.title")} secondaryActions={[{ content: t("cart.analytics.settingsLink"), url: props.settingsUrl }]}>
      <Layout>
        {data.exhausted.length > 0 && (
          <Layout.Section>
            <Banner tone="warning" title={t("cart.quota.title")}>
              {t("cart.analytics.quota", { accounts: data.exhausted.join(", ") })}
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <InlineStack gap="400" align="space-between" blockAlign="start" wrap>
              <DateRangePicker range={data.range} today={data.today} timeZone={data.timeZone} />
              {!empty && <DownloadButton url={props.csvUrl} fileName={`cart-analytics-${data.range.from}-${data.range.to}.csv`} label={t("dateRange.download")} />}
            </InlineStack>
          </Card>
        </Layout.Section>
        {data.accounts.length > 1 && (
          <Layout.Section>
            <AccountPicker label={t("cart.account")} accounts={data.accounts} selectedId={data.selectedId} allLabel={t("cart.analytics.allAccounts")} />
          </Layout.Section>
        )}
        {props.loading ? (
          <Layout.Section>
            <Card>
              <SkeletonBodyText lines={8} />
            </Card>
          </Layout.Section>
        ) : empty ? (
          <Layout.Section>
            <Card>
              <EmptyState heading={t("cart.analytics.empty.heading")} action={{ content: t("cart.analytics.settingsLink"), url: props.settingsUrl }} image={EMPTY_IMAGE}>
                <p>{t("cart.analytics.empty.body")}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <Figures totals={data.totals} previous={data.previous} locale={locale} />
            </Layout.Section>
            <Layout.Section>
              <Charts data={data} locale={locale} />
            </Layout.Section>
            <Layout.Section>
              <DayTable days={data.days} locale={locale} />
            </Layout.Section>
            <Layout.Section>
              <SkipReasons totals={data.totals} />
            </Layout.Section>
            <Layout.Section>
              <RecentTable recent={data.recent} timeZone={data.timeZone} locale={locale} />
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}

function Metric(props: { label: string; value: string; previous?: string | null; change?: string | null; definition: string }) {
  const t = useT();
  return (
    <div data-testid="metric" style={{ height: "100%" }}>
      <Card>
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm" tone="subdued">
            {props.label}
          </Text>
          <InlineStack gap="200" blockAlign="baseline" wrap>
            <Text as="p" variant="headingLg" breakWord>
              {props.value}
            </Text>
            {props.change && (
              <Text as="span" variant="bodySm" tone="subdued" numeric>
                {props.change}
              </Text>
            )}
          </InlineStack>
          {props.previous != null && (
            <Text as="p" variant="bodySm" tone="subdued" breakWord>
              <span data-testid="metric-previous">{t("cart.analytics.previousShort", { value: props.previous })}</span>
            </Text>
          )}
          <Text as="p" variant="bodySm" tone="subdued">
            {props.definition}
          </Text>
        </BlockStack>
      </Card>
    </div>
  );
}

function Figures(props: { totals: CartStats; previous: CartStats | null; locale: string }) {
  const t = useT();
  const { totals, previous, locale } = props;
  const n = (value: number) => value.toLocaleString(locale);
  const count = (key: "sent" | "clicked" | "recovered") => ({
    value: n(totals[key]),
    previous: previous ? n(previous[key]) : null,
    change: previous ? changeText(totals[key], previous[key], locale, "count") : null,
  });
  const rate = (key: "clickRate" | "recoveryRate") => ({
    value: percentText(totals[key], locale),
    previous: previous ? percentText(previous[key], locale) : null,
    change: previous ? changeText(totals[key], previous[key], locale, "rate") : null,
  });
  return (
    <InlineGrid columns={{ xs: 1, sm: 2, md: 3, lg: 6 }} gap="300">
      <Metric label={t("cart.analytics.sent")} {...count("sent")} definition={`${t("cart.analytics.def.sent")} ${t("cart.analytics.sentNote", { skipped: totals.skipped, failed: totals.failed })}`} />
      <Metric label={t("cart.analytics.clicked")} {...count("clicked")} definition={t("cart.analytics.def.clicked")} />
      <Metric label={t("cart.analytics.clickRateLabel")} {...rate("clickRate")} definition={t(RATE_DEFINITIONS.clickRate)} />
      <Metric label={t("cart.analytics.recovered")} {...count("recovered")} definition={t("cart.analytics.def.recovered")} />
      <Metric label={t("cart.analytics.rate")} {...rate("recoveryRate")} definition={t(RATE_DEFINITIONS.recoveryRate)} />
      <Metric
        label={t("cart.analytics.revenue")}
        value={revenueText(totals.revenue, locale)}
        previous={previous ? revenueText(previous.revenue, locale) : null}
        definition={t("cart.analytics.def.revenue")}
      />
    </InlineGrid>
  );
}

function Charts(props: { data: AnalyticsView; locale: string }) {
  const t = useT();
  const { data, locale } = props;
  const days = daysOf(data.range);
  const byDay = new Map(data.days.map((d) => [d.day, d]));
  const series = (pick: (d: DayStats) => number) => days.map((day) => (byDay.has(day) ? pick(byDay.get(day)!) : 0));
  const currency = data.currency ?? data.totals.revenue[0]?.currency ?? null;
  const others = data.totals.revenue.filter((r) => r.currency !== currency);
  const amount = (d: DayStats) => Number(d.revenue.find((r) => r.currency === currency)?.amount ?? 0);
  return (
    <InlineGrid columns={{ xs: 1, lg: 2 }} gap="400">
      <SectionCard title={t("cart.analytics.sentChart")}>
        <BarChart
          testId="cart-chart"
          label={t("cart.analytics.sentChart")}
          days={days}
          locale={locale}
          unit={{ word: t("cart.analytics.unitReminders") }}
          series={[
            { label: t("cart.analytics.sent"), color: "rgba(6,199,85,.45)", values: series((d) => d.sent) },
            { label: t("cart.analytics.recovered"), color: "#00803A", values: series((d) => d.recovered), inner: true },
          ]}
        />
      </SectionCard>
      {currency && (
        <SectionCard title={t("cart.analytics.revenueChart", { currency })}>
          <BlockStack gap="200">
            <BarChart
              testId="revenue-chart"
              label={t("cart.analytics.revenueChart", { currency })}
              days={days}
              locale={locale}
              unit={{ currency }}
              series={[{ label: t("cart.analytics.revenue"), color: "#00803A", values: series(amount) }]}
            />
            {others.length > 0 && (
              <Text as="p" variant="bodySm" tone="subdued">
                {t("cart.analytics.revenueOther", { amounts: revenueText(others, locale) })}
              </Text>
            )}
          </BlockStack>
        </SectionCard>
      )}
    </InlineGrid>
  );
}

function TableCard(props: { title: string; help?: string; children: ReactNode }) {
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {props.title}
          </Text>
          {props.help && (
            <Text as="p" tone="subdued">
              {props.help}
            </Text>
          )}
        </BlockStack>
      </Box>
      {/* A wide table scrolls inside its card instead of pushing past it. */}
      <div data-scrolls-sideways style={{ overflowX: "auto" }}>
        {props.children}
      </div>
    </Card>
  );
}

function DayTable(props: { days: DayStats[]; locale: string }) {
  const t = useT();
  const active = props.days.filter((d) => d.scheduled || d.sent || d.skipped || d.failed || d.clicked || d.recovered).reverse();
  const n = (value: number) => value.toLocaleString(props.locale);
  return (
    <TableCard title={t("cart.analytics.perDay")} help={t("cart.analytics.perDayDefinition")}>
      {active.length === 0 ? (
        <Box padding="400">
          <Text as="p" tone="subdued">
            {t("cart.analytics.noDays")}
          </Text>
        </Box>
      ) : (
        <DataTable
          columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
          headings={[
            t("cart.analytics.col.day"),
            t("cart.analytics.col.linked"),
            t("cart.analytics.col.scheduled"),
            t("cart.analytics.sent"),
            t("cart.analytics.col.skipped"),
            t("cart.analytics.col.failed"),
            t("cart.analytics.clicked"),
            t("cart.analytics.col.clickRate"),
            t("cart.analytics.recovered"),
            t("cart.analytics.rate"),
            t("cart.analytics.revenue"),
          ]}
          rows={active.map((d) => [
            dayLabel(d.day, props.locale),
            n(d.linked),
            n(d.scheduled),
            n(d.sent),
            n(d.skipped),
            n(d.failed),
            n(d.clicked),
            percentText(d.clickRate, props.locale),
            n(d.recovered),
            percentText(d.recoveryRate, props.locale),
            revenueText(d.revenue, props.locale),
          ])}
        />
      )}
    </TableCard>
  );
}

function SkipReasons({ totals }: { totals: CartStats }) {
  const t = useT();
  const reasons = Object.entries(totals.skippedByReason).sort((a, b) => b[1] - a[1]);
  return (
    <SectionCard title={t("cart.analytics.skipped")}>
      {reasons.length === 0 ? (
        <Text as="p" tone="subdued">
          {t("cart.analytics.noSkips")}
        </Text>
      ) : (
        <BlockStack gap="200">
          {reasons.map(([reason, count]) => (
            <InlineStack key={reason} gap="300" wrap={false} blockAlign="start">
              <Box minWidth="48px">
                <Text as="span" variant="headingSm" numeric>
                  {count}
                </Text>
              </Box>
              <Text as="p">{skipReasonText(t, reason)}</Text>
            </InlineStack>
          ))}
        </BlockStack>
      )}
    </SectionCard>
  );
}

function RecentTable(props: { recent: RecentRow[]; timeZone: string; locale: string }) {
  const t = useT();
  const format = new Intl.DateTimeFormat(props.locale, { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: props.timeZone });
  const time = (value: string | null) => (value ? format.format(new Date(value)) : "—");
  return (
    <TableCard title={t("cart.analytics.recent")}>
      <DataTable
        columnContentTypes={["text", "text", "numeric", "text", "text", "numeric", "text"]}
        headings={[
          t("cart.analytics.col.friend"),
          t("cart.analytics.col.status"),
          t("cart.analytics.col.total"),
          t("cart.analytics.col.due"),
          t("cart.analytics.col.sentAt"),
          t("cart.analytics.col.clicks"),
          t("cart.analytics.col.detail"),
        ]}
        rows={props.recent.map((r) => [
          <span key="name" translate="no">
            {r.friendName ?? t("cart.test.unnamed")}
          </span>,
          <InlineStack key="status" gap="100" wrap={false}>
            <Badge tone={STATUS_TONES[r.status]}>{t(`cart.reminderStatus.${r.status}` as MessageKey)}</Badge>
            {r.recovered && <Badge tone="success">{t("cart.analytics.recoveredBadge")}</Badge>}
          </InlineStack>,
          formatPrice(r.total, r.currency, props.locale),
          time(r.dueAt),
          time(r.sentAt),
          r.clicks.toLocaleString(props.locale),
          r.recovered && r.recoveredRevenue ? (
            t("cart.analytics.recoveredDetail", { amount: formatPrice(r.recoveredRevenue, r.recoveredCurrency ?? r.currency, props.locale) })
          ) : r.error ? (
            <LineErrorText key="error" error={r.error} />
          ) : (
            skipReasonText(t, r.skipReason)
          ),
        ])}
      />
    </TableCard>
  );
}

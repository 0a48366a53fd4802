import type { LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Card,
  DataTable,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  SkeletonBodyText,
  Text,
} from "@shopify/polaris";
import { cartAnalytics, quotaState } from "../abandoned-cart/analytics.server";
import { formatPrice } from "../abandoned-cart/money";
import { AccountPicker } from "../components/account-picker";
import { SectionCard } from "../components/section-card";
import { LineErrorText } from "../components/line-error-text";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { listAccounts } from "../line/accounts.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const accounts = (await listAccounts(session.shop)).map((a) => ({ id: a.id, displayName: a.displayName, connected: a.status === "connected" }));
  const wanted = new URL(request.url).searchParams.get("account");
  const selectedId = accounts.some((a) => a.id === wanted) ? wanted : null;
  const [analytics, quotas] = await Promise.all([
    cartAnalytics(session.shop, { lineAccountId: selectedId }),
    Promise.all(accounts.filter((a) => a.connected).map(async (a) => ({ ...a, quota: await quotaState(a.id) }))),
  ]);
  return {
    accounts,
    selectedId,
    analytics,
    exhausted: quotas.filter((a) => a.quota.exhausted && (!selectedId || a.id === selectedId)).map((a) => a.displayName),
  };
};

type Data = SerializeFrom<typeof loader>;
type Stats = Data["analytics"]["totals"];
type T = ReturnType<typeof useT>;

const SKIP_REASONS = [
  "purchased",
  "disabled",
  "not-following",
  "operator-blocked",
  "account-disconnected",
  "shop-uninstalled",
  "quota-exhausted",
  "already-reminded",
] as const;

const STATUS_TONES: Record<string, "info" | "attention" | "success" | "warning" | "critical" | undefined> = {
  scheduled: "info",
  sending: "attention",
  sent: "success",
  skipped: "warning",
  failed: "critical",
  cancelled: undefined,
  unknown: "warning",
};

const percent = (rate: number | null, locale: string) =>
  rate === null ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(rate);

const revenueText = (revenue: Stats["revenue"], locale: string) =>
  revenue.length ? revenue.map((r) => formatPrice(r.amount, r.currency, locale)).join(" / ") : "—";

function skipReasonText(t: T, reason: string | null) {
  if (!reason) return "";
  return (SKIP_REASONS as readonly string[]).includes(reason) ? t(`cart.skip.${reason}` as MessageKey) : reason;
}

export default function CartAnalytics() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const locale = t("cart.locale");
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/abandoned-cart/analytics";
  const { analytics } = data;
  const { totals } = analytics;
  const empty = analytics.recent.length === 0 && totals.scheduled === 0 && totals.sent === 0;
  const settingsUrl = `/app/abandoned-cart${data.selectedId ? `?account=${data.selectedId}` : ""}`;

  return (
    <Page title={t("cart.analytics.title")} secondaryActions={[{ content: t("cart.analytics.settingsLink"), url: settingsUrl }]}>
      <Layout>
        {data.exhausted.length > 0 && (
          <Layout.Section>
            <Banner tone="warning" title={t("cart.quota.title")}>
              {t("cart.analytics.quota", { accounts: data.exhausted.join(", ") })}
            </Banner>
          </Layout.Section>
        )}
        {data.accounts.length > 1 && (
          <Layout.Section>
            <AccountPicker
              label={t("cart.account")}
              accounts={data.accounts}
              selectedId={data.selectedId}
              allLabel={t("cart.analytics.allAccounts")}
            />
          </Layout.Section>
        )}
        <Layout.Section>
          <Text as="p" tone="subdued">
            {t("cart.analytics.period", { from: dayLabel(analytics.from, locale), to: dayLabel(analytics.to, locale), timeZone: analytics.timeZone })}
          </Text>
        </Layout.Section>
        {loading ? (
          <Layout.Section>
            <Card>
              <SkeletonBodyText lines={8} />
            </Card>
          </Layout.Section>
        ) : empty ? (
          <Layout.Section>
            <Card>
              <EmptyState heading={t("cart.analytics.empty.heading")} action={{ content: t("cart.analytics.settingsLink"), url: settingsUrl }} image={EMPTY_IMAGE}>
                <p>{t("cart.analytics.empty.body")}</p>
              </EmptyState>
            </Card>
          </Layout.Section>
        ) : (
          <>
            <Layout.Section>
              <InlineGrid columns={{ xs: 2, md: 5 }} gap="300">
                <Metric
                  label={t("cart.analytics.sent")}
                  value={totals.sent.toLocaleString(locale)}
                  note={t("cart.analytics.sentNote", { skipped: totals.skipped, failed: totals.failed })}
                />
                <Metric
                  label={t("cart.analytics.clicked")}
                  value={totals.clicked.toLocaleString(locale)}
                  note={t("cart.analytics.clickRate", { rate: percent(totals.sent ? totals.clicked / totals.sent : null, locale) })}
                />
                <Metric label={t("cart.analytics.recovered")} value={totals.recovered.toLocaleString(locale)} note={t("cart.analytics.recoveredNote")} />
                <Metric label={t("cart.analytics.revenue")} value={revenueText(totals.revenue, locale)} note={t("cart.analytics.revenueNote")} />
                <Metric label={t("cart.analytics.rate")} value={percent(totals.recoveryRate, locale)} note={t("cart.analytics.rateHelp")} />
              </InlineGrid>
            </Layout.Section>
            <Layout.Section>
              <SectionCard title={t("cart.analytics.chart")}>
                <DayChart days={analytics.days} locale={locale} sentLabel={t("cart.analytics.sent")} recoveredLabel={t("cart.analytics.recovered")} />
              </SectionCard>
            </Layout.Section>
            <Layout.Section>
              <DayTable days={analytics.days} locale={locale} />
            </Layout.Section>
            <Layout.Section>
              <SkipReasons totals={totals} />
            </Layout.Section>
            <Layout.Section>
              <RecentTable recent={analytics.recent} timeZone={analytics.timeZone} locale={locale} />
            </Layout.Section>
          </>
        )}
      </Layout>
    </Page>
  );
}

const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="30" y="62" width="12" height="24" rx="2" fill="#06c755"/><rect x="48" y="48" width="12" height="38" rx="2" fill="#06c755"/><rect x="66" y="38" width="12" height="48" rx="2" fill="#06c755"/><rect x="84" y="54" width="8" height="32" rx="2" fill="#9be3b8"/></svg>',
)}`;

function dayLabel(day: string, locale: string, withWeekday = false) {
  return new Intl.DateTimeFormat(locale, { month: "numeric", day: "numeric", ...(withWeekday ? { weekday: "short" } : {}), timeZone: "UTC" }).format(
    new Date(`${day}T00:00:00Z`),
  );
}

function Metric(props: { label: string; value: string; note?: string }) {
  return (
    <div data-testid="metric">
      <Card>
        <BlockStack gap="100">
          <Text as="h3" variant="headingSm" tone="subdued">
            {props.label}
          </Text>
          <Text as="p" variant="headingLg" breakWord>
            {props.value}
          </Text>
          {props.note && (
            <Text as="p" variant="bodySm" tone="subdued">
              {props.note}
            </Text>
          )}
        </BlockStack>
      </Card>
    </div>
  );
}

/** Reminders sent per day (bars) with the recovered orders of that day in front of them. */
function DayChart(props: { days: Data["analytics"]["days"]; locale: string; sentLabel: string; recoveredLabel: string }) {
  const width = 720;
  const height = 180;
  const bottom = 22;
  const top = 14;
  const max = Math.max(1, ...props.days.map((d) => Math.max(d.sent, d.recovered)));
  const slot = width / props.days.length;
  const bar = Math.max(4, slot * 0.6);
  const y = (value: number) => height - bottom - (value / max) * (height - bottom - top);
  return (
    <BlockStack gap="200">
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={props.sentLabel} data-testid="cart-chart">
        <line x1={0} x2={width} y1={height - bottom} y2={height - bottom} stroke="#d4d4d4" />
        <text x={0} y={10} fontSize={10} fill="#616161">
          {max.toLocaleString(props.locale)}
        </text>
        {props.days.map((day, index) => {
          const x = index * slot + (slot - bar) / 2;
          return (
            <g key={day.day}>
              <title>{`${dayLabel(day.day, props.locale)}: ${props.sentLabel} ${day.sent} / ${props.recoveredLabel} ${day.recovered}`}</title>
              {day.sent > 0 && <rect x={x} y={y(day.sent)} width={bar} height={height - bottom - y(day.sent)} rx={2} fill="#06C755" opacity={0.45} />}
              {day.recovered > 0 && (
                <rect x={x + bar / 4} y={y(day.recovered)} width={bar / 2} height={height - bottom - y(day.recovered)} rx={2} fill="#00803A" />
              )}
              {(index % 5 === 0 || index === props.days.length - 1) && (
                <text x={index * slot + slot / 2} y={height - 6} fontSize={10} fill="#616161" textAnchor="middle">
                  {dayLabel(day.day, props.locale)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <InlineStack gap="400">
        <Legend color="rgba(6,199,85,.45)" label={props.sentLabel} />
        <Legend color="#00803A" label={props.recoveredLabel} />
      </InlineStack>
    </BlockStack>
  );
}

function Legend(props: { color: string; label: string }) {
  return (
    <InlineStack gap="100" blockAlign="center">
      <span aria-hidden style={{ width: 12, height: 12, borderRadius: 2, background: props.color, display: "inline-block" }} />
      <Text as="span" variant="bodySm">
        {props.label}
      </Text>
    </InlineStack>
  );
}

function DayTable(props: { days: Data["analytics"]["days"]; locale: string }) {
  const t = useT();
  const active = props.days.filter((d) => d.scheduled || d.sent || d.skipped || d.failed || d.clicked || d.recovered).reverse();
  const n = (value: number) => value.toLocaleString(props.locale);
  return (
    <Card padding="0">
      <Box padding="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {t("cart.analytics.perDay")}
          </Text>
          <Text as="p" tone="subdued">
            {t("cart.analytics.perDayHelp")}
          </Text>
        </BlockStack>
      </Box>
      <DataTable
        columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
        headings={[
          t("cart.analytics.col.day"),
          t("cart.analytics.col.linked"),
          t("cart.analytics.col.scheduled"),
          t("cart.analytics.sent"),
          t("cart.analytics.col.skipped"),
          t("cart.analytics.col.failed"),
          t("cart.analytics.clicked"),
          t("cart.analytics.recovered"),
          t("cart.analytics.revenue"),
          t("cart.analytics.rate"),
        ]}
        rows={active.map((d) => [
          dayLabel(d.day, props.locale, true),
          n(d.linked),
          n(d.scheduled),
          n(d.sent),
          n(d.skipped),
          n(d.failed),
          n(d.clicked),
          n(d.recovered),
          revenueText(d.revenue, props.locale),
          percent(d.recoveryRate, props.locale),
        ])}
      />
    </Card>
  );
}

function SkipReasons({ totals }: { totals: Stats }) {
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

function RecentTable(props: { recent: Data["analytics"]["recent"]; timeZone: string; locale: string }) {
  const t = useT();
  const time = (value: string | null) =>
    value
      ? new Intl.DateTimeFormat(props.locale, { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit", timeZone: props.timeZone }).format(new Date(value))
      : "—";
  return (
    <Card padding="0">
      <Box padding="400">
        <Text as="h2" variant="headingMd">
          {t("cart.analytics.recent")}
        </Text>
      </Box>
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
          r.friendName ?? t("cart.test.unnamed"),
          <InlineStack key="status" gap="100">
            <Badge tone={STATUS_TONES[r.status]}>{t(`cart.reminderStatus.${r.status}` as MessageKey)}</Badge>
            {r.recovered && <Badge tone="success">{t("cart.analytics.recoveredBadge")}</Badge>}
          </InlineStack>,
          formatPrice(r.total, r.currency, props.locale),
          time(r.dueAt),
          time(r.sentAt),
          r.clicks.toLocaleString(props.locale),
          r.recovered && r.recoveredRevenue
            ? t("cart.analytics.recoveredDetail", { amount: formatPrice(r.recoveredRevenue, r.recoveredCurrency ?? r.currency, props.locale) })
            : r.error
              ? <LineErrorText key="error" error={r.error} />
              : skipReasonText(t, r.skipReason),
        ])}
      />
    </Card>
  );
}

// The period's business numbers, each beside the period before, and two daily charts.
import { formatPrice } from "../abandoned-cart/money";
import { intlLocale } from "../i18n/format";
import { useNavigate, useSearchParams } from "@remix-run/react";
import { BlockStack, Box, Button, Card, InlineGrid, InlineStack, Select, Text } from "@shopify/polaris";
import type { SerializeFrom } from "@remix-run/node";
import { useLocale, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { BarChart } from "./bar-chart";
import type { HomeNumbers } from "./numbers.server";
import { MESSAGE_KINDS, PERIODS } from "./period";

const format = (value: number) => value.toLocaleString("ja-JP");

function Change({ current, previous }: { current: number; previous: number }) {
  const difference = current - previous;
  if (difference === 0) return null;
  return (
    <Text as="span" tone={difference > 0 ? "success" : "critical"} variant="bodySm">
      {difference > 0 ? `+${format(difference)}` : `−${format(-difference)}`}
    </Text>
  );
}

function Figure(props: { label: string; current: number; previous?: number; help?: string }) {
  const t = useT();
  return (
    <Box padding="300" background="bg-surface-secondary" borderRadius="200" minWidth="0">
      <BlockStack gap="100">
        <Text as="p" variant="bodySm" tone="subdued">
          {props.label}
        </Text>
        <InlineStack gap="200" blockAlign="baseline">
          <Text as="p" variant="headingLg">
            {format(props.current)}
          </Text>
          {props.previous !== undefined && <Change current={props.current} previous={props.previous} />}
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {props.previous !== undefined ? t("home.numbers.previous", { value: format(props.previous) }) : props.help}
        </Text>
      </BlockStack>
    </Box>
  );
}

export function NumbersCard({ numbers, timeZone }: { numbers: SerializeFrom<HomeNumbers>; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { current, previous } = numbers;
  const choose = (value: string) => {
    const next = new URLSearchParams(params);
    next.set("period", value);
    navigate(`?${next.toString()}`, { preventScrollReset: true });
  };
  const revenueText = (totals: typeof current.revenue) =>
    totals.orders ? totals.revenue.map((money) => formatPrice(money.amount, money.currency, intlLocale(locale))).join(" / ") : t("home.numbers.noRevenue");

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h2" variant="headingMd">
            {t("home.numbers.heading")}
          </Text>
          <Box minWidth="160px">
            <Select
              label={t("home.period.label")}
              labelInline
              options={PERIODS.map((days) => ({ label: t(`home.period.${days}` as MessageKey), value: String(days) }))}
              value={String(numbers.days)}
              onChange={choose}
            />
          </Box>
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("home.numbers.range", { from: numbers.range.from, to: numbers.range.to, prevFrom: numbers.previousRange.from, prevTo: numbers.previousRange.to, timeZone })}
        </Text>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          <Figure label={t("home.numbers.newFriends")} current={current.newFriends} previous={previous.newFriends} />
          <Figure label={t("home.numbers.blocks")} current={current.blocks} previous={previous.blocks} />
          <Figure label={t("home.numbers.messages")} current={current.messagesTotal} previous={previous.messagesTotal} />
          <Figure label={t("home.numbers.linked")} current={numbers.linkedCustomers} help={t("home.numbers.linkedHelp")} />
        </InlineGrid>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {t("home.numbers.messages")}
            </Text>
            {MESSAGE_KINDS.map((kind) => (
              <InlineStack key={kind} align="space-between" gap="200" wrap={false} data-kind={kind}>
                <Text as="span">{t(`home.numbers.kind.${kind}` as MessageKey)}</Text>
                <InlineStack gap="200" wrap={false}>
                  <Text as="span" fontWeight="semibold">
                    {format(current.messages[kind])}
                  </Text>
                  <Text as="span" tone="subdued">
                    ({format(previous.messages[kind])})
                  </Text>
                </InlineStack>
              </InlineStack>
            ))}
          </BlockStack>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              {t("home.numbers.revenue")}
            </Text>
            <Text as="p" variant={current.revenue.orders ? "headingLg" : "bodyMd"}>
              {revenueText(current.revenue)}
            </Text>
            {current.revenue.orders > 0 && (
              <Text as="p" tone="subdued">
                {t("home.numbers.orders", { count: current.revenue.orders })}
              </Text>
            )}
            <Text as="p" variant="bodySm" tone="subdued">
              {t("home.numbers.previous", {
                value: previous.revenue.orders ? `${revenueText(previous.revenue)} · ${t("home.numbers.orders", { count: previous.revenue.orders })}` : revenueText(previous.revenue),
              })}
            </Text>
            <InlineStack>
              <Button url="/app/revenue" variant="plain">
                {t("home.numbers.revenueLink")}
              </Button>
            </InlineStack>
          </BlockStack>
        </InlineGrid>
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <BarChart name="friends" title={t("home.chart.friends")} data={numbers.daily.map((day) => ({ date: day.date, value: day.newFriends }))} />
          <BarChart name="messages" title={t("home.chart.messages")} data={numbers.daily.map((day) => ({ date: day.date, value: day.messages }))} color="#3c8dde" />
        </InlineGrid>
      </BlockStack>
    </Card>
  );
}

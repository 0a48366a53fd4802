// Revenue per message in the admin: the home page's "LINE revenue" card, a broadcast's revenue card, the list of
// attributed orders (each with its message and rule, so a figure can be checked) and the attribution windows.
import type { SerializeFrom } from "@remix-run/node";
import { Link as RemixLink } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, EmptyState, FormLayout, IndexTable, InlineGrid, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { formatPrice } from "../abandoned-cart/money";
import { SectionCard } from "../components/section-card";
import { useToast } from "../components/toast";
import { isMessageKey, useLocale, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import type { AttributedOrder, RevenueTotals } from "./revenue.server";

const isKey = isMessageKey;

function useMoney() {
  const locale = useLocale();
  return (amount: string, currency: string) => formatPrice(amount, currency, locale === "en" ? "en-US" : "ja-JP");
}

function Amounts({ totals }: { totals: RevenueTotals }) {
  const money = useMoney();
  return (
    <BlockStack gap="050">
      {totals.revenue.map((r) => (
        <Text key={r.currency} as="p" variant="headingLg">
          {money(r.amount, r.currency)}
        </Text>
      ))}
    </BlockStack>
  );
}

/** A broadcast's results page: the orders attributed to it and their revenue. */
export function MessageRevenueCard({ totals, kind, sourceId }: { totals: RevenueTotals; kind: string; sourceId: string }) {
  const t = useT();
  return (
    <SectionCard title={t("customers.results.title")} gap="200">
      {totals.orders ? (
        <RevenueFigures totals={totals} ordersLabel={t("customers.results.orders")} revenueLabel={t("customers.results.revenue")} />
      ) : (
        <Text as="p" tone="subdued">
          {t("customers.results.none")}
        </Text>
      )}
      <InlineStack>
        <Button url={`/app/revenue?kind=${encodeURIComponent(kind)}&sourceId=${encodeURIComponent(sourceId)}`} variant="plain">
          {t("customers.results.open")}
        </Button>
      </InlineStack>
    </SectionCard>
  );
}

function when(iso: string, timeZone: string, locale: string) {
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));
}

/** The attributed orders, newest first, with their message, rule and touch. */
export function AttributedOrdersTable(props: { orders: SerializeFrom<AttributedOrder>[]; timeZone: string; nextUrl: string | null; firstUrl: string | null }) {
  const t = useT();
  const locale = useLocale();
  const money = useMoney();
  if (!props.orders.length && !props.firstUrl) {
    return (
      <Card>
        <EmptyState heading={t("customers.revenue.title")} image="">
          <p>{t("customers.revenue.empty")}</p>
        </EmptyState>
      </Card>
    );
  }
  const kindLabel = (kind: string) => (isKey(`customers.revenue.kind.${kind}`) ? t(`customers.revenue.kind.${kind}` as MessageKey) : kind);
  return (
    <Card padding="0">
      <IndexTable
        resourceName={{ singular: t("customers.revenue.column.order"), plural: t("customers.revenue.ordersCount") }}
        itemCount={props.orders.length}
        selectable={false}
        headings={[
          { title: t("customers.revenue.column.order") },
          { title: t("customers.revenue.column.date") },
          { title: t("customers.revenue.column.revenue"), alignment: "end" },
          { title: t("customers.revenue.column.message") },
          { title: t("customers.revenue.column.rule") },
          { title: t("customers.revenue.column.touched") },
          { title: t("customers.revenue.column.friend") },
        ]}
      >
        {props.orders.map((order, index) => (
          <IndexTable.Row id={order.id} key={order.id} position={index}>
            <IndexTable.Cell>
              <a className="Polaris-Link" href={`shopify://admin/orders/${order.orderId}`} target="_top">
                {order.name ?? order.orderId}
              </a>
            </IndexTable.Cell>
            <IndexTable.Cell>{when(order.processedAt, props.timeZone, locale)}</IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="050" inlineAlign="end">
                <Text as="span" numeric>
                  {money(order.revenue, order.currency)}
                </Text>
                {Number(order.refunded) > 0 ? (
                  <Text as="span" variant="bodySm" tone="subdued">
                    {t("customers.card.refunded", { amount: money(order.refunded, order.currency) })}
                  </Text>
                ) : null}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <BlockStack gap="050">
                <Text as="span" variant="bodySm" tone="subdued">
                  {kindLabel(order.kind)}
                </Text>
                {order.messageUrl ? (
                  <RemixLink to={order.messageUrl}>{order.messageName ?? kindLabel(order.kind)}</RemixLink>
                ) : (
                  <Text as="span">{order.messageName ?? order.sourceId}</Text>
                )}
              </BlockStack>
            </IndexTable.Cell>
            <IndexTable.Cell>
              <Badge tone={order.rule === "click" ? "success" : order.rule === "send" ? "info" : undefined}>
                {isKey(`customers.revenue.rule.${order.rule}`) ? t(`customers.revenue.rule.${order.rule}` as MessageKey) : order.rule}
              </Badge>
            </IndexTable.Cell>
            <IndexTable.Cell>{when(order.touchedAt, props.timeZone, locale)}</IndexTable.Cell>
            <IndexTable.Cell>{order.friendId ? <RemixLink to={`/app/friends/${order.friendId}`}>{order.friendName ?? t("friends.unnamed")}</RemixLink> : "—"}</IndexTable.Cell>
          </IndexTable.Row>
        ))}
      </IndexTable>
      {props.nextUrl || props.firstUrl ? (
        <Box padding="300">
          <InlineStack gap="200" align="center">
            {props.firstUrl ? <Button url={props.firstUrl}>{t("customers.revenue.first")}</Button> : null}
            {props.nextUrl ? <Button url={props.nextUrl}>{t("customers.revenue.next")}</Button> : null}
          </InlineStack>
        </Box>
      ) : null}
    </Card>
  );
}

export function RevenueTotalsCard({ totals }: { totals: RevenueTotals }) {
  const t = useT();
  return (
    <SectionCard title={t("customers.revenue.totals")} gap="200">
      <RevenueFigures totals={totals} ordersLabel={t("customers.revenue.ordersCount")} revenueLabel={t("customers.revenue.revenue")} />
      <Text as="p" variant="bodySm" tone="subdued">
        {t("customers.revenue.ruleHelp")}
      </Text>
    </SectionCard>
  );
}

type SettingsProps = {
  settings: { clickDays: number; sendDays: number };
  errors: Record<string, string> | null;
  saved: boolean;
  saving: boolean;
  onSave: (values: { clickDays: string; sendDays: string }) => void;
};

/** The attribution windows: days after a click (1–90) and after a send without a click (0–30). */
export function AttributionSettingsCard(props: SettingsProps) {
  const t = useT();
  const [clickDays, setClickDays] = useState(String(props.settings.clickDays));
  const [sendDays, setSendDays] = useState(String(props.settings.sendDays));
  const toast = useToast();
  // Saved is said in a toast, once per save.
  useEffect(() => {
    if (props.saved) toast(t("customers.settings.saved"));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.saved]);
  useEffect(() => {
    setClickDays(String(props.settings.clickDays));
    setSendDays(String(props.settings.sendDays));
  }, [props.settings.clickDays, props.settings.sendDays]);
  const error = (field: string) => {
    const key = props.errors?.[field];
    return key ? (isKey(key) ? t(key) : key) : undefined;
  };
  return (
    <SectionCard title={t("customers.settings.title")} gap="300">
      <Text as="p" tone="subdued">
        {t("customers.settings.help")}
      </Text>
      {props.errors ? (
        <Banner tone="critical" title={t("customers.settings.error.title")}>
          <p>{Object.values(props.errors).map((key) => (isKey(key) ? t(key) : key)).join(" ")}</p>
        </Banner>
      ) : null}
      <FormLayout>
        <TextField label={t("customers.settings.clickDays")} helpText={t("customers.settings.clickDaysHelp")} type="number" min={1} max={90} value={clickDays} onChange={setClickDays} error={error("clickDays")} autoComplete="off" name="clickDays" />
        <TextField label={t("customers.settings.sendDays")} helpText={t("customers.settings.sendDaysHelp")} type="number" min={0} max={30} value={sendDays} onChange={setSendDays} error={error("sendDays")} autoComplete="off" name="sendDays" />
        <InlineStack>
          <Button variant="primary" loading={props.saving} onClick={() => props.onSave({ clickDays, sendDays })}>
            {t("customers.settings.save")}
          </Button>
        </InlineStack>
      </FormLayout>
    </SectionCard>
  );
}

/** Attributed orders (with how many each rule attributed) beside the revenue per currency. */
function RevenueFigures({ totals, ordersLabel, revenueLabel }: { totals: RevenueTotals; ordersLabel: string; revenueLabel: string }) {
  const t = useT();
  return (
    <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {ordersLabel}
        </Text>
        <Text as="p" variant="headingLg">
          {totals.orders}
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("customers.results.byRule", totals.byRule)}
        </Text>
      </BlockStack>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {revenueLabel}
        </Text>
        {totals.revenue.length ? <Amounts totals={totals} /> : <Text as="p">—</Text>}
      </BlockStack>
    </InlineGrid>
  );
}

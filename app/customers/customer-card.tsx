// The linked Shopify customer on the friend page: name linking to the customer in the Shopify admin, orders,
// spend per currency, last order, tags, consent, the import's state, and the recent orders with their status.
import type { SerializeFrom } from "@remix-run/node";
import { Badge, Banner, BlockStack, Box, Divider, InlineStack, Text } from "@shopify/polaris";
import { formatPrice } from "../abandoned-cart/money";
import { SectionCard } from "../components/section-card";
import { isMessageKey, useLocale, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import type { CustomerView } from "./customer-view.server";
import { Fact } from "../components/fact";

type Props = { customer: SerializeFrom<CustomerView> | null; timeZone: string };

const isKey = isMessageKey;

function day(iso: string | null, timeZone: string, locale: string) {
  if (!iso) return "—";
  return new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { timeZone, year: "numeric", month: "short", day: "numeric" }).format(new Date(iso));
}

const FINANCIAL_TONES: Record<string, "success" | "attention" | "critical" | "info" | undefined> = {
  paid: "success",
  pending: "attention",
  authorized: "info",
  partially_paid: "attention",
  partially_refunded: "attention",
  refunded: "critical",
  voided: "critical",
};


/** A plain anchor: App Bridge opens shopify://admin links in the admin; a router link would not. */
function AdminLink(props: { customerId: string; children: string }) {
  return (
    <a className="Polaris-Link" href={`shopify://admin/customers/${props.customerId}`} target="_top">
      {props.children}
    </a>
  );
}

export function CustomerCard({ customer, timeZone }: Props) {
  const t = useT();
  const locale = useLocale();
  const money = (amount: string, currency: string) => formatPrice(amount, currency, locale === "en" ? "en-US" : "ja-JP");
  const status = (prefix: string, value: string | null) => {
    if (!value) return null;
    const key = `${prefix}.${value.toLowerCase()}`;
    return isKey(key) ? t(key) : value;
  };
  if (!customer) {
    return (
      <SectionCard title={t("customers.card.heading")} gap="200">
        <Text as="p" tone="subdued">
          {t("friends.customer.notLinked")}
        </Text>
      </SectionCard>
    );
  }
  return (
    <SectionCard title={t("customers.card.heading")} gap="300">
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm">
          <AdminLink customerId={customer.customerId}>{customer.name ?? t("friends.customer.open", { id: customer.customerId })}</AdminLink>
        </Text>
        <Text as="p" variant="bodySm" tone="subdued">
          {t("customers.card.openInShopify")}
        </Text>
      </BlockStack>
      {customer.importStatus === "importing" || customer.importStatus === "pending" ? (
        <Banner tone="info">{customer.importStatus === "importing" ? t("customers.import.importing") : t("customers.import.pending")}</Banner>
      ) : null}
      {customer.importStatus === "failed" ? (
        <Banner tone="warning" title={t("customers.import.failed")}>
          {customer.importError ? <p>{customer.importError}</p> : null}
        </Banner>
      ) : null}
      {customer.stored ? (
        <BlockStack gap="200">
          <Fact label={t("customers.card.orders")} value={String(customer.ordersCount)} />
          {customer.spend.length ? (
            customer.spend.map((spend) => (
              <BlockStack key={spend.currency} gap="050">
                <Fact label={t("customers.card.totalSpent", { currency: spend.currency })} value={money(spend.total, spend.currency)} />
                <Fact label={t("customers.card.average")} value={money(spend.average, spend.currency)} />
              </BlockStack>
            ))
          ) : (
            <Fact label={t("customers.card.totalSpentNone")} value={"—"} />
          )}
          <Fact label={t("customers.card.lastOrder")} value={day(customer.lastOrderAt, timeZone, locale)} />
          <Fact label={t("customers.card.firstOrder")} value={day(customer.firstOrderAt, timeZone, locale)} />
          <Fact label={t("customers.card.emailMarketing")} value={status("customers.consent", customer.emailMarketing) ?? "—"} />
          {customer.tags.length ? (
            <BlockStack gap="100">
              <Text as="span" tone="subdued">
                {t("customers.card.tags")}
              </Text>
              <InlineStack gap="100">
                {customer.tags.map((tag) => (
                  <Badge key={tag}>{tag}</Badge>
                ))}
              </InlineStack>
            </BlockStack>
          ) : null}
        </BlockStack>
      ) : null}
      {customer.orders.length ? (
        <BlockStack gap="200">
          <Divider />
          <Text as="h3" variant="headingSm">
            {t("customers.card.recentOrders")}
          </Text>
          {customer.orders.map((order) => (
            <Box key={order.id}>
              <BlockStack gap="050">
                <InlineStack align="space-between" gap="200" wrap={false}>
                  <Text as="span" fontWeight="semibold">
                    {order.name ?? "—"}
                  </Text>
                  <Text as="span" textDecorationLine={order.cancelled ? "line-through" : undefined}>
                    {money(order.total, order.currency)}
                  </Text>
                </InlineStack>
                <Text as="span" variant="bodySm" tone="subdued">
                  {day(order.processedAt, timeZone, locale)}
                  {Number(order.refunded) > 0 ? ` · ${t("customers.card.refunded", { amount: money(order.refunded, order.currency) })}` : ""}
                </Text>
                <InlineStack gap="100">
                  {order.cancelled ? <Badge tone="critical">{t("customers.card.cancelled")}</Badge> : null}
                  {order.financialStatus ? <Badge tone={FINANCIAL_TONES[order.financialStatus.toLowerCase()]}>{status("customers.financial", order.financialStatus) ?? ""}</Badge> : null}
                  <Badge tone={order.fulfillmentStatus ? "success" : undefined}>{status("customers.fulfillment", order.fulfillmentStatus) ?? t("customers.fulfillment.unfulfilled")}</Badge>
                  {order.attribution ? <Badge tone="info">{t("customers.card.viaLine")}</Badge> : null}
                </InlineStack>
              </BlockStack>
            </Box>
          ))}
        </BlockStack>
      ) : customer.stored ? (
        <Text as="p" tone="subdued">
          {t("customers.card.noOrders")}
        </Text>
      ) : null}
    </SectionCard>
  );
}

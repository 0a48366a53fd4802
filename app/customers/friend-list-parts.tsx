// The friends list's customer columns (name linking to Shopify, total spent in the shop's currency, last order)
// and its sort choice.
import type { SerializeFrom } from "@remix-run/node";
import { Badge, Box, IndexTable, InlineStack, Select, Text } from "@shopify/polaris";
import { formatPrice } from "../abandoned-cart/money";
import type { FriendSort, ListCustomer } from "../friends/friends.server";
import { useLocale, useT } from "../i18n/i18n";

const customerNumber = (id: string) => id.replace(/^gid:\/\/shopify\/Customer\//, "");

export const CUSTOMER_COLUMNS = ["customers.list.totalSpent", "customers.list.lastOrder"] as const;

/** The customer cell and the two figure cells of one friend's row. */
export function CustomerCells(props: { customerId: string | null; customer: SerializeFrom<ListCustomer> | null; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const { customer, customerId } = props;
  const lastOrder = customer?.lastOrderAt
    ? new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { timeZone: props.timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(customer.lastOrderAt))
    : "—";
  return (
    <>
      <IndexTable.Cell>
        {customerId ? (
          <InlineStack gap="100" blockAlign="center" wrap={false}>
            {/* A plain anchor: App Bridge opens shopify://admin links in the admin. */}
            <a className="Polaris-Link" href={`shopify://admin/customers/${customerNumber(customerId)}`} target="_top">
              {customer?.name ?? t("friends.customer.number", { id: customerNumber(customerId) })}
            </a>
            {customer?.importStatus === "importing" ? <Badge tone="info">{t("customers.list.importing")}</Badge> : null}
            {customer?.importStatus === "failed" ? <Badge tone="warning">{t("customers.list.importFailed")}</Badge> : null}
          </InlineStack>
        ) : (
          <Text as="span" tone="subdued">
            {t("friends.customer.none")}
          </Text>
        )}
      </IndexTable.Cell>
      <IndexTable.Cell>
        <Text as="span" alignment="end" numeric>
          {customer?.totalSpent && customer.currency ? formatPrice(customer.totalSpent, customer.currency, locale === "en" ? "en-US" : "ja-JP") : "—"}
        </Text>
      </IndexTable.Cell>
      <IndexTable.Cell>{lastOrder}</IndexTable.Cell>
    </>
  );
}

export function SortSelect(props: { value: FriendSort; onChange: (sort: FriendSort) => void }) {
  const t = useT();
  return (
    <Box paddingInline="300" paddingBlockStart="300">
      <Select
        label={t("customers.list.sort")}
        labelInline
        options={(["newest", "totalSpent", "lastOrder"] as const).map((value) => ({ value, label: t(`customers.list.sort.${value}`) }))}
        value={props.value}
        onChange={(value) => props.onChange(value as FriendSort)}
      />
    </Box>
  );
}

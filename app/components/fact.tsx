// One "label … value" line of a card (the friend page's profile, the linked customer).
import { InlineStack, Text } from "@shopify/polaris";

/** `userData`: the value is what the merchant or LINE wrote (not translated; marked translate="no"). */
export function Fact(props: { label: string; value: string; userData?: boolean }) {
  return (
    <InlineStack align="space-between" gap="200" wrap={false}>
      <Text as="span" tone="subdued">
        {props.label}
      </Text>
      <Text as="span" alignment="end">
        {props.userData ? <span translate="no">{props.value}</span> : props.value}
      </Text>
    </InlineStack>
  );
}

// One "label … value" line of a card (the friend page's profile, the linked customer).
import { InlineStack, Text } from "@shopify/polaris";

export function Fact(props: { label: string; value: string }) {
  return (
    <InlineStack align="space-between" gap="200" wrap={false}>
      <Text as="span" tone="subdued">
        {props.label}
      </Text>
      <Text as="span" alignment="end">
        {props.value}
      </Text>
    </InlineStack>
  );
}

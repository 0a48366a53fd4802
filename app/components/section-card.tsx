import { BlockStack, Card, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A card with a heading over its content. */
export function SectionCard(props: { title: string; gap?: "200" | "300" | "400"; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap={props.gap ?? "300"}>
        <Text as="h2" variant="headingMd">
          {props.title}
        </Text>
        {props.children}
      </BlockStack>
    </Card>
  );
}

// Tags added and removed when a step is sent (which may start other scenarios, never this one).
import { BlockStack, InlineGrid, Text } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { FieldError, Option, StepActions } from "./draft";
import { TagPicker } from "./tag-picker";

export function ActionsEditor(props: { value: StepActions; onChange: (actions: StepActions) => void; tags: Option[]; error: FieldError }) {
  const t = useT();
  const { value } = props;
  return (
    <BlockStack gap="200">
      <InlineGrid columns={{ xs: 1, sm: 2 }} gap="300">
        <TagPicker label={t("scenarioPages.actions.add")} tags={props.tags} value={value.addTagIds} onChange={(addTagIds) => props.onChange({ ...value, addTagIds })} error={props.error("actions.addTagIds", "actions")} />
        <TagPicker label={t("scenarioPages.actions.remove")} tags={props.tags} value={value.removeTagIds} onChange={(removeTagIds) => props.onChange({ ...value, removeTagIds })} error={props.error("actions.removeTagIds")} />
      </InlineGrid>
      <Text as="p" variant="bodySm" tone="subdued">
        {t("scenarioPages.actions.help")}
      </Text>
    </BlockStack>
  );
}

// What starts a run: a follow (and what a re-follow after a block does), a tag, a link to a Shopify customer, an
// order, or the merchant by hand.
import { BlockStack, ChoiceList, Select, Text } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { FieldError, Option, Trigger } from "./draft";
import { TagSelect } from "./tag-picker";

const TYPES = ["follow", "tagAdded", "linked", "order", "manual"] as const;

function blank(type: Trigger["type"]): Trigger {
  switch (type) {
    case "follow":
      return { type, refollow: "ignore" };
    case "tagAdded":
      return { type, tagId: "" };
    case "order":
      return { type, first: true };
    default:
      return { type };
  }
}

export function TriggerEditor(props: { value: Trigger; onChange: (trigger: Trigger) => void; tags: Option[]; error: FieldError }) {
  const t = useT();
  const trigger = props.value;
  return (
    <BlockStack gap="300">
      <Select
        label={t("scenarioPages.trigger.label")}
        options={TYPES.map((type) => ({ value: type, label: t(`scenarioPages.trigger.type.${type}`) }))}
        value={trigger.type}
        onChange={(type) => props.onChange(blank(type as Trigger["type"]))}
        error={props.error("trigger.type", "trigger")}
      />
      {trigger.type === "follow" && (
        <ChoiceList
          title={t("scenarioPages.trigger.refollow")}
          choices={(["ignore", "restart", "continue"] as const).map((value) => ({ value, label: t(`scenarioPages.trigger.refollowChoice.${value}`) }))}
          selected={[trigger.refollow]}
          onChange={([refollow]) => props.onChange({ type: "follow", refollow: refollow as "restart" | "ignore" | "continue" })}
          error={props.error("trigger.refollow")}
        />
      )}
      {trigger.type === "tagAdded" && (
        <TagSelect label={t("scenarioPages.trigger.tag")} tags={props.tags} value={trigger.tagId} onChange={(tagId) => props.onChange({ type: "tagAdded", tagId })} error={props.error("trigger.tagId")} />
      )}
      {trigger.type === "order" && (
        <ChoiceList
          title={t("scenarioPages.trigger.orderWhich")}
          choices={[
            { value: "first", label: t("scenarioPages.trigger.orderFirst") },
            { value: "any", label: t("scenarioPages.trigger.orderAny") },
          ]}
          selected={[trigger.first ? "first" : "any"]}
          onChange={([which]) => props.onChange({ type: "order", first: which === "first" })}
        />
      )}
      <Text as="p" variant="bodySm" tone="subdued">
        {t(`scenarioPages.trigger.help.${trigger.type}`)}
      </Text>
    </BlockStack>
  );
}

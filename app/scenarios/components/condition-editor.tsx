// A step's optional condition (tag, linked, ordered since the start) and what happens when it fails.
import { BlockStack, InlineGrid, Select } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { Condition, FieldError, Option } from "./draft";
import { TagSelect } from "./tag-picker";

const TYPES = ["none", "hasTag", "lacksTag", "linked", "notLinked", "ordered", "notOrdered"] as const;

export function ConditionEditor(props: {
  value: Condition | null;
  onFail: "skip" | "end";
  onChange: (condition: Condition | null, onFail: "skip" | "end") => void;
  tags: Option[];
  error: FieldError;
}) {
  const t = useT();
  const condition = props.value;
  const setType = (type: string) => {
    if (type === "none") return props.onChange(null, props.onFail);
    if (type === "hasTag" || type === "lacksTag") return props.onChange({ type, tagId: condition && "tagId" in condition ? condition.tagId : "" }, props.onFail);
    props.onChange({ type: type as "linked" | "notLinked" | "ordered" | "notOrdered" }, props.onFail);
  };
  return (
    <BlockStack gap="300">
      <InlineGrid columns={{ xs: 1, sm: condition ? 2 : 1 }} gap="300">
        <Select
          label={t("scenarioPages.condition.label")}
          options={TYPES.map((type) => ({ value: type, label: t(`scenarioPages.condition.type.${type}`) }))}
          value={condition?.type ?? "none"}
          onChange={setType}
          error={props.error("condition.type", "condition")}
        />
        {condition && (
          <Select
            label={t("scenarioPages.condition.onFail")}
            options={[
              { value: "skip", label: t("scenarioPages.condition.fail.skip") },
              { value: "end", label: t("scenarioPages.condition.fail.end") },
            ]}
            value={props.onFail}
            onChange={(onFail) => props.onChange(condition, onFail as "skip" | "end")}
            error={props.error("onConditionFail")}
          />
        )}
      </InlineGrid>
      {condition && (condition.type === "hasTag" || condition.type === "lacksTag") && (
        <TagSelect label={t("scenarioPages.condition.tag")} tags={props.tags} value={condition.tagId} onChange={(tagId) => props.onChange({ ...condition, tagId }, props.onFail)} error={props.error("condition.tagId")} />
      )}
    </BlockStack>
  );
}

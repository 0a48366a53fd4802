// When a run ends early: the friend blocks, staff block them, they order, or a chosen tag is added or removed.
import { BlockStack, Checkbox, Text } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { ExitRule, FieldError, Option } from "./draft";
import { TagPicker } from "./tag-picker";

const SIMPLE = ["blocked", "staffBlocked", "ordered"] as const;

/** `problems`: the save's errors for the exit rules (any rule), in words. */
export function ExitRulesEditor(props: { value: ExitRule[]; onChange: (rules: ExitRule[]) => void; tags: Option[]; error: FieldError; problems: string[] }) {
  const t = useT();
  const rules = props.value;
  const has = (type: string) => rules.some((rule) => rule.type === type);
  const toggle = (type: (typeof SIMPLE)[number], on: boolean) => props.onChange(on ? [...rules, { type }] : rules.filter((rule) => rule.type !== type));
  const tagIds = (type: "tagAdded" | "tagRemoved") => rules.flatMap((rule) => (rule.type === type ? [rule.tagId] : []));
  const setTags = (type: "tagAdded" | "tagRemoved", ids: string[]) =>
    props.onChange([...rules.filter((rule) => rule.type !== type), ...ids.map((tagId) => ({ type, tagId }))]);
  return (
    <BlockStack gap="300">
      {SIMPLE.map((type) => (
        <Checkbox key={type} label={t(`scenarioPages.exit.rule.${type}`)} checked={has(type)} onChange={(on) => toggle(type, on)} />
      ))}
      <TagPicker label={t("scenarioPages.exit.rule.tagAdded")} tags={props.tags} value={tagIds("tagAdded")} onChange={(ids) => setTags("tagAdded", ids)} />
      <TagPicker label={t("scenarioPages.exit.rule.tagRemoved")} tags={props.tags} value={tagIds("tagRemoved")} onChange={(ids) => setTags("tagRemoved", ids)} />
      {[...new Set(props.problems)].map((problem) => (
        <Text key={problem} as="p" tone="critical">
          {problem}
        </Text>
      ))}
      <Text as="p" variant="bodySm" tone="subdued">
        {t("scenarioPages.exit.help")}
      </Text>
    </BlockStack>
  );
}

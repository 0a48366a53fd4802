// The segment's conditions: groups of conditions combined with AND/OR inside, and the groups with AND/OR
// between them. `errors` maps paths ("groups.0.conditions.1.days") to words.
import { ActionList, Badge, BlockStack, Box, Button, Card, InlineStack, Popover, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { ConditionFields } from "./condition-fields";
import { CONDITION_FIELDS, MAX_CONDITIONS, MAX_GROUPS, newCondition, type Condition, type ConditionField, type SegmentDefinition } from "./model";
import type { EditorOptions } from "./options";

type Group = SegmentDefinition["groups"][number];

function AddCondition(props: { label: string; onAdd: (field: ConditionField) => void; disabled?: boolean; primary?: boolean }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  return (
    <Popover
      active={open}
      onClose={() => setOpen(false)}
      activator={
        <Button disclosure onClick={() => setOpen((value) => !value)} disabled={props.disabled} variant={props.primary ? "primary" : undefined}>
          {props.label}
        </Button>
      }
    >
      <ActionList
        items={CONDITION_FIELDS.map((field) => ({
          content: t(`segments.field.${field}` as MessageKey),
          onAction: () => {
            setOpen(false);
            props.onAdd(field);
          },
        }))}
      />
    </Popover>
  );
}

function GroupCard(props: {
  index: number;
  group: Group;
  onChange: (group: Group | null) => void;
  options: EditorOptions;
  error: (path: string) => string | undefined;
}) {
  const t = useT();
  const { group, index } = props;
  const setCondition = (at: number, next: Condition | null) =>
    props.onChange({ ...group, conditions: group.conditions.flatMap((c, i) => (i !== at ? [c] : next ? [next] : [])) });
  const joiner = group.match === "all" ? t("segments.editor.and") : t("segments.editor.or");
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <Text as="h3" variant="headingSm">
            {t("segments.editor.group", { number: index + 1 })}
          </Text>
          <Button variant="plain" tone="critical" onClick={() => props.onChange(null)}>
            {t("segments.editor.removeGroup")}
          </Button>
        </InlineStack>
        <Select
          label={t("segments.editor.groupMatch")}
          options={[
            { value: "all", label: t("segments.editor.matchAll") },
            { value: "any", label: t("segments.editor.matchAny") },
          ]}
          value={group.match}
          onChange={(match) => props.onChange({ ...group, match: match as Group["match"] })}
        />
        {group.conditions.map((condition, at) => (
          <BlockStack gap="200" key={at}>
            {at > 0 ? (
              <InlineStack>
                <Badge tone="info">{joiner}</Badge>
              </InlineStack>
            ) : null}
            <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200" background="bg-surface-secondary">
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
                  <Text as="span" fontWeight="semibold">
                    {t(`segments.field.${condition.field}` as MessageKey)}
                  </Text>
                  <Button variant="plain" tone="critical" onClick={() => setCondition(at, null)} accessibilityLabel={t("segments.editor.removeCondition")}>
                    {t("segments.editor.removeCondition")}
                  </Button>
                </InlineStack>
                <ConditionFields
                  condition={condition}
                  onChange={(next) => setCondition(at, next)}
                  options={props.options}
                  error={(path) => props.error(`conditions.${at}.${path}`)}
                />
              </BlockStack>
            </Box>
          </BlockStack>
        ))}
        {props.error("conditions") ? (
          <Text as="p" tone="critical">
            {props.error("conditions")}
          </Text>
        ) : null}
        <InlineStack>
          <AddCondition
            label={t("segments.editor.addCondition")}
            disabled={group.conditions.length >= MAX_CONDITIONS}
            onAdd={(field) => props.onChange({ ...group, conditions: [...group.conditions, newCondition(field)] })}
          />
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

export function SegmentConditionsEditor(props: {
  value: SegmentDefinition;
  onChange: (next: SegmentDefinition) => void;
  options: EditorOptions;
  errors: Record<string, string>;
}) {
  const t = useT();
  const { value } = props;
  const errorAt = (path: string) => {
    const key = props.errors[path];
    return key ? t(key as MessageKey) : undefined;
  };
  const setGroup = (at: number, next: Group | null) =>
    props.onChange({ ...value, groups: value.groups.flatMap((g, i) => (i !== at ? [g] : next ? [next] : [])) });
  const addGroup = (field: ConditionField) =>
    props.onChange({ ...value, groups: [...value.groups, { match: "all", conditions: [newCondition(field)] }] });
  const joiner = value.match === "all" ? t("segments.editor.and") : t("segments.editor.or");

  return (
    <BlockStack gap="300">
      {value.groups.length === 0 ? (
        <Card>
          <Text as="p" tone="subdued">
            {t("segments.editor.noConditions")}
          </Text>
        </Card>
      ) : null}
      {value.groups.length > 1 ? (
        <Card>
          <Select
            label={t("segments.editor.groupsMatch")}
            options={[
              { value: "all", label: t("segments.editor.groupsAll") },
              { value: "any", label: t("segments.editor.groupsAny") },
            ]}
            value={value.match}
            onChange={(match) => props.onChange({ ...value, match: match as SegmentDefinition["match"] })}
          />
        </Card>
      ) : null}
      {value.groups.map((group, index) => (
        <BlockStack gap="300" key={index}>
          {index > 0 ? (
            <InlineStack align="center">
              <Badge tone="attention">{joiner}</Badge>
            </InlineStack>
          ) : null}
          <GroupCard index={index} group={group} options={props.options} onChange={(next) => setGroup(index, next)} error={(path) => errorAt(`groups.${index}.${path}`)} />
        </BlockStack>
      ))}
      <Box paddingInline={{ xs: "400", sm: "0" }}>
        <AddCondition label={t("segments.editor.addGroup")} primary={value.groups.length === 0} disabled={value.groups.length >= MAX_GROUPS} onAdd={addGroup} />
      </Box>
    </BlockStack>
  );
}

// The inputs of one condition, per field. `error(path)` gives the words for a problem at that path of the
// condition ("days", "tagIds"…), or undefined.
import { BlockStack, ChoiceList, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { FOLLOW_STATUSES, type Condition } from "./model";
import { CustomerConditionFields, isCustomerCondition } from "./customer-condition-fields";
import { FormConditionFields, isFormCondition } from "./form-condition-fields";
import { LANGUAGES, type EditorOptions } from "./options";

type Props<C extends Condition> = {
  condition: C;
  onChange: (next: C) => void;
  options: EditorOptions;
  error: (path: string) => string | undefined;
};

/** A number field's text as the condition keeps it: NaN while empty or not a number (the schema refuses it). */
const toDays = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
const daysText = (days: number | null | undefined) => (days == null || Number.isNaN(days) ? "" : String(days));

function Picks(props: { title: string; choices: { label: string; value: string }[]; selected: string[]; onChange: (v: string[]) => void; error?: string; empty?: string }) {
  const t = useT();
  // A saved condition may name a tag, link or account deleted since: shown, so it can be unticked.
  const gone = props.selected.filter((value) => !props.choices.some((choice) => choice.value === value));
  const choices = [...props.choices, ...gone.map((value) => ({ value, label: t("segments.deletedChoice") }))];
  if (!choices.length && props.empty) {
    return (
      <Text as="p" tone={props.error ? "critical" : "subdued"}>
        {props.empty}
      </Text>
    );
  }
  return <ChoiceList allowMultiple title={props.title} choices={choices} selected={props.selected} onChange={props.onChange} error={props.error} />;
}

export function ConditionFields(props: Props<Condition>) {
  const t = useT();
  const { condition, options, error } = props;
  const change = (patch: Partial<Condition>) => props.onChange({ ...condition, ...patch } as Condition);
  const matchSelect = (values: string[], prefix: string) => (
    <Select
      label={t("segments.match")}
      labelHidden
      options={values.map((value) => ({ value, label: t(`${prefix}.${value}` as MessageKey) }))}
      value={"match" in condition ? condition.match : ""}
      onChange={(match) => change({ match } as Partial<Condition>)}
    />
  );

  if (isCustomerCondition(condition)) return <CustomerConditionFields condition={condition} onChange={props.onChange} options={options} error={error} />;
  if (isFormCondition(condition)) return <FormConditionFields condition={condition} onChange={props.onChange} options={options} error={error} />;
  switch (condition.field) {
    case "account":
      return (
        <Picks
          title={t("segments.field.account")}
          choices={options.accounts.map((a) => ({ label: a.displayName, value: a.id }))}
          selected={condition.accountIds}
          onChange={(accountIds) => change({ accountIds })}
          error={error("accountIds")}
        />
      );
    case "followStatus":
      return (
        <Picks
          title={t("segments.field.followStatus")}
          choices={FOLLOW_STATUSES.map((status) => ({ label: t(`friends.status.${status}`), value: status }))}
          selected={condition.statuses}
          onChange={(statuses) => change({ statuses } as Partial<Condition>)}
          error={error("statuses")}
        />
      );
    case "tags":
      return (
        <BlockStack gap="200">
          {matchSelect(["any", "all", "none"], "segments.tags")}
          <Picks
            title={t("segments.field.tags")}
            choices={options.tags.map((tag) => ({ label: tag.name, value: tag.id }))}
            selected={condition.tagIds}
            onChange={(tagIds) => change({ tagIds })}
            error={error("tagIds")}
            empty={t("segments.tags.empty")}
          />
        </BlockStack>
      );
    case "friendSince":
      return (
        <BlockStack gap="200">
          <Select
            label={t("segments.match")}
            labelHidden
            options={[
              { value: "lastDays", label: t("segments.since.lastDays") },
              { value: "dates", label: t("segments.since.dates") },
            ]}
            value={condition.mode}
            onChange={(mode) => change({ mode: mode as "dates" | "lastDays", days: condition.days ?? 30 })}
          />
          {condition.mode === "lastDays" ? (
            <TextField label={t("segments.since.days")} type="number" min={1} value={daysText(condition.days)} onChange={(v) => change({ days: toDays(v) })} error={error("days")} autoComplete="off" />
          ) : (
            <BlockStack gap="100">
              <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
                <TextField label={t("segments.since.from")} type="date" value={condition.from ?? ""} onChange={(v) => change({ from: v || null })} error={error("from")} autoComplete="off" />
                <TextField label={t("segments.since.to")} type="date" value={condition.to ?? ""} onChange={(v) => change({ to: v || null })} error={error("to")} autoComplete="off" />
              </InlineGrid>
              <Text as="p" tone="subdued" variant="bodySm">
                {t("segments.since.zoneHelp", { zone: options.timeZone })}
              </Text>
            </BlockStack>
          )}
        </BlockStack>
      );
    case "source":
      return (
        <BlockStack gap="200">
          {matchSelect(["any", "none"], "segments.source")}
          <Picks
            title={t("segments.field.source")}
            choices={options.links.map((link) => ({ label: link.archived ? t("segments.source.archived", { name: link.name }) : link.name, value: link.id }))}
            selected={condition.trackingLinkIds}
            onChange={(trackingLinkIds) => change({ trackingLinkIds })}
            error={error("trackingLinkIds")}
            empty={t("segments.source.empty")}
          />
        </BlockStack>
      );
    case "linked":
      return (
        <Select
          label={t("segments.field.linked")}
          labelHidden
          options={[
            { value: "true", label: t("segments.linked.yes") },
            { value: "false", label: t("segments.linked.no") },
          ]}
          value={String(condition.linked)}
          onChange={(value) => change({ linked: value === "true" })}
        />
      );
    case "lastMessage":
      return (
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
          <Select
            label={t("segments.match")}
            options={[
              { value: "true", label: t("segments.lastMessage.within") },
              { value: "false", label: t("segments.lastMessage.notWithin") },
            ]}
            value={String(condition.within)}
            onChange={(value) => change({ within: value === "true" })}
          />
          <TextField label={t("segments.lastMessage.days")} type="number" min={1} value={daysText(condition.days)} onChange={(v) => change({ days: toDays(v) })} error={error("days")} autoComplete="off" />
        </InlineGrid>
      );
    case "language":
      return (
        <BlockStack gap="200">
          {matchSelect(["any", "none"], "segments.language")}
          <Picks
            title={t("segments.field.language")}
            choices={[...new Set([...LANGUAGES, ...condition.languages])].map((code) => ({
              value: code,
              label: `segments.language.${code}` in LANGUAGE_KEYS ? t(`segments.language.${code}` as MessageKey) : code,
            }))}
            selected={condition.languages}
            onChange={(languages) => change({ languages })}
            error={error("languages")}
          />
        </BlockStack>
      );
  }
}

const LANGUAGE_KEYS = Object.fromEntries(LANGUAGES.map((code) => [`segments.language.${code}`, true]));

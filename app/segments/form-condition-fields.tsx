// The inputs of the conditions on LIFF form answers: "answered form F" (ever or within N days) and "answer to
// question Q is V" (one of the picked choices, or the text). The forms and their questions come from the editor's
// loader (editorOptions).
import { BlockStack, ChoiceList, InlineGrid, Select, Text, TextField } from "@shopify/polaris";
import { useT } from "../i18n/i18n";
import type { Condition } from "./model";
import type { EditorOptions, FormOption } from "./options";

type FormCondition = Extract<Condition, { field: "answeredForm" | "formAnswer" }>;
export const FORM_FIELDS = ["answeredForm", "formAnswer"] as const;
export const isFormCondition = (condition: Condition): condition is FormCondition => (FORM_FIELDS as readonly string[]).includes(condition.field);

type Props = {
  condition: FormCondition;
  onChange: (next: Condition) => void;
  options: EditorOptions;
  error: (path: string) => string | undefined;
};

const toNumber = (text: string) => (text.trim() === "" ? Number.NaN : Number(text));
const numberText = (value: number | null | undefined) => (value == null || Number.isNaN(value) ? "" : String(value));

function FormSelect(props: { forms: FormOption[]; value: string; onChange: (formId: string) => void; error?: string }) {
  const t = useT();
  // A saved condition may name a form deleted since: shown, so it can be replaced.
  const gone = props.value && !props.forms.some((form) => form.id === props.value);
  return (
    <Select
      label={t("segments.form.form")}
      placeholder={t("segments.form.pickForm")}
      options={[
        ...props.forms.map((form) => ({ value: form.id, label: form.archived ? t("segments.form.archived", { title: form.title }) : form.title })),
        ...(gone ? [{ value: props.value, label: t("segments.deletedChoice") }] : []),
      ]}
      value={props.value}
      onChange={props.onChange}
      error={props.error}
    />
  );
}

export function FormConditionFields({ condition, onChange, options, error }: Props) {
  const t = useT();
  const forms = options.forms ?? [];
  if (!forms.length && !condition.formId) {
    return (
      <Text as="p" tone={error("formId") ? "critical" : "subdued"}>
        {t("segments.form.empty")}
      </Text>
    );
  }
  if (condition.field === "answeredForm") {
    const change = (patch: Partial<typeof condition>) => onChange({ ...condition, ...patch });
    return (
      <BlockStack gap="200">
        <FormSelect forms={forms} value={condition.formId} onChange={(formId) => change({ formId })} error={error("formId")} />
        <InlineGrid columns={{ xs: 1, sm: 2 }} gap="200">
          <Select
            label={t("segments.form.period")}
            options={[
              { value: "ever", label: t("segments.form.ever") },
              { value: "lastDays", label: t("segments.form.lastDays") },
            ]}
            value={condition.period}
            onChange={(period) => change({ period: period as "ever" | "lastDays", days: period === "lastDays" ? (condition.days ?? 30) : null })}
          />
          {condition.period === "lastDays" ? (
            <TextField label={t("segments.since.days")} type="number" min={1} value={numberText(condition.days)} onChange={(v) => change({ days: toNumber(v) })} error={error("days")} autoComplete="off" />
          ) : null}
        </InlineGrid>
      </BlockStack>
    );
  }

  const form = forms.find((f) => f.id === condition.formId);
  const question = form?.questions.find((q) => q.id === condition.fieldId);
  const change = (patch: Partial<typeof condition>) => onChange({ ...condition, ...patch });
  return (
    <BlockStack gap="200">
      <FormSelect forms={forms} value={condition.formId} onChange={(formId) => change({ formId, fieldId: "", kind: "choice", values: [] })} error={error("formId")} />
      {form ? (
        form.questions.length ? (
          <Select
            label={t("segments.form.question")}
            placeholder={t("segments.form.pickQuestion")}
            options={form.questions.map((q) => ({ value: q.id, label: q.label }))}
            value={question ? question.id : ""}
            // Another question's answers mean nothing here: the values are cleared.
            onChange={(fieldId) => change({ fieldId, kind: form.questions.find((q) => q.id === fieldId)?.kind ?? "choice", values: [] })}
            error={error("fieldId")}
          />
        ) : (
          <Text as="p" tone="subdued">
            {t("segments.form.noQuestions")}
          </Text>
        )
      ) : null}
      {question?.kind === "choice" ? (
        <ChoiceList
          allowMultiple
          title={t("segments.form.choices")}
          choices={question.choices.map((choice) => ({ value: choice.id, label: choice.label }))}
          selected={condition.values}
          onChange={(values) => change({ values })}
          error={error("values")}
        />
      ) : null}
      {question?.kind === "text" ? (
        <TextField
          label={t("segments.form.text")}
          helpText={t("segments.form.textHelp")}
          value={condition.values[0] ?? ""}
          onChange={(text) => change({ values: text ? [text] : [] })}
          error={error("values") ?? error("values.0")}
          autoComplete="off"
        />
      ) : null}
    </BlockStack>
  );
}

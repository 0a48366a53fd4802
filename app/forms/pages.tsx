// Admin pages of LIFF forms: the list, the builder and the answers.
import { useNavigate } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  DataTable,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineStack,
  Page,
  Select,
  Text,
  TextField,
  useBreakpoints,
} from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useDraft } from "../components/draft";
import { UnsavedChangesBar } from "../components/save-bar";
import { useToast } from "../components/toast";
import { Truncated } from "../components/truncated";
import { useRouteAction } from "../components/use-route-action";
import { useLocale, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { CHOICE_TYPES, FIELD_TYPES, TEXT_FORMATS, TEXT_TYPES, type FieldType } from "./field-types";
import type { FormField } from "./model";
import { formatDateTime } from "../i18n/format";

// A form sheet with a check mark, inline so the page needs nothing from outside.
const EMPTY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="36" y="26" width="48" height="66" rx="6" fill="#fff" stroke="#06c755" stroke-width="5"/><path d="M46 44h28M46 56h28M46 68h16" stroke="#06c755" stroke-width="5" stroke-linecap="round"/><circle cx="80" cy="84" r="14" fill="#06c755"/><path d="M73 84l5 5 9-10" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/></svg>',
)}`;

type FormRow = { id: string; title: string; answers: number; opensAt: string | null; closesAt: string | null };

export function FormsListPage({ forms }: { forms: FormRow[] }) {
  const t = useT();
  const navigate = useNavigate();
  const { smDown } = useBreakpoints();
  const create = { content: t("forms.create"), onAction: () => navigate("/app/forms/new") };
  const period = (row: FormRow) =>
    row.opensAt || row.closesAt ? `${row.opensAt ? new Date(row.opensAt).toLocaleDateString() : ""} – ${row.closesAt ? new Date(row.closesAt).toLocaleDateString() : ""}` : t("forms.always");
  return (
    <Page title={t("forms.title")} subtitle={t("forms.subtitle")} primaryAction={create}>
      <Card padding={forms.length ? "0" : undefined}>
        {forms.length === 0 ? (
          <EmptyState heading={t("forms.emptyHeading")} action={create} image={EMPTY_IMAGE}>
            <p>{t("forms.empty")}</p>
          </EmptyState>
        ) : (
          <IndexTable
            condensed={smDown}
            resourceName={{ singular: t("forms.resource.singular"), plural: t("forms.title") }}
            itemCount={forms.length}
            selectable={false}
            headings={[{ title: t("forms.column.title") }, { title: t("forms.column.period") }, { title: t("forms.column.answers"), alignment: "end" }, { title: "" }]}
          >
            {forms.map((row, index) => (
              <IndexTable.Row id={row.id} key={row.id} position={index} onClick={() => navigate(`/app/forms/${row.id}`)}>
                <IndexTable.Cell>
                  <Truncated text={row.title} bold />
                </IndexTable.Cell>
                <IndexTable.Cell>{period(row)}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {row.answers}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Button variant="plain" url={`/app/forms/${row.id}/answers`}>
                    {t("forms.answers")}
                  </Button>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </Page>
  );
}

export type BuilderForm = {
  id: string | null;
  lineAccountId: string;
  title: string;
  description: string;
  fields: FormField[];
  opensAt: string;
  closesAt: string;
  oneAnswerPerFriend: boolean;
  thankYouTitle: string;
  thankYouText: string;
  afterSubmitMessage: string;
  addTagNames: string[];
  /** The step scenario entered on submit, or null. */
  scenarioId: string | null;
};

/** The shop's step scenarios the builder offers (those of the form's account). */
export type ScenarioOption = { id: string; name: string; lineAccountId: string; status: string };

let counter = 0;
const newId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}`;

const blankField = (type: FieldType = "shortText"): FormField => ({
  id: newId("q"),
  type,
  label: "",
  help: "",
  required: false,
  minLength: null,
  maxLength: null,
  format: "any",
  min: null,
  max: null,
  choices: CHOICE_TYPES.includes(type) ? [{ id: newId("c"), label: "", addTags: [], removeTags: [] }] : [],
});

export function FormBuilderPage({
  form,
  accounts,
  scenarios,
  liffUrl,
}: {
  form: BuilderForm;
  accounts: { id: string; name: string }[];
  scenarios: ScenarioOption[];
  liffUrl: string | null;
}) {
  const t = useT();
  const navigate = useNavigate();
  const toast = useToast();
  const stored = useDraft({ form: form.fields.length ? form : { ...form, fields: [blankField()] }, tags: form.addTagNames.join(", ") });
  const { form: draft, tags } = stored.value;
  const setDraft = (next: BuilderForm | ((current: BuilderForm) => BuilderForm)) =>
    stored.setValue((current) => ({ ...current, form: typeof next === "function" ? next(current.form) : next }));
  const setTags = (next: string) => stored.setValue((current) => ({ ...current, tags: next }));
  const [goTo, setGoTo] = useState<string | null>(null);
  const action = useRouteAction<() => Promise<{ ok: true; id: string } | { ok: false; errors: Record<string, string> }>>((answer) => {
    const done = answer as unknown as { id: string };
    stored.saved();
    toast(t("forms.saved"));
    if (!form.id) setGoTo(`/app/forms/${done.id}`);
  });
  // A new form moves to its own address once the save bar has closed.
  useEffect(() => {
    if (goTo && !stored.dirty) navigate(goTo, { replace: true });
  }, [goTo, stored.dirty, navigate]);
  const setField = (index: number, change: Partial<FormField>) =>
    setDraft((current) => ({ ...current, fields: current.fields.map((f, i) => (i === index ? { ...f, ...change } : f)) }));
  const save = () => {
    stored.submitting(stored.value);
    action.fetcher.submit(
      { intent: "save", data: JSON.stringify({ ...draft, addTagNames: tags.split(/[,、]/).map((tag) => tag.trim()).filter(Boolean), id: undefined }) },
      { method: "post" },
    );
  };
  const discard = () => {
    action.setErrors({});
    stored.discard();
  };
  const formError = action.errors.form ?? action.errors.fields ?? action.errors.closesAt;
  return (
    <Page
      title={form.id ? form.title : t("forms.new")}
      backAction={{ url: "/app/forms" }}
      primaryAction={{ content: t("forms.save"), onAction: save, loading: action.busy }}
      secondaryActions={form.id ? [{ content: t("forms.answers"), url: `/app/forms/${form.id}/answers` }] : []}
    >
      <UnsavedChangesBar id="form-save-bar" dirty={stored.dirty} saving={action.busy} onSave={save} onDiscard={discard} />
      <BlockStack gap="400">
        {formError ? <Banner tone="critical">{t(formError as MessageKey)}</Banner> : null}
        <Card>
          <FormLayout>
            <TextField label={t("forms.field.title")} value={draft.title} onChange={(title) => setDraft({ ...draft, title })} autoComplete="off" error={action.fieldError("title")} />
            <Select
              label={t("forms.field.account")}
              options={accounts.map((a) => ({ label: a.name, value: a.id }))}
              value={draft.lineAccountId}
              // A scenario of another account cannot follow the form there.
              onChange={(lineAccountId) =>
                setDraft({ ...draft, lineAccountId, scenarioId: scenarios.some((s) => s.id === draft.scenarioId && s.lineAccountId === lineAccountId) ? draft.scenarioId : null })
              }
              error={action.fieldError("lineAccountId")}
            />
            <TextField label={t("forms.field.description")} value={draft.description} onChange={(description) => setDraft({ ...draft, description })} multiline={3} autoComplete="off" />
            <FormLayout.Group>
              <TextField label={t("forms.field.opensAt")} type="datetime-local" value={draft.opensAt} onChange={(opensAt) => setDraft({ ...draft, opensAt })} autoComplete="off" />
              <TextField label={t("forms.field.closesAt")} type="datetime-local" value={draft.closesAt} onChange={(closesAt) => setDraft({ ...draft, closesAt })} autoComplete="off" error={action.fieldError("closesAt")} />
            </FormLayout.Group>
            <Checkbox label={t("forms.field.once")} checked={draft.oneAnswerPerFriend} onChange={(oneAnswerPerFriend) => setDraft({ ...draft, oneAnswerPerFriend })} />
            {liffUrl ? <TextField label={t("forms.field.link")} value={liffUrl} readOnly autoComplete="off" onChange={() => {}} /> : null}
          </FormLayout>
        </Card>
        <Card>
          <BlockStack gap="300">
            <Text as="h2" variant="headingMd">
              {t("forms.questions")}
            </Text>
            {draft.fields.map((field, index) => (
              <QuestionEditor
                key={field.id}
                field={field}
                onChange={(change) => setField(index, change)}
                onRemove={draft.fields.length > 1 ? () => setDraft({ ...draft, fields: draft.fields.filter((_, i) => i !== index) }) : undefined}
              />
            ))}
            <InlineStack>
              <Button onClick={() => setDraft({ ...draft, fields: [...draft.fields, blankField()] })}>{t("forms.question.add")}</Button>
            </InlineStack>
          </BlockStack>
        </Card>
        <Card>
          <FormLayout>
            <TextField label={t("forms.field.thankYouTitle")} value={draft.thankYouTitle} onChange={(thankYouTitle) => setDraft({ ...draft, thankYouTitle })} autoComplete="off" />
            <TextField label={t("forms.field.thankYouText")} value={draft.thankYouText} onChange={(thankYouText) => setDraft({ ...draft, thankYouText })} multiline={2} autoComplete="off" />
            <TextField label={t("forms.field.afterSubmit")} value={draft.afterSubmitMessage} onChange={(afterSubmitMessage) => setDraft({ ...draft, afterSubmitMessage })} multiline={2} autoComplete="off" />
            <TextField label={t("forms.field.addTags")} value={tags} onChange={setTags} autoComplete="off" />
            <ScenarioPicker scenarios={scenarios.filter((s) => s.lineAccountId === draft.lineAccountId)} value={draft.scenarioId} onChange={(scenarioId) => setDraft({ ...draft, scenarioId })} error={action.fieldError("scenarioId")} />
          </FormLayout>
        </Card>
      </BlockStack>
    </Page>
  );
}

function ScenarioPicker(props: { scenarios: ScenarioOption[]; value: string | null; onChange: (id: string | null) => void; error?: string }) {
  const t = useT();
  const picked = props.scenarios.find((s) => s.id === props.value);
  return (
    <Select
      label={t("forms.field.scenario")}
      helpText={picked && picked.status !== "on" ? t("forms.scenario.off") : t("forms.scenario.help")}
      options={[
        { label: t("forms.scenario.none"), value: "" },
        ...props.scenarios.map((s) => ({ label: s.status === "on" ? s.name : t("forms.scenario.offName", { name: s.name }), value: s.id })),
      ]}
      value={props.value ?? ""}
      onChange={(id) => props.onChange(id || null)}
      error={props.error}
    />
  );
}

function QuestionEditor({ field, onChange, onRemove }: { field: FormField; onChange: (change: Partial<FormField>) => void; onRemove?: () => void }) {
  const t = useT();
  const number = (value: string) => (value === "" ? null : Math.max(0, Math.floor(Number(value))));
  return (
    <Box padding="300" borderWidth="025" borderColor="border" borderRadius="200">
      <BlockStack gap="200">
        <FormLayout>
          <FormLayout.Group>
            <TextField label={t("forms.question.label")} value={field.label} onChange={(label) => onChange({ label })} autoComplete="off" />
            <Select
              label={t("forms.question.type")}
              options={FIELD_TYPES.map((type) => ({ label: t(`forms.type.${type}`), value: type }))}
              value={field.type}
              onChange={(value) => {
                const type = value as FieldType;
                onChange({ type, choices: CHOICE_TYPES.includes(type) && !field.choices.length ? blankField(type).choices : field.choices });
              }}
            />
          </FormLayout.Group>
          <TextField label={t("forms.question.help")} value={field.help} onChange={(help) => onChange({ help })} autoComplete="off" />
          {TEXT_TYPES.includes(field.type) ? (
            <FormLayout.Group condensed>
              <TextField label={t("forms.question.minLength")} type="number" value={field.minLength?.toString() ?? ""} onChange={(v) => onChange({ minLength: number(v) })} autoComplete="off" />
              <TextField label={t("forms.question.maxLength")} type="number" value={field.maxLength?.toString() ?? ""} onChange={(v) => onChange({ maxLength: number(v) || null })} autoComplete="off" />
              <Select label={t("forms.question.format")} options={TEXT_FORMATS.map((f) => ({ label: t(`forms.format.${f}`), value: f }))} value={field.format} onChange={(format) => onChange({ format: format as FormField["format"] })} />
            </FormLayout.Group>
          ) : null}
          {CHOICE_TYPES.includes(field.type) ? (
            <BlockStack gap="200">
              <Text as="span" variant="bodySm" tone="subdued">
                {t("forms.question.choices")}
              </Text>
              {field.choices.map((choice, index) => (
                <FormLayout.Group key={choice.id} condensed>
                  <TextField
                    label={t("forms.question.choice")}
                    labelHidden={index > 0}
                    value={choice.label}
                    onChange={(label) => onChange({ choices: field.choices.map((c, i) => (i === index ? { ...c, label } : c)) })}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("forms.question.choiceTags")}
                    labelHidden={index > 0}
                    value={choice.addTags.join(", ")}
                    onChange={(value) => onChange({ choices: field.choices.map((c, i) => (i === index ? { ...c, addTags: value.split(/[,、]/).map((s) => s.trim()).filter(Boolean) } : c)) })}
                    autoComplete="off"
                  />
                </FormLayout.Group>
              ))}
              <InlineStack>
                <Button variant="plain" onClick={() => onChange({ choices: [...field.choices, { id: newId("c"), label: "", addTags: [], removeTags: [] }] })}>
                  {t("forms.question.choiceAdd")}
                </Button>
              </InlineStack>
            </BlockStack>
          ) : null}
        </FormLayout>
        <InlineStack align="space-between">
          <Checkbox label={t("forms.question.required")} checked={field.required} onChange={(required) => onChange({ required })} />
          {onRemove ? (
            <Button variant="plain" tone="critical" onClick={onRemove}>
              {t("forms.question.remove")}
            </Button>
          ) : null}
        </InlineStack>
      </BlockStack>
    </Box>
  );
}

type AnswerRow = { id: string; friendId: string; friendName: string; createdAt: string; cells: string[] };

export function AnswersPage(props: { form: { id: string; title: string; labels: string[] }; answers: AnswerRow[]; filter: { q: string; from: string; to: string }; timeZone: string }) {
  const t = useT();
  const locale = useLocale();
  const answeredAt = new Intl.DateTimeFormat(locale === "ja" ? "ja-JP" : "en-US", { timeZone: props.timeZone, dateStyle: "medium", timeStyle: "short" });
  const navigate = useNavigate();
  const [filter, setFilter] = useState(props.filter);
  const apply = () => navigate(`?${new URLSearchParams(filter).toString()}`);
  const csv = `/app/forms/${props.form.id}/answers.csv?${new URLSearchParams({ from: props.filter.from, to: props.filter.to }).toString()}`;
  return (
    <Page title={t("forms.answers.title", { title: props.form.title })} backAction={{ url: `/app/forms/${props.form.id}` }} primaryAction={{ content: t("forms.answers.export"), url: csv, external: true }}>
      <BlockStack gap="400">
        <Card>
          <InlineStack gap="300" blockAlign="end" wrap>
            <Box minWidth="240px">
              <TextField label={t("forms.answers.search")} value={filter.q} onChange={(q) => setFilter({ ...filter, q })} autoComplete="off" />
            </Box>
            <TextField label={t("forms.answers.from")} type="date" value={filter.from} onChange={(from) => setFilter({ ...filter, from })} autoComplete="off" />
            <TextField label={t("forms.answers.to")} type="date" value={filter.to} onChange={(to) => setFilter({ ...filter, to })} autoComplete="off" />
            <Button onClick={apply}>{t("forms.answers.search")}</Button>
          </InlineStack>
        </Card>
        <Card padding="0">
          {props.answers.length === 0 ? (
            <EmptyState heading={t("forms.answers.empty")} action={{ content: t("forms.answers.emptyAction"), url: `/app/forms/${props.form.id}` }} image={EMPTY_IMAGE}>
              <p>{t("forms.answers.emptyNext")}</p>
            </EmptyState>
          ) : (
            // One column per question: the table scrolls sideways inside its card (Polaris' own scroll), the page does not.
            <div data-scrolls-sideways>
            <DataTable
              columnContentTypes={["text", "text", ...props.form.labels.map(() => "text" as const)]}
              headings={[t("forms.answers.answeredAt"), t("forms.answers.friend"), ...props.form.labels]}
              rows={props.answers.map((row) => [
                answeredAt.format(new Date(row.createdAt)),
                <span key={row.id} translate="no">
                  <Button variant="plain" url={`/app/friends/${row.friendId}`}>
                    {row.friendName || "—"}
                  </Button>
                </span>,
                ...row.cells.map((cell, i) => (
                  <span key={i} translate="no">
                    {cell}
                  </span>
                )),
              ])}
            />
            </div>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}

/** `timeZone`: the shop's, so that the server and the browser write the same time (React keeps the server's HTML). */
export function FriendAnswers({ answers, timeZone = "UTC" }: { answers: { id: string; formTitle: string; createdAt: string; lines: [string, string][] }[]; timeZone?: string }) {
  const t = useT();
  if (!answers.length) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("forms.friend.heading")}
        </Text>
        {answers.map((answer) => (
          <BlockStack key={answer.id} gap="100">
            <InlineStack gap="200">
              <Text as="span" fontWeight="semibold">
                {answer.formTitle}
              </Text>
              <Badge>{formatDateTime(answer.createdAt, timeZone)}</Badge>
            </InlineStack>
            {answer.lines.map(([label, value]) => (
              <Text key={label} as="p" variant="bodySm">
                {label}：{value}
              </Text>
            ))}
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}

// The scenario editor page: details, the timeline, and on the side the status, starting by hand and the settings.
// Save posts the whole draft; the answer's errors are shown at their fields, in the merchant's language.
import type { SerializeFrom } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Box, FormLayout, Layout, Modal, Page, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { useRouteAction } from "../../components/use-route-action";
import { ConfirmModal } from "../../components/confirm-modal";
import { SectionCard } from "../../components/section-card";
import { isMessageKey, useT } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import { DEFAULT_UTM } from "../constants";
import type { editorPage } from "../pages.server";
import { newKey, newStep, toInput, type FieldError, type ScenarioDraft } from "./draft";
import { ScenarioStatusBadge } from "./labels";
import { InFlightBanner, StartForSegmentCard, StatusCard } from "./runs-card";
import { SettingsCard } from "./settings-card";
import { TimelineEditor } from "./timeline-editor";

type Data = SerializeFrom<Awaited<ReturnType<typeof editorPage>>>;
type Answer = { ok: true; intent: string; count?: number } | { ok: false; errors: Record<string, string> };

function initialDraft(data: Data): ScenarioDraft {
  const s = data.scenario;
  if (!s) {
    return {
      name: "",
      lineAccountId: data.accounts[0]?.id ?? "",
      trigger: { type: "follow", refollow: "ignore" },
      exitRules: [{ type: "blocked" }],
      allowReentry: false,
      quietHours: true,
      quietStart: "22:00",
      quietEnd: "08:00",
      latenessHours: 24,
      utmParams: DEFAULT_UTM,
      steps: [newStep(true)],
    };
  }
  const { id: _id, status: _status, steps, ...rest } = s;
  return { ...rest, steps: steps.map(({ id, delay, messages, condition, onConditionFail, actions }) => ({ id, key: id ?? newKey(), delay, messages, condition, onConditionFail, actions })) };
}

/** The words for an error value: an i18n key from any dictionary, or words the server wrote. */
function useWords() {
  const t = useT();
  return (value: string) => (isMessageKey(value) ? t(value as MessageKey) : value);
}

export function ScenarioEditor({ data }: { data: Data }) {
  const t = useT();
  const words = useWords();
  const navigate = useNavigate();
  const [draft, setDraft] = useState(() => initialDraft(data));
  const [saved, setSaved] = useState(() => JSON.stringify(toInput(initialDraft(data))));
  const [notice, setNotice] = useState<string>();
  const [confirm, setConfirm] = useState<"delete" | "start" | null>(null);
  const [segmentId, setSegmentId] = useState("");
  const { fetcher, errors, setErrors, busy } = useRouteAction<() => Promise<Answer>>((done) => {
    setConfirm(null);
    if (done.intent === "save") {
      setSaved(JSON.stringify(toInput(draft)));
      setNotice(t("scenarioPages.saved"));
    } else if (done.intent === "start") setNotice(t("scenarioPages.start.started", { count: (done.count ?? 0).toLocaleString() }));
    else if (done.intent === "status") setNotice(undefined);
  });
  const s = data.scenario;
  /** A field's error goes away once the field is edited; a step's once the step is (all steps' when they move). */
  const clearErrors = (prefixes: string[]) =>
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([path]) => !prefixes.some((p) => path === p || path.startsWith(`${p}.`)))));
  const set = (patch: Partial<ScenarioDraft>, stepIndex?: number) => {
    setDraft((current) => ({ ...current, ...patch }));
    const fields = Object.keys(patch).filter((key) => key !== "steps");
    if ("steps" in patch) fields.push(stepIndex === undefined ? "steps" : `steps.${stepIndex}`);
    if (Object.keys(errors).length) clearErrors(fields);
  };
  const dirty = JSON.stringify(toInput(draft)) !== saved;
  const submit = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post" });
  const pending = (intent: string) => busy && fetcher.formData?.get("intent") === intent;
  const error: FieldError = (...paths) => {
    const found = paths.map((path) => errors[path]).find(Boolean);
    return found ? words(found) : undefined;
  };
  const errorCount = Object.keys(errors).length;
  const formError = errors.form ? words(errors.form) : undefined;
  const removed = s ? s.steps.filter((step) => !draft.steps.some((d) => d.id === step.id)).length : 0;
  const sender = data.accounts.find((a) => a.id === draft.lineAccountId)?.displayName;

  return (
    <Page
      title={s ? s.name : t("scenarioPages.newTitle")}
      titleMetadata={s ? <ScenarioStatusBadge status={s.status} /> : undefined}
      backAction={{ content: t("scenarioPages.title"), onAction: () => navigate("/app/scenarios") }}
      primaryAction={{ content: t("scenarioPages.save"), onAction: () => submit({ intent: "save", scenario: JSON.stringify(toInput(draft)) }), loading: pending("save"), disabled: Boolean(s) && !dirty }}
      secondaryActions={s ? [{ content: t("scenarioPages.results.open"), url: `/app/scenarios/${s.id}/results` }, { content: t("scenarioPages.delete"), destructive: true, onAction: () => setConfirm("delete") }] : []}
    >
      <Layout>
        {errorCount > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={formError ?? t("scenarioPages.errors.title", { count: errorCount })}>
              {!formError && <p>{t("scenarioPages.errors.body")}</p>}
            </Banner>
          </Layout.Section>
        )}
        {notice && (
          <Layout.Section>
            <Banner tone="success" onDismiss={() => setNotice(undefined)}>
              {notice}
            </Banner>
          </Layout.Section>
        )}
        {s && data.runs.active > 0 && (
          <Layout.Section>
            <InFlightBanner active={data.runs.active} removed={removed} />
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <SectionCard title={t("scenarioPages.details.heading")}>
              <FormLayout>
                <TextField label={t("scenarioPages.details.name")} value={draft.name} onChange={(name) => set({ name })} autoComplete="off" maxLength={100} error={error("name")} />
                <Select
                  label={t("scenarioPages.details.account")}
                  options={data.accounts.map((a) => ({ label: a.displayName, value: a.id }))}
                  value={draft.lineAccountId}
                  onChange={(lineAccountId) => set({ lineAccountId })}
                  disabled={Boolean(s)}
                  helpText={s ? t("scenarioPages.details.accountFixed") : undefined}
                  error={error("lineAccountId")}
                />
              </FormLayout>
            </SectionCard>
            <TimelineEditor draft={draft} set={set} tags={data.tags} timeZone={data.timeZone} sender={sender} figures={data.figures} errors={errors} words={words} error={error} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            {s && (
              <StatusCard
                status={s.status}
                runs={data.runs}
                busy={pending("status")}
                disabled={dirty && s.status === "off"}
                onToggle={() => submit({ intent: "status", status: s.status === "on" ? "off" : "on" })}
                resultsUrl={`/app/scenarios/${s.id}/results`}
              />
            )}
            {s && (
              <StartForSegmentCard
                segments={data.segments}
                disabled={s.status !== "on" ? t("scenarioPages.start.needsOn") : dirty ? t("scenarioPages.start.saveFirst") : null}
                busy={pending("start")}
                onStart={(id) => {
                  setSegmentId(id);
                  setConfirm("start");
                }}
              />
            )}
            <SettingsCard value={draft} onChange={set} timeZone={data.timeZone} error={error} />
            {!s && (
              <Box paddingInline={{ xs: "400", sm: "0" }}>
                <Text as="p" tone="subdued">
                  {t("scenarioPages.newHelp")}
                </Text>
              </Box>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
      {confirm === "delete" && s && (
        <ConfirmModal title={t("scenarioPages.deleteTitle", { name: s.name })} confirm={t("scenarioPages.delete")} cancel={t("scenarioPages.cancel")} loading={pending("delete")} error={formError} onClose={() => setConfirm(null)} onConfirm={() => submit({ intent: "delete" })}>
          <Text as="p">{t(data.runs.active > 0 ? "scenarioPages.deleteBodyRuns" : "scenarioPages.deleteBody", { count: data.runs.active.toLocaleString() })}</Text>
        </ConfirmModal>
      )}
      {confirm === "start" && s && (
        <Modal
          open
          title={t("scenarioPages.start.confirmTitle", { name: s.name })}
          onClose={() => setConfirm(null)}
          primaryAction={{ content: t("scenarioPages.start.button"), loading: pending("start"), onAction: () => submit({ intent: "start", segmentId }) }}
          secondaryActions={[{ content: t("scenarioPages.cancel"), onAction: () => setConfirm(null) }]}
        >
          <Modal.Section>
            <BlockStack gap="200">
              {error("segmentId", "form") && <Banner tone="critical">{error("segmentId", "form")}</Banner>}
              <Text as="p">{t("scenarioPages.start.confirmBody", { segment: data.segments.find((x) => x.id === segmentId)?.name ?? "" })}</Text>
            </BlockStack>
          </Modal.Section>
        </Modal>
      )}
    </Page>
  );
}

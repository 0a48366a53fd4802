// The scenario editor page: details, the timeline, and on the side the status, starting by hand and the settings.
// Save posts the whole draft; the answer's errors are shown at their fields, in the merchant's language.
import type { SerializeFrom } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Box, FormLayout, Layout, Modal, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useDraft } from "../../components/draft";
import { UnsavedChangesBar } from "../../components/save-bar";
import { useToast } from "../../components/toast";
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
type Answer = { ok: true; intent: string; count?: number; id?: string } | { ok: false; errors: Record<string, string> };

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
  const toast = useToast();
  const stored = useDraft(initialDraft(data));
  const draft = stored.value;
  const setDraft = stored.setValue;
  const [goTo, setGoTo] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<"delete" | "start" | null>(null);
  const [segmentId, setSegmentId] = useState("");
  const { fetcher, errors, setErrors, busy } = useRouteAction<() => Promise<Answer>>((done) => {
    setConfirm(null);
    if (done.intent === "save") {
      stored.saved();
      toast(t("scenarioPages.saved"));
      if (done.id && !data.scenario) setGoTo(`/app/scenarios/${done.id}`);
    } else if (done.intent === "start") toast(t("scenarioPages.start.started", { count: (done.count ?? 0).toLocaleString() }));
    else if (done.intent === "delete") {
      toast(t("scenarioPages.deleted"));
      setGoTo("/app/scenarios");
    }
  });
  // Moves on (a new scenario to its address, a deleted one to the list) once nothing is left unsaved.
  const leaving = goTo === "/app/scenarios";
  useEffect(() => {
    if (goTo && (leaving || !stored.dirty)) navigate(goTo, { replace: !leaving });
  }, [goTo, leaving, stored.dirty, navigate]);
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
  // Compared as the server stores it (toInput), so reordering keys or a fresh step key is not a change.
  const dirty = JSON.stringify(toInput(draft)) !== JSON.stringify(toInput(stored.stored)) && !leaving;
  const save = () => {
    stored.submitting(draft);
    submit({ intent: "save", scenario: JSON.stringify(toInput(draft)) });
  };
  const discard = () => {
    setErrors({});
    stored.discard();
  };
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
      primaryAction={{ content: t("scenarioPages.save"), onAction: save, loading: pending("save"), disabled: Boolean(s) && !dirty }}
      secondaryActions={s ? [{ content: t("scenarioPages.results.open"), url: `/app/scenarios/${s.id}/results` }, { content: t("scenarioPages.delete"), destructive: true, onAction: () => setConfirm("delete") }] : []}
    >
      <UnsavedChangesBar id="scenario-save-bar" dirty={dirty} saving={pending("save")} onSave={save} onDiscard={discard} />
      <Layout>
        {errorCount > 0 && (
          <Layout.Section>
            <Banner tone="critical" title={formError ?? t("scenarioPages.errors.title", { count: errorCount })}>
              {!formError && <p>{t("scenarioPages.errors.body")}</p>}
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

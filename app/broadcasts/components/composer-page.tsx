// The broadcast composer page: details and audience, messages, link parameters on the left; sending, quota and
// test sends on the right. The contextual save bar shows while the draft differs from what is stored; saving,
// deleting and test sends say so in a toast, errors stay critical banners.
import type { SerializeFrom } from "@remix-run/node";
import { useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, ChoiceList, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { ConfirmModal } from "../../components/confirm-modal";
import { useDraft } from "../../components/draft";
import { NoAccountPage } from "../../components/no-account-page";
import { UnsavedChangesBar } from "../../components/save-bar";
import { useToast } from "../../components/toast";
import { useRouteAction } from "../../components/use-route-action";
import { useT } from "../../i18n/i18n";
import { MessageComposer } from "../../messages/composer";
import { defaultUtm } from "../status";
import type { composerPage } from "../pages.server";
import { DeliveryOptions, DetailsCard, LinksCard, QuotaCard, TestersCard, type ComposerState } from "./composer";
import { StatusBadge, useShopTime } from "./labels";

/** What the composer route's action answers (a send now redirects to the results instead). */
export type ComposerAnswer =
  | { ok: true; intent: string; count: number; id?: string }
  | { ok: false; errors: Record<string, string>; detail: string[]; messageErrors: Record<string, string> };

type Data = SerializeFrom<typeof composerPage>;

function initialState(data: Data): ComposerState {
  const b = data.broadcast;
  return {
    name: b?.name ?? "",
    lineAccountId: b?.lineAccountId ?? data.accounts[0]?.id ?? "",
    audience: b?.audience ?? { type: "all" },
    utmParams: b?.utmParams ?? defaultUtm(""),
    quietHours: b?.quietHours ?? true,
    quietStart: b?.quietStart ?? "22:00",
    quietEnd: b?.quietEnd ?? "08:00",
    overQuota: b?.overQuota ?? "refuse",
    messages: (b?.messages as ComposerState["messages"]) ?? [{ type: "text", text: "" }],
  };
}

export function BroadcastComposerPage({ data }: { data: Data }) {
  const t = useT();
  const navigate = useNavigate();
  const shopTime = useShopTime(data.timeZone);
  const toast = useToast();
  const draft = useDraft(initialState(data));
  const state = draft.value;
  const setState = draft.setValue;
  const [goTo, setGoTo] = useState<string | null>(null);
  const [utmTouched, setUtmTouched] = useState(Boolean(data.broadcast));
  const [mode, setMode] = useState<"now" | "schedule">(data.scheduled ? "schedule" : "now");
  const [date, setDate] = useState(data.scheduled?.date ?? "");
  const [time, setTime] = useState(data.scheduled?.time ?? "10:00");
  const [confirming, setConfirming] = useState(false);
  const { fetcher, fieldError, answer, busy } = useRouteAction<() => Promise<ComposerAnswer>>((done) => {
    setConfirming(false);
    if (done.intent === "save") {
      draft.saved();
      toast(t("broadcasts.form.saved"));
      if (done.id) setGoTo(`/app/broadcasts/${done.id}`);
    }
    if (done.intent === "test") toast(t("broadcasts.test.sent", { count: done.count }));
    if (done.intent === "delete") {
      toast(t("broadcasts.form.deleted"));
      setGoTo("/app/broadcasts");
    }
  });
  // Moves on (a new draft to its address, a deleted one to the list) once nothing is left unsaved.
  useEffect(() => {
    if (goTo && (!draft.dirty || goTo === "/app/broadcasts")) navigate(goTo, { replace: goTo !== "/app/broadcasts" });
  }, [goTo, draft.dirty, navigate]);
  const set = (patch: Partial<ComposerState>) => {
    if ("utmParams" in patch) setUtmTouched(true);
    setState((current) => ({ ...current, ...patch, ...(patch.name !== undefined && !utmTouched && !("utmParams" in patch) ? { utmParams: defaultUtm(patch.name) } : {}) }));
  };
  const dirty = draft.dirty;
  const submit = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post" });
  const save = () => {
    draft.submitting(state);
    submit({ intent: "save", broadcast: JSON.stringify({ ...state, messages: undefined }), messages: JSON.stringify(state.messages) });
  };
  const detail = answer && !answer.ok ? answer.detail : [];
  // The composer's own errors by path ("0.text"), and LINE's reasons above the messages ("line.0").
  const messageErrors = answer && !answer.ok ? answer.messageErrors : {};

  if (data.accounts.length === 0) return <NoAccountPage title={t("broadcasts.title")} messages="broadcasts" />;
  const b = data.broadcast;
  const canSend = Boolean(b) && !dirty && Boolean(data.summary) && (data.summary!.fits || state.overQuota === "fit") && (data.summary!.willSend > 0);
  return (
    <Page
      title={b ? b.name : t("broadcasts.form.newTitle")}
      titleMetadata={b ? <StatusBadge status={b.status} /> : undefined}
      backAction={{ content: t("broadcasts.title"), onAction: () => navigate("/app/broadcasts") }}
      primaryAction={{ content: t("broadcasts.form.save"), onAction: save, loading: busy && fetcher.formData?.get("intent") === "save", disabled: !dirty && Boolean(b) }}
      secondaryActions={b?.status === "draft" ? [{ content: t("broadcasts.form.delete"), destructive: true, onAction: () => submit({ intent: "delete" }) }] : []}
    >
      <UnsavedChangesBar id="broadcast-save-bar" dirty={dirty && goTo !== "/app/broadcasts"} saving={busy && fetcher.formData?.get("intent") === "save"} onSave={save} onDiscard={draft.discard} />
      <Layout>
        {(fieldError("form") || detail.length > 0) && (
          <Layout.Section>
            <Banner tone="critical" title={fieldError("form", "messages")}>
              {detail.map((line) => (
                <p key={line}>{line}</p>
              ))}
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <DetailsCard state={state} set={set} accounts={data.accounts} tags={data.tags} segments={data.segments} error={fieldError} />
            <MessageComposer
              value={state.messages}
              onChange={(messages) => set({ messages })}
              errors={messageErrors}
              utm={Object.fromEntries(new URLSearchParams(state.utmParams))}
              sender={data.accounts.find((a) => a.id === state.lineAccountId)?.displayName}
            />
            <LinksCard state={state} set={set} error={fieldError} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  {t("broadcasts.send.heading")}
                </Text>
                {b?.status === "scheduled" && b.scheduledAt && <Banner tone="info">{t("broadcasts.send.scheduledFor", { when: shopTime(b.scheduledAt) })}</Banner>}
                <ChoiceList title="" titleHidden choices={[{ label: t("broadcasts.send.now"), value: "now" }, { label: t("broadcasts.send.schedule"), value: "schedule" }]} selected={[mode]} onChange={([value]) => setMode(value as "now" | "schedule")} />
                {mode === "schedule" && (
                  <InlineStack gap="200" wrap>
                    <TextField label={t("broadcasts.send.date")} type="date" value={date} onChange={setDate} autoComplete="off" error={fieldError("date", "when")} />
                    <TextField label={t("broadcasts.send.time", { timeZone: data.timeZone })} type="time" value={time} onChange={setTime} autoComplete="off" error={fieldError("time")} />
                  </InlineStack>
                )}
                <DeliveryOptions state={state} set={set} timeZone={data.timeZone} error={fieldError} />
                {!b || dirty ? <Text as="p" tone="subdued">{t("broadcasts.send.saveFirst")}</Text> : null}
                <InlineStack gap="200">
                  <Button variant="primary" disabled={!canSend} onClick={() => setConfirming(true)}>
                    {t("broadcasts.send.review")}
                  </Button>
                  {b?.status === "scheduled" && <Button onClick={() => submit({ intent: "unschedule" })}>{t("broadcasts.send.unschedule")}</Button>}
                </InlineStack>
              </BlockStack>
            </Card>
            {data.summary && <QuotaCard summary={data.summary} overQuota={state.overQuota} />}
            {b && <TestersCard testers={data.testers} disabled={dirty} busy={busy && fetcher.formData?.get("intent") === "test"} onSend={() => submit({ intent: "test" })} />}
          </BlockStack>
        </Layout.Section>
      </Layout>
      {confirming && b && data.summary && (
        <ConfirmModal
          title={t("broadcasts.confirm.title", { name: b.name })}
          confirm={t("broadcasts.confirm.send")}
          cancel={t("broadcasts.confirm.cancel")}
          loading={busy}
          error={fieldError("form", "when", "date", "time")}
          onClose={() => setConfirming(false)}
          onConfirm={() => submit({ intent: "schedule", mode, date, time })}
        >
          <Text as="p">
            {mode === "now"
              ? t("broadcasts.confirm.bodyNow", { recipients: data.summary.willSend.toLocaleString(), cost: data.summary.willSend.toLocaleString(), remaining: data.summary.quota.remaining === null ? t("broadcasts.quota.unlimited") : data.summary.quota.remaining.toLocaleString() })
              : t("broadcasts.confirm.bodyLater", { recipients: data.summary.willSend.toLocaleString(), when: `${date} ${time} (${data.timeZone})` })}
          </Text>
        </ConfirmModal>
      )}
    </Page>
  );
}

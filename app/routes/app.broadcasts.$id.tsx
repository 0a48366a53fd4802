import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, ChoiceList, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { deleteDraft, getBroadcast, saveBroadcast, scheduleBroadcast, testSend, unschedule } from "../broadcasts/broadcasts.server";
import { DeliveryOptions, DetailsCard, LinksCard, QuotaCard, TestersCard, type ComposerState } from "../broadcasts/components/composer";
import { StatusBadge, useShopTime } from "../broadcasts/components/labels";
import { whenSchema } from "../broadcasts/schemas.server";
import { defaultUtm, EDITABLE } from "../broadcasts/status";
import { composerPage } from "../broadcasts/pages.server";
import { ConfirmModal } from "../components/confirm-modal";
import { MessageComposer } from "../messages/composer";
import { NoAccountPage } from "../components/no-account-page";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const broadcast = params.id === "new" ? null : await getBroadcast(session.shop, params.id ?? "");
  if (params.id !== "new" && !broadcast) throw new Response("Not found", { status: 404 });
  if (broadcast && !EDITABLE.includes(broadcast.status as never)) throw redirect(`/app/broadcasts/${broadcast.id}/results`);
  return composerPage(session.shop, broadcast);
};

const parseJson = (value: FormDataEntryValue | null) => {
  try {
    return JSON.parse(String(value ?? "null")) as unknown;
  } catch {
    return null;
  }
};

const fail = (errors: Record<string, string>, status = 422, detail?: string[], messageErrors?: Record<string, string>) =>
  json({ ok: false as const, errors, detail: detail ?? [], messageErrors: messageErrors ?? {} }, { status });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = params.id === "new" ? null : (params.id ?? "");
  const notFound = (errors: Record<string, string>) => (errors.form === "broadcasts.error.notFound" ? 404 : errors.form === "broadcasts.error.notEditable" ? 409 : 422);
  if (intent === "save") {
    const result = await saveBroadcast(session.shop, id, parseJson(form.get("broadcast")), parseJson(form.get("messages")));
    if (!result.ok) return fail(result.errors, notFound(result.errors), undefined, result.messageErrors);
    return id ? json({ ok: true as const, intent, count: 0 }) : redirect(`/app/broadcasts/${result.broadcast.id}`);
  }
  if (!id) return fail({ form: "broadcasts.error.notFound" }, 404);
  if (intent === "schedule") {
    const when = whenSchema.safeParse({ mode: form.get("mode"), date: form.get("date"), time: form.get("time") });
    if (!when.success) return fail(Object.fromEntries(when.error.issues.map((issue) => [issue.path.join(".") || "when", issue.message])));
    const result = await scheduleBroadcast(session.shop, id, when.data);
    if (!result.ok) return fail(result.errors, notFound(result.errors), undefined, result.messageErrors);
    return when.data.mode === "now" ? redirect(`/app/broadcasts/${id}/results`) : json({ ok: true as const, intent, count: 0 });
  }
  if (intent === "unschedule" || intent === "test" || intent === "delete") {
    const result = intent === "unschedule" ? await unschedule(session.shop, id) : intent === "test" ? await testSend(session.shop, id) : await deleteDraft(session.shop, id);
    if (!result.ok) return fail(result.errors, notFound(result.errors));
    if (intent === "delete") return redirect("/app/broadcasts");
    return json({ ok: true as const, intent, count: "testers" in result ? result.testers : 0 });
  }
  return fail({ form: "broadcasts.error.intent" }, 400);
};

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

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

export default function BroadcastComposer() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const shopTime = useShopTime(data.timeZone);
  const [state, setState] = useState(() => initialState(data));
  const [saved, setSaved] = useState(() => JSON.stringify(initialState(data)));
  const [utmTouched, setUtmTouched] = useState(Boolean(data.broadcast));
  const [mode, setMode] = useState<"now" | "schedule">(data.scheduled ? "schedule" : "now");
  const [date, setDate] = useState(data.scheduled?.date ?? "");
  const [time, setTime] = useState(data.scheduled?.time ?? "10:00");
  const [confirming, setConfirming] = useState(false);
  const [notice, setNotice] = useState<string>();
  const { fetcher, fieldError, answer, busy } = useRouteAction<typeof action>((done) => {
    if (done.intent === "save") setSaved(JSON.stringify(state));
    setConfirming(false);
    setNotice(done.intent === "test" ? t("broadcasts.test.sent", { count: done.count }) : done.intent === "save" ? t("broadcasts.form.saved") : undefined);
  });
  const set = (patch: Partial<ComposerState>) => {
    if ("utmParams" in patch) setUtmTouched(true);
    setState((current) => ({ ...current, ...patch, ...(patch.name !== undefined && !utmTouched && !("utmParams" in patch) ? { utmParams: defaultUtm(patch.name) } : {}) }));
  };
  const dirty = JSON.stringify(state) !== saved;
  const submit = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post" });
  const save = () => submit({ intent: "save", broadcast: JSON.stringify({ ...state, messages: undefined }), messages: JSON.stringify(state.messages) });
  const detail = answer && !answer.ok && "detail" in answer ? answer.detail : [];
  // The composer's own errors by path ("0.text"), and LINE's reasons above the messages ("line.0").
  const messageErrors = answer && !answer.ok && "messageErrors" in answer ? answer.messageErrors : {};

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
        {notice && (
          <Layout.Section>
            <Banner tone="success" onDismiss={() => setNotice(undefined)}>
              {notice}
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

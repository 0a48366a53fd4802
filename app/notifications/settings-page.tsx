// The notification settings page: one card per staff member (details, channels with their event toggles, LINE
// link code, test send), then the recent notifications. Each card saves through the route's action.
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Card,
  Checkbox,
  DataTable,
  Divider,
  FormLayout,
  InlineGrid,
  InlineStack,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useCallback, useEffect, useRef, useState } from "react";
import { UnsavedChangesBar } from "../components/save-bar";
import { useToast } from "../components/toast";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { CHANNEL_TYPES, DIGEST_CHOICES, EVENT_TYPES, type ChannelType, type EventToggle } from "./events";
import type { RecentNotification, StaffView } from "./staff.server";

export type SettingsData = { staff: StaffView[]; recent: RecentNotification[]; accountName: string | null };

type ActionAnswer =
  | { ok: true; intent: string; code?: string; expiresAt?: string }
  | { ok: false; errors: Record<string, string> };

const blankStaff = (): StaffView => ({
  id: "",
  name: "",
  email: "",
  language: "ja",
  digestMinutes: 15,
  quotaThreshold: 1000,
  channels: CHANNEL_TYPES.map((type) => ({ type, enabled: false, target: "", secretLast4: null, events: [...EVENT_TYPES], linked: false })),
});

/** What a staff card tells the page: whether it differs from what is stored, and how to save or discard it. */
type CardHandle = { dirty: boolean; saving: boolean; save: () => void; discard: () => void };
type Report = (key: string, handle: CardHandle | null) => void;

export function NotificationSettingsPage({ data }: { data: SettingsData }) {
  const t = useT();
  const [adding, setAdding] = useState(false);
  // One save bar for the page: Save saves every card with changes, Discard puts each back.
  const cards = useRef(new Map<string, CardHandle>());
  const [changed, setChanged] = useState<{ dirty: string[]; saving: boolean }>({ dirty: [], saving: false });
  const report = useCallback<Report>((key, handle) => {
    if (handle) cards.current.set(key, handle);
    else cards.current.delete(key);
    const all = [...cards.current.entries()];
    setChanged({ dirty: all.filter(([, card]) => card.dirty).map(([k]) => k), saving: all.some(([, card]) => card.saving) });
  }, []);
  const each = (run: (card: CardHandle) => void) => changed.dirty.forEach((key) => cards.current.get(key) && run(cards.current.get(key)!));
  return (
    <Page title={t("notifications.title")} subtitle={t("notifications.intro")} primaryAction={{ content: t("notifications.staff.add"), onAction: () => setAdding(true), disabled: adding }}>
      <UnsavedChangesBar
        id="notifications-save-bar"
        dirty={changed.dirty.length > 0}
        saving={changed.saving}
        onSave={() => each((card) => card.save())}
        onDiscard={() => each((card) => card.discard())}
      />
      <BlockStack gap="400">
        {data.staff.length === 0 && !adding ? (
          <Card>
            <Text as="p" tone="subdued">
              {t("notifications.staff.empty")}
            </Text>
          </Card>
        ) : null}
        {data.staff.map((member) => (
          <StaffCard key={member.id} member={member} accountName={data.accountName} report={report} />
        ))}
        {adding ? <StaffCard member={blankStaff()} accountName={data.accountName} report={report} onSaved={() => setAdding(false)} onDiscard={() => setAdding(false)} /> : null}
        <RecentCard recent={data.recent} />
      </BlockStack>
    </Page>
  );
}

const NO_SECRETS = { chatworkToken: "", slackUrl: "" };

function StaffCard(props: { member: StaffView; accountName: string | null; report: Report; onSaved?: () => void; onDiscard?: () => void }) {
  const { member, accountName, onSaved } = props;
  const t = useT();
  const toast = useToast();
  const [stored, setStored] = useState(member);
  const [draft, setDraft] = useState(member);
  const [secrets, setSecrets] = useState(NO_SECRETS);
  const submitted = useRef(member);
  const action = useRouteAction<() => Promise<ActionAnswer>>((answer) => {
    const done = answer as unknown as ActionAnswer;
    if (!done.ok) return;
    if (done.intent === "save") {
      // Secrets are kept by the server and never shown again: the fields empty once stored.
      setStored(submitted.current);
      setSecrets(NO_SECRETS);
      toast(t("notifications.staff.saved"));
      onSaved?.();
    } else if (done.intent === "test") toast(t("notifications.testSent"));
    else if (done.intent === "delete") toast(t("notifications.staff.deleted"));
  });
  const dirty = !member.id || JSON.stringify(draft) !== JSON.stringify(stored) || Boolean(secrets.chatworkToken || secrets.slackUrl);
  const discard = () => {
    if (!member.id) return props.onDiscard?.();
    setDraft(stored);
    setSecrets(NO_SECRETS);
    action.setErrors({});
  };
  const answer = action.answer as ActionAnswer | undefined;
  const channel = (type: ChannelType) => draft.channels.find((c) => c.type === type)!;
  const setChannel = (type: ChannelType, change: Partial<StaffView["channels"][number]>) =>
    setDraft((current) => ({ ...current, channels: current.channels.map((c) => (c.type === type ? { ...c, ...change } : c)) }));
  const submit = (intent: string, extra: Record<string, string> = {}) =>
    action.fetcher.submit({ intent, id: member.id, ...extra }, { method: "post" });
  const save = () => {
    const channels = Object.fromEntries(
      CHANNEL_TYPES.map((type) => {
        const c = channel(type);
        const base = { enabled: c.enabled, events: c.events };
        if (type === "chatwork") return [type, { ...base, room: c.target, token: secrets.chatworkToken }];
        if (type === "slack") return [type, { ...base, url: secrets.slackUrl }];
        return [type, base];
      }),
    );
    const { name, email, language, digestMinutes, quotaThreshold } = draft;
    submitted.current = draft;
    submit("save", { data: JSON.stringify({ name, email, language, digestMinutes, quotaThreshold: String(quotaThreshold), channels }) });
  };
  const formError = action.errors.form ? t(action.errors.form as MessageKey) : null;
  // The page's save bar reaches this card's latest save and discard.
  const latest = useRef({ save, discard });
  latest.current = { save, discard };
  const key = member.id || "new";
  const { report } = props;
  const saving = action.busy && action.fetcher.formData?.get("intent") === "save";
  useEffect(() => {
    report(key, { dirty, saving, save: () => latest.current.save(), discard: () => latest.current.discard() });
  }, [report, key, dirty, saving]);
  useEffect(() => () => report(key, null), [report, key]);

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {member.id ? <span translate="no">{member.name}</span> : t("notifications.staff.add")}
          </Text>
        </InlineStack>
        {formError ? <Banner tone="critical">{formError}</Banner> : null}
        <FormLayout>
          <FormLayout.Group>
            <TextField label={t("notifications.staff.name")} value={draft.name} onChange={(name) => setDraft({ ...draft, name })} autoComplete="off" error={action.fieldError("name")} />
            <TextField label={t("notifications.staff.email")} type="email" value={draft.email} onChange={(email) => setDraft({ ...draft, email })} autoComplete="off" error={action.fieldError("email")} />
          </FormLayout.Group>
          <FormLayout.Group>
            <Select
              label={t("notifications.staff.language")}
              options={[{ label: "日本語", value: "ja" }, { label: "English", value: "en" }]}
              value={draft.language}
              onChange={(language) => setDraft({ ...draft, language: language as "ja" | "en" })}
            />
            <Select
              label={t("notifications.staff.digest")}
              options={DIGEST_CHOICES.map((minutes) => ({ label: t(`notifications.staff.digest.${minutes}`), value: String(minutes) }))}
              value={String(draft.digestMinutes)}
              onChange={(value) => setDraft({ ...draft, digestMinutes: Number(value) })}
            />
            <TextField
              label={t("notifications.staff.threshold")}
              type="number"
              value={String(draft.quotaThreshold)}
              onChange={(value) => setDraft({ ...draft, quotaThreshold: value === "" ? ("" as unknown as number) : Number(value) })}
              autoComplete="off"
              error={action.fieldError("quotaThreshold")}
            />
          </FormLayout.Group>
        </FormLayout>
        <Divider />
        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          {CHANNEL_TYPES.map((type) => (
            <Box key={type} padding="300" borderWidth="025" borderColor="border" borderRadius="200">
              <BlockStack gap="200">
                <Checkbox label={<Text as="span" fontWeight="semibold">{t(`notifications.channel.${type}`)}</Text>} checked={channel(type).enabled} onChange={(enabled) => setChannel(type, { enabled })} />
                {type === "chatwork" ? (
                  <>
                    <TextField label={t("notifications.channel.chatworkRoom")} value={channel(type).target} onChange={(target) => setChannel(type, { target })} autoComplete="off" error={action.fieldError("chatworkRoom")} />
                    <TextField
                      label={t("notifications.channel.chatworkToken")}
                      type="password"
                      value={secrets.chatworkToken}
                      onChange={(chatworkToken) => setSecrets({ ...secrets, chatworkToken })}
                      autoComplete="off"
                      helpText={channel(type).secretLast4 ? t("notifications.channel.secretKept", { last4: channel(type).secretLast4! }) : undefined}
                      error={action.fieldError("chatworkToken")}
                    />
                  </>
                ) : null}
                {type === "slack" ? (
                  <TextField
                    label={t("notifications.channel.slackUrl")}
                    value={secrets.slackUrl}
                    onChange={(slackUrl) => setSecrets({ ...secrets, slackUrl })}
                    autoComplete="off"
                    placeholder="https://hooks.slack.com/services/…"
                    helpText={channel(type).secretLast4 ? t("notifications.channel.secretKept", { last4: channel(type).secretLast4! }) : undefined}
                    error={action.fieldError("slackUrl")}
                  />
                ) : null}
                {type === "line" ? (
                  <LineLink member={member} linked={channel(type).linked} accountName={accountName} answer={answer} onCreate={() => submit("link")} />
                ) : null}
                {channel(type).enabled ? (
                  <BlockStack gap="100">
                    <Text as="span" variant="bodySm" tone="subdued">
                      {t("notifications.events")}
                    </Text>
                    {EVENT_TYPES.map((event) => (
                      <Checkbox
                        key={event}
                        label={t(`notifications.event.${event}`)}
                        checked={channel(type).events.includes(event)}
                        onChange={(on) =>
                          setChannel(type, { events: on ? [...channel(type).events, event] : channel(type).events.filter((e: EventToggle) => e !== event) })
                        }
                      />
                    ))}
                  </BlockStack>
                ) : null}
              </BlockStack>
            </Box>
          ))}
        </InlineGrid>
        <InlineStack gap="200" align="end">
          {member.id ? (
            <>
              <Button tone="critical" variant="plain" onClick={() => submit("delete")}>
                {t("notifications.staff.delete")}
              </Button>
              <Button onClick={() => submit("test")}>{t("notifications.test")}</Button>
            </>
          ) : null}
          <Button variant="primary" onClick={save} loading={action.busy}>
            {t("notifications.staff.save")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

function LineLink(props: { member: StaffView; linked: boolean; accountName: string | null; answer: ActionAnswer | undefined; onCreate: () => void }) {
  const t = useT();
  const code = props.answer?.ok && props.answer.intent === "link" ? props.answer.code : null;
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={props.linked ? "success" : undefined}>{t(props.linked ? "notifications.channel.lineLinked" : "notifications.channel.lineNotLinked")}</Badge>
        {props.member.id && props.accountName ? (
          <Button variant="plain" onClick={props.onCreate}>
            {t("notifications.link.create")}
          </Button>
        ) : null}
      </InlineStack>
      {!props.accountName ? <Text as="p" tone="subdued">{t("notifications.link.noAccount")}</Text> : null}
      {code ? <Banner tone="info">{t("notifications.link.instructions", { account: props.accountName ?? "", code })}</Banner> : null}
      <Text as="p" variant="bodySm" tone="caution">
        {t("notifications.channel.lineQuota")}
      </Text>
    </BlockStack>
  );
}

function RecentCard({ recent }: { recent: RecentNotification[] }) {
  const t = useT();
  const eventKey = (event: string) => (event === "quotaExhausted" ? "quotaLow" : event);
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("notifications.recent.heading")}
        </Text>
        {recent.length === 0 ? (
          <Text as="p" tone="subdued">
            {t("notifications.recent.empty")}
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={[t("notifications.recent.when"), t("notifications.recent.to"), t("notifications.recent.event"), t("notifications.recent.status")]}
            rows={recent.map((row) => [
              new Date(row.createdAt).toLocaleString(),
              `${row.staff} · ${t(`notifications.channel.${row.channel as ChannelType}`)}`,
              row.event === "test" ? t("notifications.test") : t(`notifications.event.${eventKey(row.event) as EventToggle}`),
              <Text key={row.id} as="span" tone={row.status === "failed" ? "critical" : undefined}>
                {t(`notifications.status.${row.status as "sent"}`)}
                {row.error ? ` (${row.error.slice(0, 60)})` : ""}
              </Text>,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

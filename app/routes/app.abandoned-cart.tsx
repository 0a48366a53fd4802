import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  Checkbox,
  ChoiceList,
  FormLayout,
  InlineStack,
  Layout,
  Page,
  Select,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import { buildReminderMessage, ReminderMessageError, type ReminderFlexMessage } from "../abandoned-cart/flex";
import { withQueryParams } from "../abandoned-cart/links";
import { quotaState } from "../abandoned-cart/analytics.server";
import {
  getSettings,
  sampleCart,
  saveSettings,
  searchTestFriends,
  sendTestReminder,
  type PreviewCart,
} from "../abandoned-cart/settings.server";
import { parseReminderSettings } from "../abandoned-cart/settings-schema.server";
import {
  contrastRatio,
  DELAY_OPTIONS,
  queryParamsError,
  readableTextColor,
  RECOMMENDED_DELAY_MINUTES,
  SETTINGS_LIMITS,
} from "../abandoned-cart/settings-rules";
import { AccountPicker, chosenAccount, connectedAccounts } from "../components/account-picker";
import { FlexBubble } from "../components/flex-bubble";
import { NoAccountPage } from "../components/no-account-page";
import { SectionCard } from "../components/section-card";
import { useRouteAction } from "../components/use-route-action";
import { db } from "../db.server";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { listAccounts } from "../line/accounts.server";
import { authenticate } from "../shopify.server";
import { initial } from "../i18n/format";

type AdminGraphql = Awaited<ReturnType<typeof authenticate.admin>>["admin"]["graphql"];
const graphqlOf = (graphql: AdminGraphql) => async () => (query: string, options?: { variables?: Record<string, unknown> }) =>
  graphql(query, options);

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const shop = session.shop;
  const url = new URL(request.url);
  const accounts = connectedAccounts(await listAccounts(shop));
  const selected = chosenAccount(accounts, request);
  // The test panel's friend search asks this loader again with ?friendQuery=.
  const friendQuery = url.searchParams.get("friendQuery");
  if (friendQuery !== null) {
    return { kind: "friends" as const, friends: selected ? await searchTestFriends(shop, selected.id, friendQuery) : [] };
  }
  if (!selected) return { kind: "none" as const };
  const [settings, cart, quota, friends, scheduled, shopRow] = await Promise.all([
    getSettings(shop, selected.id),
    sampleCart(shop, graphqlOf(admin.graphql)),
    quotaState(selected.id),
    searchTestFriends(shop, selected.id),
    db.cartReminder.count({ where: { lineAccountId: selected.id, status: "scheduled" } }),
    db.shop.findUnique({ where: { shop }, select: { timeZone: true } }),
  ]);
  return {
    kind: "page" as const,
    accounts,
    selectedId: selected.id,
    settings,
    cart,
    quota,
    friends,
    scheduled,
    timeZone: shopRow?.timeZone ?? "Asia/Tokyo",
  };
};

type ActionAnswer = {
  ok: boolean;
  intent: "save" | "test" | null;
  errors: Record<string, string>;
  cancelled?: number;
  detail?: string | null;
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, admin } = await authenticate.admin(request);
  const form = await request.formData();
  const lineAccountId = String(form.get("lineAccountId") ?? "");
  const answer = (body: ActionAnswer, status = 200) => json(body, { status });
  switch (form.get("intent")) {
    case "save": {
      const result = await saveSettings(session.shop, lineAccountId, form);
      if ("errors" in result) return answer({ ok: false, intent: "save", errors: result.errors }, 422);
      return answer({ ok: true, intent: "save", errors: {}, cancelled: result.cancelled });
    }
    case "test": {
      // The test uses the settings on screen, saved or not.
      const parsed = parseReminderSettings(form);
      if (parsed.errors) return answer({ ok: false, intent: "test", errors: parsed.errors }, 422);
      const friendId = String(form.get("friendId") ?? "");
      const result = await sendTestReminder(session.shop, lineAccountId, friendId, parsed.data, graphqlOf(admin.graphql));
      if (!result.sent) return answer({ ok: false, intent: "test", errors: { test: result.reason }, detail: result.detail ?? null }, 422);
      return answer({ ok: true, intent: "test", errors: {} });
    }
    default:
      return answer({ ok: false, intent: null, errors: { form: "cart.error.intent" } }, 400);
  }
};

/** The message the worker would send for `cart` with the settings on screen: the same builder, the same links. */
export function previewMessage(
  cart: PreviewCart,
  settings: { title: string; body: string; moreItemsText: string; buttonText: string; headerColor: string; buttonColor: string; queryParams: string },
): ReminderFlexMessage {
  return buildReminderMessage({
    settings,
    items: cart.items.map((item) => ({ ...item, url: withQueryParams(item.url, settings.queryParams) })),
    currency: cart.currency,
    totalPrice: cart.totalPrice,
    recoveryUrl: withQueryParams(cart.recoveryUrl, settings.queryParams),
  });
}

const NO_ACCOUNT_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><path d="M30 38h8l8 34h34l7-24H42" fill="none" stroke="#06c755" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"/><circle cx="50" cy="84" r="5" fill="#06c755"/><circle cx="76" cy="84" r="5" fill="#06c755"/></svg>',
)}`;

type Data = Extract<SerializeFrom<typeof loader>, { kind: "page" }>;

export default function AbandonedCart() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  if (data.kind !== "page") return <NoAccountPage title={t("cart.title")} messages="cart" image={NO_ACCOUNT_IMAGE} />;
  // A new account starts from its own saved settings.
  return <SettingsForm key={data.selectedId} data={data} />;
}

type FormState = {
  enabled: boolean;
  delayMinutes: string;
  tagsToAdd: string[];
  tagsToRemove: string[];
  title: string;
  body: string;
  moreItemsText: string;
  buttonText: string;
  headerColor: string;
  buttonColor: string;
  queryParams: string;
  quietHoursEnabled: boolean;
  quietStart: string;
  quietEnd: string;
  attributionDays: string;
};

function toFormData(state: FormState, extra: Record<string, string>) {
  const form = new FormData();
  for (const [name, value] of Object.entries(extra)) form.set(name, value);
  for (const [name, value] of Object.entries(state)) {
    if (Array.isArray(value)) for (const item of value) form.append(name, item);
    else form.set(name, String(value));
  }
  return form;
}

const HEX = /^#[0-9A-Fa-f]{6}$/;

function SettingsForm({ data }: { data: Data }) {
  const t = useT();
  const { fetcher: save, answer, errors, setErrors, clearError, fieldError: error, busy } = useRouteAction<typeof action>();
  const account = data.accounts.find((a) => a.id === data.selectedId)!;
  const { settings } = data;
  const [state, setState] = useState<FormState>({
    ...settings,
    delayMinutes: String(settings.delayMinutes),
    attributionDays: String(settings.attributionDays),
  });
  const set =
    <K extends keyof FormState>(field: K) =>
    (value: FormState[K]) => {
      clearError(field);
      setState((current) => ({ ...current, [field]: value }));
    };
  const submit = () => save.submit(toFormData(state, { intent: "save", lineAccountId: account.id }), { method: "post" });

  const colorError = (field: "headerColor" | "buttonColor") =>
    error(field) ?? (HEX.test(state[field].trim()) ? undefined : t(`cart.error.${field}`));
  const queryError = error("queryParams") ?? (queryParamsError(state.queryParams) ? t(queryParamsError(state.queryParams) as MessageKey) : undefined);
  const fieldErrors = Object.keys(errors).filter((field) => field !== "form");

  return (
    <Page
      title={t("cart.title")}
      titleMetadata={<Badge tone={settings.enabled ? "success" : undefined}>{t(settings.enabled ? "cart.status.on" : "cart.status.off")}</Badge>}
      primaryAction={{ content: t("cart.save"), onAction: submit, loading: busy }}
      secondaryActions={[{ content: t("cart.analyticsLink"), url: `/app/abandoned-cart/analytics?account=${account.id}` }]}
    >
      <Layout>
        {data.quota.exhausted && (
          <Layout.Section>
            <Banner tone="warning" title={t("cart.quota.title")}>
              {t("cart.quota.body")}
            </Banner>
          </Layout.Section>
        )}
        {(errors.form || fieldErrors.length > 0) && (
          <Layout.Section>
            <Banner tone="critical">{errors.form ? t(errors.form as MessageKey) : t("cart.error.fields")}</Banner>
          </Layout.Section>
        )}
        {answer?.ok && (
          <Layout.Section>
            <Banner tone="success">
              {answer.cancelled ? t("cart.savedCancelled", { count: answer.cancelled }) : t("cart.saved")}
            </Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            {data.accounts.length > 1 && (
              <AccountPicker label={t("cart.account")} accounts={data.accounts} selectedId={account.id} />
            )}
            <SectionCard title={t("cart.section.delay")}>
              <ChoiceList
                title={t("cart.delay.label")}
                titleHidden
                selected={[state.delayMinutes]}
                onChange={([value]) => set("delayMinutes")(value)}
                error={error("delayMinutes")}
                choices={DELAY_OPTIONS.map((minutes) => ({
                  value: String(minutes),
                  label:
                    minutes === RECOMMENDED_DELAY_MINUTES ? (
                      <InlineStack gap="200" blockAlign="center">
                        <span>{delayLabel(t, minutes)}</span>
                        <Badge tone="success">{t("cart.delay.recommended")}</Badge>
                      </InlineStack>
                    ) : (
                      delayLabel(t, minutes)
                    ),
                }))}
              />
              <Text as="p" tone="subdued">
                {t("cart.delay.help")}
              </Text>
            </SectionCard>
            <SectionCard title={t("cart.section.status")}>
              <ChoiceList
                title={t("cart.status.label")}
                titleHidden
                selected={[state.enabled ? "on" : "off"]}
                onChange={([value]) => set("enabled")(value === "on")}
                error={error("enabled")}
                choices={[
                  { value: "on", label: t("cart.status.on"), helpText: t("cart.status.onHelp") },
                  { value: "off", label: t("cart.status.off"), helpText: t("cart.status.offHelp") },
                ]}
              />
              {settings.enabled && !state.enabled && data.scheduled > 0 && (
                <Banner tone="warning">{t("cart.status.willCancel", { count: data.scheduled })}</Banner>
              )}
            </SectionCard>
            <SectionCard title={t("cart.section.advanced")}>
              <TagListField
                label={t("cart.tagsToAdd.label")}
                helpText={t("cart.tagsToAdd.help")}
                values={state.tagsToAdd}
                onChange={set("tagsToAdd")}
                error={error("tagsToAdd")}
              />
              <TagListField
                label={t("cart.tagsToRemove.label")}
                helpText={t("cart.tagsToRemove.help")}
                values={state.tagsToRemove}
                onChange={set("tagsToRemove")}
                error={error("tagsToRemove")}
              />
            </SectionCard>
            <SectionCard title={t("cart.section.message")}>
              <FormLayout>
                <TextField
                  label={t("cart.field.title")}
                  value={state.title}
                  onChange={set("title")}
                  maxLength={SETTINGS_LIMITS.title}
                  showCharacterCount
                  autoComplete="off"
                  error={error("title")}
                />
                <TextField
                  label={t("cart.field.body")}
                  value={state.body}
                  onChange={set("body")}
                  multiline={3}
                  maxLength={SETTINGS_LIMITS.body}
                  showCharacterCount
                  autoComplete="off"
                  error={error("body")}
                />
                <TextField
                  label={t("cart.field.moreItemsText")}
                  helpText={t("cart.field.moreItemsTextHelp")}
                  value={state.moreItemsText}
                  onChange={set("moreItemsText")}
                  maxLength={SETTINGS_LIMITS.moreItemsText}
                  showCharacterCount
                  autoComplete="off"
                  error={error("moreItemsText")}
                />
                <TextField
                  label={t("cart.field.buttonText")}
                  helpText={t("cart.field.buttonTextHelp")}
                  value={state.buttonText}
                  onChange={set("buttonText")}
                  maxLength={SETTINGS_LIMITS.buttonText}
                  showCharacterCount
                  autoComplete="off"
                  error={error("buttonText")}
                />
              </FormLayout>
            </SectionCard>
            <SectionCard title={t("cart.section.colors")}>
              <FormLayout>
                <FormLayout.Group>
                  <ColorField
                    label={t("cart.field.headerColor")}
                    value={state.headerColor}
                    onChange={set("headerColor")}
                    error={colorError("headerColor")}
                    note={(color) =>
                      t("cart.color.headerText", {
                        color: t(readableTextColor(color) === "#FFFFFF" ? "cart.color.white" : "cart.color.dark"),
                        ratio: contrastRatio(color, readableTextColor(color)).toFixed(1),
                      })
                    }
                  />
                  <ColorField
                    label={t("cart.field.buttonColor")}
                    value={state.buttonColor}
                    onChange={set("buttonColor")}
                    error={colorError("buttonColor")}
                    note={(color) => {
                      const ratio = contrastRatio(color, "#FFFFFF");
                      // LINE's own green is 2.3:1; warn only when white text becomes really hard to read.
                      return t(ratio < 2 ? "cart.color.buttonLowContrast" : "cart.color.buttonText", { ratio: ratio.toFixed(1) });
                    }}
                  />
                </FormLayout.Group>
              </FormLayout>
            </SectionCard>
            <SectionCard title={t("cart.section.query")}>
              <TextField
                label={t("cart.field.queryParams")}
                helpText={t("cart.field.queryParamsHelp")}
                value={state.queryParams}
                onChange={set("queryParams")}
                placeholder="utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover"
                maxLength={SETTINGS_LIMITS.queryParams}
                autoComplete="off"
                monospaced
                error={queryError}
              />
              {!queryError && (
                <BlockStack gap="100">
                  <Text as="p" tone="subdued">
                    {t("cart.query.example")}
                  </Text>
                  <Box background="bg-surface-secondary" padding="200" borderRadius="200">
                    <Text as="p" breakWord>
                      <code data-testid="recovery-example">{withQueryParams(data.cart.recoveryUrl, state.queryParams)}</code>
                    </Text>
                  </Box>
                </BlockStack>
              )}
            </SectionCard>
            <SectionCard title={t("cart.section.delivery")}>
              <Checkbox
                label={t("cart.quiet.enabled")}
                helpText={t("cart.quiet.help", { timeZone: data.timeZone })}
                checked={state.quietHoursEnabled}
                onChange={set("quietHoursEnabled")}
                error={error("quietHoursEnabled")}
              />
              <FormLayout.Group condensed>
                <TextField
                  label={t("cart.quiet.start", { timeZone: data.timeZone })}
                  type="time"
                  value={state.quietStart}
                  onChange={set("quietStart")}
                  disabled={!state.quietHoursEnabled}
                  autoComplete="off"
                  error={error("quietStart")}
                />
                <TextField
                  label={t("cart.quiet.end", { timeZone: data.timeZone })}
                  type="time"
                  value={state.quietEnd}
                  onChange={set("quietEnd")}
                  disabled={!state.quietHoursEnabled}
                  autoComplete="off"
                  error={error("quietEnd")}
                />
              </FormLayout.Group>
              <TextField
                label={t("cart.field.attributionDays")}
                helpText={t("cart.field.attributionDaysHelp")}
                type="number"
                min={1}
                max={30}
                suffix={t("cart.field.days")}
                value={state.attributionDays}
                onChange={set("attributionDays")}
                autoComplete="off"
                error={error("attributionDays")}
              />
            </SectionCard>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <PreviewCard cart={data.cart} state={state} sender={account.botName ?? account.displayName} />
            <TestPanel accountId={account.id} state={state} initialFriends={data.friends} onFieldErrors={setErrors} />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function delayLabel(t: ReturnType<typeof useT>, minutes: number) {
  return minutes === 0 ? t("cart.delay.immediately") : t("cart.delay.hours", { count: minutes / 60 });
}

/** Several tag names: type one and press Enter (or Add); each shows as a removable chip. */
function TagListField(props: { label: string; helpText: string; values: string[]; onChange: (values: string[]) => void; error?: string }) {
  const t = useT();
  const [draft, setDraft] = useState("");
  const add = () => {
    const names = draft.split(/[,、]/).map((name) => name.trim()).filter(Boolean);
    if (names.length) props.onChange([...new Set([...props.values, ...names])]);
    setDraft("");
  };
  return (
    <BlockStack gap="200">
      <div
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.nativeEvent.isComposing) {
            event.preventDefault();
            add();
          }
        }}
      >
        <TextField
          label={props.label}
          helpText={props.helpText}
          value={draft}
          onChange={setDraft}
          autoComplete="off"
          maxLength={SETTINGS_LIMITS.tagName}
          error={props.error}
          connectedRight={
            <Button onClick={add} disabled={!draft.trim() || props.values.length >= SETTINGS_LIMITS.tags}>
              {t("cart.tags.add")}
            </Button>
          }
        />
      </div>
      {props.values.length > 0 && (
        <InlineStack gap="200">
          {props.values.map((name) => (
            <Tag key={name} onRemove={() => props.onChange(props.values.filter((value) => value !== name))}>
              {name}
            </Tag>
          ))}
        </InlineStack>
      )}
    </BlockStack>
  );
}

function ColorField(props: { label: string; value: string; onChange: (value: string) => void; error?: string; note: (color: string) => string }) {
  const t = useT();
  const valid = HEX.test(props.value.trim());
  const color = valid ? props.value.trim().toUpperCase() : "#06C755";
  return (
    <TextField
      label={props.label}
      value={props.value}
      onChange={props.onChange}
      autoComplete="off"
      monospaced
      maxLength={7}
      error={props.error}
      helpText={valid ? props.note(color) : undefined}
      prefix={<span aria-hidden style={{ display: "block", width: 16, height: 16, borderRadius: 4, background: color, border: "1px solid rgba(0,0,0,.2)" }} />}
      connectedRight={
        <input
          type="color"
          aria-label={t("cart.color.picker", { label: props.label })}
          value={color.toLowerCase()}
          onChange={(event) => props.onChange(event.target.value.toUpperCase())}
          style={{ width: 40, height: 34, padding: 2, border: "1px solid #8a8a8a", borderRadius: 8, background: "#fff", cursor: "pointer" }}
        />
      }
    />
  );
}

// ---------------------------------------------------------------- the preview: the Flex JSON drawn as LINE draws it

function PreviewCard(props: { cart: PreviewCart; state: FormState; sender: string }) {
  const t = useT();
  const built = useMemo(() => {
    try {
      return { message: previewMessage(props.cart, props.state) };
    } catch (error) {
      if (error instanceof ReminderMessageError) return { error: error.message };
      throw error;
    }
  }, [props.cart, props.state]);
  return (
    <SectionCard title={t("cart.preview.heading")} gap="200">
      <Text as="p" tone="subdued">
        {t(props.cart.source === "checkout" ? "cart.preview.fromCheckout" : "cart.preview.fromSample")}
      </Text>
      <div style={{ background: "#8cabd8", borderRadius: 12, padding: 12 }} data-testid="cart-preview">
        <div style={{ display: "flex", gap: 8, alignItems: "flex-start" }}>
          <div
            aria-hidden
            style={{ flex: "none", width: 34, height: 34, borderRadius: "50%", background: "#06c755", color: "#fff", fontWeight: 700, display: "flex", alignItems: "center", justifyContent: "center" }}
          >
            {initial(props.sender)}
          </div>
          <div style={{ minWidth: 0, flex: 1 }}>
            <div style={{ color: "#fff", fontSize: 12, marginBottom: 4 }}>{props.sender}</div>
            {built.message ? (
              <FlexBubble bubble={built.message.contents} />
            ) : (
              <div style={{ background: "#fff", borderRadius: 12, padding: 12, color: "#8e1f0b", fontSize: 13 }}>{built.error}</div>
            )}
          </div>
        </div>
      </div>
      {built.message && (
        <Text as="p" tone="subdued" breakWord>
          {t("cart.preview.altText", { text: built.message.altText })}
        </Text>
      )}
    </SectionCard>
  );
}

// ---------------------------------------------------------------- send a test to me

function TestPanel(props: {
  accountId: string;
  state: FormState;
  initialFriends: { id: string; displayName: string | null }[];
  onFieldErrors: (errors: Record<string, string>) => void;
}) {
  const t = useT();
  const search = useFetcher<typeof loader>();
  const send = useFetcher<typeof action>();
  const [query, setQuery] = useState("");
  const [friendId, setFriendId] = useState(props.initialFriends[0]?.id ?? "");
  useEffect(() => {
    if (query === "") return;
    const timer = setTimeout(
      () => search.load(`/app/abandoned-cart?account=${encodeURIComponent(props.accountId)}&friendQuery=${encodeURIComponent(query)}`),
      300,
    );
    return () => clearTimeout(timer);
    // search.load changes identity on every render
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, props.accountId]);
  const friends = query !== "" && search.data?.kind === "friends" ? search.data.friends : props.initialFriends;
  const answer = send.state === "idle" ? send.data : undefined;
  // Settings that cannot be sent are shown on their fields, as a save would show them.
  useEffect(() => {
    if (answer && !answer.ok && !answer.errors.test) props.onFieldErrors(answer.errors);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [answer]);
  const chosen = friends.find((friend) => friend.id === friendId);
  const unnamed = t("cart.test.unnamed");

  return (
    <SectionCard title={t("cart.test.heading")}>
      <Text as="p" tone="subdued">
        {t("cart.test.help")}
      </Text>
      <TextField label={t("cart.test.search")} value={query} onChange={setQuery} autoComplete="off" clearButton onClearButtonClick={() => setQuery("")} />
      {friends.length === 0 ? (
        <Text as="p" tone="subdued">
          {t(query ? "cart.test.noMatch" : "cart.test.noFriends")}
        </Text>
      ) : (
        <Select
          label={t("cart.test.friend")}
          placeholder={t("cart.test.choose")}
          options={friends.map((friend) => ({ label: friend.displayName ?? unnamed, value: friend.id }))}
          value={chosen ? friendId : ""}
          onChange={setFriendId}
        />
      )}
      <InlineStack>
        <Button
          disabled={!chosen}
          loading={send.state !== "idle"}
          onClick={() =>
            send.submit(toFormData(props.state, { intent: "test", lineAccountId: props.accountId, friendId }), { method: "post" })
          }
        >
          {t("cart.test.send")}
        </Button>
      </InlineStack>
      {answer?.intent === "test" && answer.ok && <Banner tone="success">{t("cart.test.sent", { name: chosen?.displayName ?? unnamed })}</Banner>}
      {answer?.intent === "test" && !answer.ok && (
        <Banner tone="critical">
          {answer.errors.test ? t(answer.errors.test as MessageKey) : t("cart.error.fields")}
          {answer.detail ? ` (${answer.detail})` : ""}
        </Banner>
      )}
    </SectionCard>
  );
}

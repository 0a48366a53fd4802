import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Box,
  Button,
  ButtonGroup,
  Card,
  Checkbox,
  EmptyState,
  FormLayout,
  IndexTable,
  InlineGrid,
  InlineStack,
  Layout,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useMemo, useState } from "react";
import {
  createRule,
  deleteRule,
  listRules,
  PRIORITY_MAX,
  reorderRules,
  RULE_MAX_LENGTH,
  RULE_MAX_MESSAGES,
  RULE_NAME_MAX,
  setRuleEnabled,
  updateRule,
  type RuleInput,
} from "../auto-replies/auto-replies.server";
import { MATCH_TYPES, MAX_PATTERN_LENGTH, matchRule, type MatchType } from "../auto-replies/match";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { listAccounts } from "../line/accounts.server";
import { authenticate } from "../shopify.server";
import { ChatPreview } from "../components/chat-preview";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const accounts = (await listAccounts(session.shop))
    .filter((account) => account.status === "connected")
    .map((account) => ({ id: account.id, displayName: account.displayName, botName: account.botDisplayName }));
  const wanted = new URL(request.url).searchParams.get("account");
  const selected = accounts.find((account) => account.id === wanted) ?? accounts[0] ?? null;
  const rules = selected ? await listRules(session.shop, selected.id) : [];
  return {
    accounts,
    selectedId: selected?.id ?? null,
    rules: rules.map(({ id, name, matchType, pattern, messages, priority, enabled, createdAt }) => ({
      id,
      name,
      matchType,
      pattern,
      messages,
      priority,
      enabled,
      createdAt,
    })),
    // Limits travel with the data: .server modules are not part of the browser bundle.
    limits: {
      messages: RULE_MAX_MESSAGES,
      length: RULE_MAX_LENGTH,
      name: RULE_NAME_MAX,
      pattern: MAX_PATTERN_LENGTH,
      priority: PRIORITY_MAX,
    },
  };
};

function ruleInput(form: FormData): RuleInput {
  const priority = String(form.get("priority") ?? "").trim();
  const enabled = form.get("enabled");
  return {
    name: String(form.get("name") ?? ""),
    matchType: String(form.get("matchType") ?? ""),
    pattern: String(form.get("pattern") ?? ""),
    messages: form.getAll("messages").map(String),
    priority: priority === "" ? undefined : Number(priority),
    enabled: enabled === null ? undefined : enabled === "true",
  };
}

async function perform(shop: string, form: FormData) {
  const id = String(form.get("id") ?? "");
  const accountId = String(form.get("lineAccountId") ?? "");
  switch (form.get("intent")) {
    case "create":
      return createRule(shop, accountId, ruleInput(form));
    case "update":
      return updateRule(shop, id, ruleInput(form));
    case "toggle":
      return setRuleEnabled(shop, id, form.get("enabled") === "true");
    case "delete":
      return deleteRule(shop, id);
    case "reorder":
      return reorderRules(shop, accountId, form.getAll("ids").map(String));
    default:
      return { errors: { form: "autoReplies.error.intent" } };
  }
}

const STATUS: Record<string, number> = { "autoReplies.error.notFound": 404, "autoReplies.error.intent": 400 };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await perform(session.shop, await request.formData());
  if ("errors" in result) {
    return json({ ok: false as const, errors: result.errors }, { status: STATUS[result.errors.form ?? ""] ?? 422 });
  }
  return json({ ok: true as const, name: "rule" in result ? result.rule.name : "" });
};

type Data = SerializeFrom<typeof loader>;
type Rule = Data["rules"][number];
type Editing = { mode: "create" } | { mode: "edit"; rule: Rule } | { mode: "delete"; rule: Rule } | null;

const NO_ACCOUNT_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="26" y="34" width="68" height="46" rx="14" fill="#06c755"/><path d="M48 78l-6 14 18-12z" fill="#06c755"/><text x="60" y="64" font-family="Arial,sans-serif" font-size="17" font-weight="700" fill="#fff" text-anchor="middle">LINE</text></svg>',
)}`;
const NO_RULES_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="18" y="30" width="54" height="30" rx="12" fill="#fff" stroke="#8a8a8a" stroke-width="3"/><rect x="48" y="66" width="54" height="30" rx="12" fill="#06c755"/><path d="M60 81h30M60 74h20" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>',
)}`;

export default function AutoReplies() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const [params, setParams] = useSearchParams();
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const rowAction = useFetcher<typeof action>();
  const rowErrors: Record<string, string> =
    rowAction.state === "idle" && rowAction.data && !rowAction.data.ok ? rowAction.data.errors : {};

  if (!data.selectedId) {
    return (
      <Page title={t("autoReplies.title")}>
        <Card>
          <EmptyState
            heading={t("autoReplies.noAccount.heading")}
            action={{ content: t("autoReplies.noAccount.action"), url: "/app/accounts" }}
            image={NO_ACCOUNT_IMAGE}
          >
            <p>{t("autoReplies.noAccount.body")}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const accountId = data.selectedId;
  const account = data.accounts.find((a) => a.id === accountId)!;
  const create = () => setEditing({ mode: "create" });
  const done = (message: string) => {
    setEditing(null);
    setNotice(message);
  };
  const chooseAccount = (id: string) => {
    const next = new URLSearchParams(params);
    next.set("account", id);
    setParams(next);
  };
  const move = (index: number, by: -1 | 1) => {
    const ids = data.rules.map((rule) => rule.id);
    [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
    const form = new FormData();
    form.set("intent", "reorder");
    form.set("lineAccountId", accountId);
    for (const id of ids) form.append("ids", id);
    rowAction.submit(form, { method: "post" });
  };

  return (
    <Page
      title={t("autoReplies.title")}
      primaryAction={data.rules.length ? { content: t("autoReplies.add"), onAction: create } : undefined}
    >
      <Layout>
        {rowErrors.form && (
          <Layout.Section>
            <Banner tone="critical">{t(rowErrors.form as MessageKey)}</Banner>
          </Layout.Section>
        )}
        {notice && (
          <Layout.Section>
            <Banner tone="success" onDismiss={() => setNotice(null)}>
              {notice}
            </Banner>
          </Layout.Section>
        )}
        {data.accounts.length > 1 && (
          <Layout.Section>
            <Card>
              <Select
                label={t("autoReplies.account")}
                options={data.accounts.map((a) => ({ label: a.displayName, value: a.id }))}
                value={accountId}
                onChange={chooseAccount}
              />
            </Card>
          </Layout.Section>
        )}
        <Layout.Section>
          {data.rules.length === 0 ? (
            <Card>
              <EmptyState
                heading={t("autoReplies.empty.heading")}
                action={{ content: t("autoReplies.add"), onAction: create }}
                image={NO_RULES_IMAGE}
              >
                <p>{t("autoReplies.empty.body")}</p>
              </EmptyState>
            </Card>
          ) : (
            <Card padding="0">
              <Box padding="400">
                <Text as="p" tone="subdued">
                  {t("autoReplies.order")}
                </Text>
              </Box>
              <IndexTable
                resourceName={{ singular: t("autoReplies.column.name"), plural: t("autoReplies.title") }}
                itemCount={data.rules.length}
                selectable={false}
                headings={[
                  { title: t("autoReplies.column.priority") },
                  { title: t("autoReplies.column.name") },
                  { title: t("autoReplies.column.match") },
                  { title: t("autoReplies.column.pattern") },
                  { title: t("autoReplies.column.status") },
                  { title: t("autoReplies.column.actions"), alignment: "end" },
                ]}
              >
                {data.rules.map((rule, index) => (
                  <IndexTable.Row id={rule.id} key={rule.id} position={index}>
                    <IndexTable.Cell>
                      <Text as="span" numeric>
                        {rule.priority}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" fontWeight="semibold">
                        {rule.name}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{t(`autoReplies.matchType.${rule.matchType}`)}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <code style={{ whiteSpace: "pre-wrap", wordBreak: "break-all" }}>{rule.pattern}</code>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Badge tone={rule.enabled ? "success" : undefined}>
                        {t(rule.enabled ? "autoReplies.status.on" : "autoReplies.status.off")}
                      </Badge>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack align="end" gap="200" wrap={false}>
                        <ButtonGroup variant="segmented">
                          <Button
                            size="slim"
                            accessibilityLabel={t("autoReplies.moveUp")}
                            disabled={index === 0 || rowAction.state !== "idle"}
                            onClick={() => move(index, -1)}
                          >
                            ↑
                          </Button>
                          <Button
                            size="slim"
                            accessibilityLabel={t("autoReplies.moveDown")}
                            disabled={index === data.rules.length - 1 || rowAction.state !== "idle"}
                            onClick={() => move(index, 1)}
                          >
                            ↓
                          </Button>
                        </ButtonGroup>
                        <Button
                          size="slim"
                          onClick={() =>
                            rowAction.submit(
                              { intent: "toggle", id: rule.id, enabled: String(!rule.enabled) },
                              { method: "post" },
                            )
                          }
                        >
                          {t(rule.enabled ? "autoReplies.turnOff" : "autoReplies.turnOn")}
                        </Button>
                        <Button size="slim" onClick={() => setEditing({ mode: "edit", rule })}>
                          {t("autoReplies.edit")}
                        </Button>
                        <Button
                          size="slim"
                          variant="plain"
                          tone="critical"
                          onClick={() => setEditing({ mode: "delete", rule })}
                        >
                          {t("autoReplies.delete")}
                        </Button>
                      </InlineStack>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            </Card>
          )}
        </Layout.Section>
        {data.rules.length > 0 && (
          <Layout.Section>
            <TryIt rules={data.rules} sender={account.botName ?? account.displayName} />
          </Layout.Section>
        )}
      </Layout>
      {(editing?.mode === "create" || editing?.mode === "edit") && (
        <RuleModal
          key={editing.mode === "edit" ? editing.rule.id : "new"}
          accountId={accountId}
          rule={editing.mode === "edit" ? editing.rule : null}
          limits={data.limits}
          sender={account.botName ?? account.displayName}
          onClose={() => setEditing(null)}
          onDone={(name) => done(t("autoReplies.saved", { name }))}
        />
      )}
      {editing?.mode === "delete" && (
        <DeleteModal
          rule={editing.rule}
          onClose={() => setEditing(null)}
          onDone={(name) => done(t("autoReplies.deleted", { name }))}
        />
      )}
    </Page>
  );
}

/** The "try it" box: the same matcher the worker runs (match.ts), over this account's rules, in the browser. */
function TryIt(props: { rules: Rule[]; sender: string }) {
  const t = useT();
  const [sample, setSample] = useState("");
  const rules = useMemo(
    () => props.rules.map((rule) => ({ ...rule, createdAt: new Date(rule.createdAt) })),
    [props.rules],
  );
  const hit = sample.trim() ? matchRule(rules, sample) : null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("autoReplies.try.heading")}
        </Text>
        <TextField
          label={t("autoReplies.try.label")}
          helpText={t("autoReplies.try.help")}
          value={sample}
          onChange={setSample}
          autoComplete="off"
        />
        {sample.trim() &&
          (hit ? (
            <BlockStack gap="200">
              <Text as="p" fontWeight="semibold">
                {t("autoReplies.try.match", { name: hit.name })}
              </Text>
              <ChatPreview sender={props.sender} messages={hit.messages} empty="" />
            </BlockStack>
          ) : (
            <Text as="p" tone="subdued">
              {t("autoReplies.try.none")}
            </Text>
          ))}
      </BlockStack>
    </Card>
  );
}

/**
 * Submits to this route's action and reports success once, when the answer arrives. A field's error goes away
 * as soon as the field is edited (clearError), not only on the next save.
 */
function useRuleAction(onDone: (name: string) => void) {
  const fetcher = useFetcher<typeof action>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const data = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (data?.ok) onDone(data.name);
    setErrors(data && !data.ok ? data.errors : {});
    // onDone changes every render; the answer is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [data]);
  /** Forgets the errors of the fields whose names start with `prefix` ("messages" covers "messages.2"). */
  const clearError = (...prefixes: string[]) =>
    setErrors((current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => !prefixes.some((p) => key.startsWith(p)))),
    );
  return { fetcher, errors, clearError, busy: fetcher.state !== "idle" };
}

function RuleModal(props: {
  accountId: string;
  rule: Rule | null;
  limits: Data["limits"];
  sender: string;
  onClose: () => void;
  onDone: (name: string) => void;
}) {
  const t = useT();
  const { fetcher, errors, clearError, busy } = useRuleAction(props.onDone);
  const [name, setName] = useState(props.rule?.name ?? "");
  const [matchType, setMatchType] = useState<MatchType>(props.rule?.matchType ?? "contains");
  const [pattern, setPattern] = useState(props.rule?.pattern ?? "");
  const [priority, setPriority] = useState(String(props.rule?.priority ?? 100));
  const [enabled, setEnabled] = useState(props.rule?.enabled ?? true);
  const [messages, setMessages] = useState(props.rule?.messages ?? [""]);
  const error = (key?: string) => (key ? t(key as MessageKey) : undefined);

  const save = () => {
    const form = new FormData();
    form.set("intent", props.rule ? "update" : "create");
    form.set("id", props.rule?.id ?? "");
    form.set("lineAccountId", props.accountId);
    form.set("name", name);
    form.set("matchType", matchType);
    form.set("pattern", pattern);
    form.set("priority", priority);
    form.set("enabled", String(enabled));
    for (const message of messages) form.append("messages", message);
    fetcher.submit(form, { method: "post" });
  };
  const setMessage = (index: number, value: string) => {
    clearError(`messages.${index}`, "messages");
    setMessages((current) => current.map((message, i) => (i === index ? value : message)));
  };
  const addMessage = () => {
    clearError("messages");
    setMessages((current) => [...current, ""]);
  };
  const removeMessage = (index: number) => {
    clearError("messages");
    setMessages((current) => current.filter((_, i) => i !== index));
  };
  const edit =
    <T,>(set: (value: T) => void, ...fields: string[]) =>
    (value: T) => {
      clearError(...fields);
      set(value);
    };

  return (
    <Modal
      open
      size="large"
      onClose={props.onClose}
      title={props.rule ? t("autoReplies.form.editTitle") : t("autoReplies.form.createTitle")}
      primaryAction={{ content: t("autoReplies.form.save"), onAction: save, loading: busy }}
      secondaryActions={[{ content: t("autoReplies.form.cancel"), onAction: props.onClose }]}
    >
      <Modal.Section>
        <InlineGrid columns={{ xs: 1, md: "3fr 2fr" }} gap="400">
          <FormLayout>
            {(errors.form || errors.messages) && (
              <Banner tone="critical">{error(errors.form ?? errors.messages)}</Banner>
            )}
            <TextField
              label={t("autoReplies.form.name")}
              helpText={t("autoReplies.form.nameHelp")}
              value={name}
              onChange={edit(setName, "name")}
              maxLength={props.limits.name}
              autoComplete="off"
              error={error(errors.name)}
            />
            <FormLayout.Group>
              <Select
                label={t("autoReplies.form.matchType")}
                options={MATCH_TYPES.map((type) => ({ value: type, label: t(`autoReplies.matchType.${type}`) }))}
                value={matchType}
                onChange={edit((value: string) => setMatchType(value as MatchType), "matchType", "pattern")}
                error={error(errors.matchType)}
              />
              <TextField
                label={t("autoReplies.form.priority")}
                helpText={t("autoReplies.form.priorityHelp")}
                type="number"
                min={0}
                max={props.limits.priority}
                value={priority}
                onChange={edit(setPriority, "priority")}
                autoComplete="off"
                error={error(errors.priority)}
              />
            </FormLayout.Group>
            <TextField
              label={t(matchType === "regex" ? "autoReplies.form.regex" : "autoReplies.form.pattern")}
              helpText={t(`autoReplies.form.help.${matchType}`)}
              value={pattern}
              onChange={edit(setPattern, "pattern")}
              maxLength={props.limits.pattern}
              monospaced={matchType === "regex"}
              autoComplete="off"
              error={error(errors.pattern)}
            />
            <Checkbox label={t("autoReplies.form.enabled")} checked={enabled} onChange={setEnabled} />
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {t("autoReplies.form.messages")}
              </Text>
              <Text as="p" tone="subdued">
                {t("autoReplies.form.messagesHelp")}
              </Text>
            </BlockStack>
            {messages.map((message, index) => (
              <TextField
                key={index}
                label={t("autoReplies.form.message", { n: index + 1 })}
                labelAction={
                  messages.length > 1
                    ? {
                        content: t("autoReplies.form.removeMessage"),
                        onAction: () => removeMessage(index),
                      }
                    : undefined
                }
                value={message}
                onChange={(value) => setMessage(index, value)}
                multiline={2}
                maxLength={props.limits.length}
                showCharacterCount
                autoComplete="off"
                error={error(errors[`messages.${index}`])}
              />
            ))}
            <InlineStack>
              <Button onClick={addMessage} disabled={messages.length >= props.limits.messages}>
                {t("autoReplies.form.addMessage")}
              </Button>
            </InlineStack>
          </FormLayout>
          <BlockStack gap="200" inlineAlign="stretch">
            <Text as="h3" variant="headingSm">
              {t("autoReplies.preview.heading")}
            </Text>
            <ChatPreview
              sender={props.sender}
              messages={messages.filter((m) => m.trim())}
              empty={t("autoReplies.preview.empty")}
            />
          </BlockStack>
        </InlineGrid>
      </Modal.Section>
    </Modal>
  );
}

function DeleteModal(props: { rule: Rule; onClose: () => void; onDone: (name: string) => void }) {
  const t = useT();
  const { fetcher, errors, busy } = useRuleAction(props.onDone);
  return (
    <Modal
      open
      onClose={props.onClose}
      title={t("autoReplies.deleteModal.title", { name: props.rule.name })}
      primaryAction={{
        content: t("autoReplies.deleteModal.confirm"),
        destructive: true,
        loading: busy,
        onAction: () => fetcher.submit({ intent: "delete", id: props.rule.id }, { method: "post" }),
      }}
      secondaryActions={[{ content: t("autoReplies.form.cancel"), onAction: props.onClose }]}
    >
      <Modal.Section>
        <BlockStack gap="200">
          {errors.form && <Banner tone="critical">{t(errors.form as MessageKey)}</Banner>}
          <Text as="p">{t("autoReplies.deleteModal.body")}</Text>
        </BlockStack>
      </Modal.Section>
    </Modal>
  );
}

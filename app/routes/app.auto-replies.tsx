import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type SerializeFrom } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Box,
  Card,
  Checkbox,
  EmptyState,
  FormLayout,
  InlineGrid,
  Layout,
  Modal,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
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
import { MATCH_TYPES, MAX_PATTERN_LENGTH, type MatchType } from "../auto-replies/match";
import { AccountPicker, chosenAccount, connectedAccounts } from "../components/account-picker";
import { RuleTable, TryIt } from "../components/auto-reply-rules";
import { ChatPreview } from "../components/chat-preview";
import { IntentConfirmModal } from "../components/confirm-modal";
import { Notice, useListEditor } from "../components/list-editor";
import { MessageListField } from "../components/message-list-field";
import { NoAccountPage } from "../components/no-account-page";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import { listAccounts } from "../line/accounts.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const accounts = connectedAccounts(await listAccounts(session.shop));
  const selected = chosenAccount(accounts, request);
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
export type AutoReplyRule = Data["rules"][number];
type Editing = { mode: "create" } | { mode: "edit"; rule: AutoReplyRule } | { mode: "delete"; rule: AutoReplyRule };

const NO_RULES_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="18" y="30" width="54" height="30" rx="12" fill="#fff" stroke="#8a8a8a" stroke-width="3"/><rect x="48" y="66" width="54" height="30" rx="12" fill="#06c755"/><path d="M60 81h30M60 74h20" stroke="#fff" stroke-width="4" stroke-linecap="round"/></svg>',
)}`;

export default function AutoReplies() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const list = useListEditor<Editing>();
  const rowAction = useRouteAction<typeof action>();

  if (!data.selectedId) return <NoAccountPage title={t("autoReplies.title")} messages="autoReplies" />;
  const accountId = data.selectedId;
  const account = data.accounts.find((a) => a.id === accountId)!;
  const create = () => list.edit({ mode: "create" });
  const move = (index: number, by: -1 | 1) => {
    const ids = data.rules.map((rule) => rule.id);
    [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
    const form = new FormData();
    form.set("intent", "reorder");
    form.set("lineAccountId", accountId);
    for (const id of ids) form.append("ids", id);
    rowAction.fetcher.submit(form, { method: "post" });
  };

  return (
    <Page
      title={t("autoReplies.title")}
      primaryAction={data.rules.length ? { content: t("autoReplies.add"), onAction: create } : undefined}
    >
      <Layout>
        {rowAction.errors.form && (
          <Layout.Section>
            <Banner tone="critical">{rowAction.fieldError("form")}</Banner>
          </Layout.Section>
        )}
        <Notice message={list.notice} onDismiss={list.dismissNotice} />
        {data.accounts.length > 1 && (
          <Layout.Section>
            <AccountPicker label={t("autoReplies.account")} accounts={data.accounts} selectedId={accountId} />
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
              <RuleTable
                rules={data.rules}
                busy={rowAction.busy}
                onMove={move}
                onToggle={(rule) =>
                  rowAction.fetcher.submit(
                    { intent: "toggle", id: rule.id, enabled: String(!rule.enabled) },
                    { method: "post" },
                  )
                }
                onEdit={(rule) => list.edit({ mode: "edit", rule })}
                onDelete={(rule) => list.edit({ mode: "delete", rule })}
              />
            </Card>
          )}
        </Layout.Section>
        {data.rules.length > 0 && (
          <Layout.Section>
            <TryIt rules={data.rules} sender={account.botName ?? account.displayName} />
          </Layout.Section>
        )}
      </Layout>
      {(list.editing?.mode === "create" || list.editing?.mode === "edit") && (
        <RuleModal
          key={list.editing.mode === "edit" ? list.editing.rule.id : "new"}
          accountId={accountId}
          rule={list.editing.mode === "edit" ? list.editing.rule : null}
          limits={data.limits}
          sender={account.botName ?? account.displayName}
          onClose={list.close}
          onDone={(name) => list.done(t("autoReplies.saved", { name }))}
        />
      )}
      {list.editing?.mode === "delete" && (
        <IntentConfirmModal<typeof action>
          title={t("autoReplies.deleteModal.title", { name: list.editing.rule.name })}
          confirm={t("autoReplies.deleteModal.confirm")}
          cancel={t("autoReplies.form.cancel")}
          intent={{ intent: "delete", id: list.editing.rule.id }}
          onClose={list.close}
          onDone={(answer) => list.done(t("autoReplies.deleted", { name: answer.name }))}
        >
          <Text as="p">{t("autoReplies.deleteModal.body")}</Text>
        </IntentConfirmModal>
      )}
    </Page>
  );
}

function RuleModal(props: {
  accountId: string;
  rule: AutoReplyRule | null;
  limits: Data["limits"];
  sender: string;
  onClose: () => void;
  onDone: (name: string) => void;
}) {
  const t = useT();
  const { fetcher, errors, clearError, fieldError, busy } = useRouteAction<typeof action>((answer) =>
    props.onDone(answer.name),
  );
  const [name, setName] = useState(props.rule?.name ?? "");
  const [matchType, setMatchType] = useState<MatchType>(props.rule?.matchType ?? "contains");
  const [pattern, setPattern] = useState(props.rule?.pattern ?? "");
  const [priority, setPriority] = useState(String(props.rule?.priority ?? 100));
  const [enabled, setEnabled] = useState(props.rule?.enabled ?? true);
  const [messages, setMessages] = useState(props.rule?.messages ?? [""]);
  // Adding, removing or editing a message clears the errors of all messages ("messages", "messages.2"…).
  const clearMessageErrors = () => clearError(...Object.keys(errors).filter((key) => key.startsWith("messages")));

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
  const changeMessages = (change: (current: string[]) => string[]) => {
    clearMessageErrors();
    setMessages(change);
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
            {(errors.form || errors.messages) && <Banner tone="critical">{fieldError("form", "messages")}</Banner>}
            <TextField
              label={t("autoReplies.form.name")}
              helpText={t("autoReplies.form.nameHelp")}
              value={name}
              onChange={edit(setName, "name")}
              maxLength={props.limits.name}
              autoComplete="off"
              error={fieldError("name")}
            />
            <FormLayout.Group>
              <Select
                label={t("autoReplies.form.matchType")}
                options={MATCH_TYPES.map((type) => ({ value: type, label: t(`autoReplies.matchType.${type}`) }))}
                value={matchType}
                onChange={edit((value: string) => setMatchType(value as MatchType), "matchType", "pattern")}
                error={fieldError("matchType")}
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
                error={fieldError("priority")}
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
              error={fieldError("pattern")}
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
            <MessageListField
              messages={messages}
              limits={props.limits}
              rows={2}
              label={(n) => t("autoReplies.form.message", { n })}
              removeLabel={t("autoReplies.form.removeMessage")}
              addLabel={t("autoReplies.form.addMessage")}
              error={(index) => fieldError(`messages.${index}`)}
              onChange={(index, value) => changeMessages((current) => current.map((m, i) => (i === index ? value : m)))}
              onRemove={(index) => changeMessages((current) => current.filter((_, i) => i !== index))}
              onAdd={() => changeMessages((current) => [...current, ""])}
            />
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

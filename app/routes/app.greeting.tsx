import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useSearchParams } from "@remix-run/react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  EmptyState,
  InlineStack,
  Layout,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useEffect, useState, type ReactNode } from "react";
import { GREETING_MAX_LENGTH, GREETING_MAX_MESSAGES, getGreeting, saveGreeting } from "../greeting/greeting.server";
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
  const greeting = selected ? await getGreeting(selected.id) : null;
  return {
    accounts,
    selectedId: selected?.id ?? null,
    greeting: greeting && { enabled: greeting.enabled, messages: greeting.messages },
    // Limits travel with the data: .server modules are not part of the browser bundle.
    limits: { messages: GREETING_MAX_MESSAGES, length: GREETING_MAX_LENGTH },
  };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  if (form.get("intent") !== "save")
    return json({ ok: false as const, errors: { form: "greeting.error.intent" } }, { status: 400 });
  const result = await saveGreeting(session.shop, String(form.get("lineAccountId") ?? ""), {
    enabled: form.get("enabled") === "true",
    messages: form.getAll("messages").map(String),
  });
  if ("errors" in result) return json({ ok: false as const, errors: result.errors }, { status: 422 });
  return json({
    ok: true as const,
    greeting: { enabled: result.greeting.enabled, messages: result.greeting.messages },
  });
};

const NO_ACCOUNT_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="226" height="226" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#e3f1df"/><rect x="26" y="34" width="68" height="46" rx="14" fill="#06c755"/><path d="M48 78l-6 14 18-12z" fill="#06c755"/><text x="60" y="64" font-family="Arial,sans-serif" font-size="17" font-weight="700" fill="#fff" text-anchor="middle">LINE</text></svg>',
)}`;

export default function Greeting() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const [params, setParams] = useSearchParams();

  if (!data.selectedId) {
    return (
      <Page title={t("greeting.title")}>
        <Card>
          <EmptyState
            heading={t("greeting.noAccount.heading")}
            action={{ content: t("greeting.noAccount.action"), url: "/app/accounts" }}
            image={NO_ACCOUNT_IMAGE}
          >
            <p>{t("greeting.noAccount.body")}</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const account = data.accounts.find((a) => a.id === data.selectedId)!;
  const chooseAccount = (id: string) => {
    const next = new URLSearchParams(params);
    next.set("account", id);
    setParams(next);
  };
  return (
    <GreetingForm
      // A new account starts from its own saved greeting.
      key={account.id}
      title={t("greeting.title")}
      accountId={account.id}
      senderName={account.botName ?? account.displayName}
      initial={data.greeting ?? { enabled: false, messages: [t("greeting.message.default")] }}
      limits={data.limits}
      accountPicker={
        data.accounts.length > 1 ? (
          <Select
            label={t("greeting.account")}
            options={data.accounts.map((a) => ({ label: a.displayName, value: a.id }))}
            value={account.id}
            onChange={chooseAccount}
          />
        ) : null
      }
    />
  );
}

function GreetingForm(props: {
  title: string;
  accountId: string;
  senderName: string;
  initial: { enabled: boolean; messages: string[] };
  limits: { messages: number; length: number };
  accountPicker: ReactNode;
}) {
  const t = useT();
  const fetcher = useFetcher<typeof action>();
  const [enabled, setEnabled] = useState(props.initial.enabled);
  const [messages, setMessages] = useState(props.initial.messages.length ? props.initial.messages : [""]);
  const busy = fetcher.state !== "idle";
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  // A message's error goes away as soon as the list is edited, not only on the next save.
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => setErrors(answer && !answer.ok ? answer.errors : {}), [answer]);
  const clearError = (...fields: string[]) =>
    setErrors((current) => Object.fromEntries(Object.entries(current).filter(([key]) => !fields.includes(key))));
  const error = (key?: string) => (key ? t(key as MessageKey) : undefined);

  const save = () => {
    const form = new FormData();
    form.set("intent", "save");
    form.set("lineAccountId", props.accountId);
    form.set("enabled", String(enabled));
    for (const message of messages) form.append("messages", message);
    fetcher.submit(form, { method: "post" });
  };
  const setMessage = (index: number, value: string) => {
    clearError(`messages.${index}`, "messages");
    setMessages((current) => current.map((message, i) => (i === index ? value : message)));
  };
  // Adding or removing a message renumbers them: their errors no longer point at the right field.
  const changeList = (change: (current: string[]) => string[]) => {
    setErrors((current): Record<string, string> => (current.form ? { form: current.form } : {}));
    setMessages(change);
  };

  return (
    <Page
      title={props.title}
      titleMetadata={
        <Badge tone={enabled ? "success" : undefined}>
          {t(enabled ? "greeting.status.on" : "greeting.status.off")}
        </Badge>
      }
      primaryAction={{ content: t("greeting.save"), onAction: save, loading: busy }}
    >
      <Layout>
        {(errors.form || errors.messages) && (
          <Layout.Section>
            <Banner tone="critical">{error(errors.form ?? errors.messages)}</Banner>
          </Layout.Section>
        )}
        {answer?.ok && (
          <Layout.Section>
            <Banner tone="success">{t("greeting.saved")}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            {props.accountPicker && <Card>{props.accountPicker}</Card>}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  {t("greeting.status.heading")}
                </Text>
                <Checkbox
                  label={t("greeting.enabled")}
                  helpText={t("greeting.enabledHelp")}
                  checked={enabled}
                  onChange={setEnabled}
                />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="400">
                <BlockStack gap="100">
                  <Text as="h2" variant="headingMd">
                    {t("greeting.messages.heading")}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("greeting.messages.help")}
                  </Text>
                </BlockStack>
                {messages.map((message, index) => (
                  <TextField
                    key={index}
                    label={t("greeting.message.label", { n: index + 1 })}
                    labelAction={
                      messages.length > 1
                        ? {
                            content: t("greeting.message.remove"),
                            onAction: () => changeList((current) => current.filter((_, i) => i !== index)),
                          }
                        : undefined
                    }
                    value={message}
                    onChange={(value) => setMessage(index, value)}
                    multiline={3}
                    maxLength={props.limits.length}
                    showCharacterCount
                    autoComplete="off"
                    error={error(errors[`messages.${index}`])}
                  />
                ))}
                <InlineStack>
                  <Button
                    onClick={() => changeList((current) => [...current, ""])}
                    disabled={messages.length >= props.limits.messages}
                  >
                    {t("greeting.message.add")}
                  </Button>
                </InlineStack>
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("greeting.preview.heading")}
              </Text>
              {!enabled && (
                <Text as="p" tone="subdued">
                  {t("greeting.preview.off")}
                </Text>
              )}
              <ChatPreview
                sender={props.senderName}
                messages={messages.filter((m) => m.trim())}
                empty={t("greeting.preview.empty")}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

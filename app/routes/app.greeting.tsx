import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, Checkbox, Layout, Page, Text } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import { GREETING_MAX_LENGTH, GREETING_MAX_MESSAGES, getGreeting, saveGreeting } from "../greeting/greeting.server";
import { AccountPicker, chosenAccount, connectedAccounts } from "../components/account-picker";
import { ChatPreview } from "../components/chat-preview";
import { MessageListField } from "../components/message-list-field";
import { NoAccountPage } from "../components/no-account-page";
import { SectionCard } from "../components/section-card";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import { listAccounts } from "../line/accounts.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const accounts = connectedAccounts(await listAccounts(session.shop));
  const selected = chosenAccount(accounts, request);
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

export default function Greeting() {
  const data = useLoaderData<typeof loader>();
  const t = useT();

  if (!data.selectedId) return <NoAccountPage title={t("greeting.title")} messages="greeting" />;
  const account = data.accounts.find((a) => a.id === data.selectedId)!;
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
          <AccountPicker label={t("greeting.account")} accounts={data.accounts} selectedId={account.id} />
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
  const { fetcher, answer, errors, setErrors, clearError, fieldError, busy } = useRouteAction<typeof action>();
  const [enabled, setEnabled] = useState(props.initial.enabled);
  const [messages, setMessages] = useState(props.initial.messages.length ? props.initial.messages : [""]);

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
            <Banner tone="critical">{fieldError("form", "messages")}</Banner>
          </Layout.Section>
        )}
        {answer?.ok && (
          <Layout.Section>
            <Banner tone="success">{t("greeting.saved")}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            {props.accountPicker}
            <SectionCard title={t("greeting.status.heading")} gap="200">
              <Checkbox
                label={t("greeting.enabled")}
                helpText={t("greeting.enabledHelp")}
                checked={enabled}
                onChange={setEnabled}
              />
            </SectionCard>
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
                <MessageListField
                  messages={messages}
                  limits={props.limits}
                  rows={3}
                  label={(n) => t("greeting.message.label", { n })}
                  removeLabel={t("greeting.message.remove")}
                  addLabel={t("greeting.message.add")}
                  error={(index) => fieldError(`messages.${index}`)}
                  onChange={setMessage}
                  onRemove={(index) => changeList((current) => current.filter((_, i) => i !== index))}
                  onAdd={() => changeList((current) => [...current, ""])}
                />
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <SectionCard title={t("greeting.preview.heading")} gap="200">
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
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

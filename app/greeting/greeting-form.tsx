// The greeting page's form: on/off, the messages, and a LINE-style preview, with the contextual save bar.
import { Badge, Banner, BlockStack, Card, Checkbox, Layout, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { ChatPreview } from "../components/chat-preview";
import { MessageListField } from "../components/message-list-field";
import { UnsavedChangesBar, useUnsavedChanges } from "../components/save-bar";
import { SectionCard } from "../components/section-card";
import { useToast } from "../components/toast";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import type { GreetingAnswer, GreetingValues } from "./greeting";

export function GreetingForm(props: {
  title: string;
  accountId: string;
  senderName: string;
  /** What is stored (or the default a new account starts from). */
  stored: GreetingValues;
  limits: { messages: number; length: number };
  accountPicker: ReactNode;
}) {
  const t = useT();
  const toast = useToast();
  const stored = { ...props.stored, messages: props.stored.messages.length ? props.stored.messages : [""] };
  const form = useUnsavedChanges<GreetingValues>(stored);
  // Saved: the form shows what was stored (trimmed), so it is clean again.
  const { fetcher, errors, setErrors, clearError, fieldError, busy } = useRouteAction<() => GreetingAnswer>(() => {
    form.discard();
    toast(t("greeting.saved"));
  });
  const { enabled, messages } = form.values;
  const setMessages = (change: (current: string[]) => string[]) =>
    form.setValues((current) => ({ ...current, messages: change(current.messages) }));

  const save = () => {
    const body = new FormData();
    body.set("intent", "save");
    body.set("lineAccountId", props.accountId);
    body.set("enabled", String(enabled));
    for (const message of messages) body.append("messages", message);
    fetcher.submit(body, { method: "post" });
  };
  const discard = () => {
    setErrors({});
    form.discard();
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
        <Badge tone={enabled ? "success" : undefined}>{t(enabled ? "greeting.status.on" : "greeting.status.off")}</Badge>
      }
      primaryAction={{ content: t("greeting.save"), onAction: save, loading: busy }}
    >
      <UnsavedChangesBar id="greeting-save-bar" dirty={form.dirty} saving={busy} onSave={save} onDiscard={discard} />
      <Layout>
        {(errors.form || errors.messages) && (
          <Layout.Section>
            <Banner tone="critical">{fieldError("form", "messages")}</Banner>
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
                onChange={form.set("enabled")}
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
            <ChatPreview sender={props.senderName} messages={messages.filter((m) => m.trim())} empty={t("greeting.preview.empty")} />
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

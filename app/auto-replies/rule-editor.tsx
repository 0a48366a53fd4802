// One auto-reply rule on its own screen (?rule=new or ?rule=<id>): the form beside a LINE-style preview, with the
// contextual save bar; saved, it goes back to the list with a toast.
import { useNavigate } from "@remix-run/react";
import { Banner, BlockStack, Checkbox, FormLayout, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { ChatPreview } from "../components/chat-preview";
import { MessageListField } from "../components/message-list-field";
import { UnsavedChangesBar, useUnsavedChanges } from "../components/save-bar";
import { SectionCard } from "../components/section-card";
import { useToast } from "../components/toast";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import { MATCH_TYPES, type MatchType } from "./match";
import { ruleValues, rulesUrl, type AutoReplyRule, type RuleAnswer, type RuleLimits, type RuleValues } from "./rule";

export function RuleEditor(props: { accountId: string; rule: AutoReplyRule | null; limits: RuleLimits; sender: string }) {
  const t = useT();
  const toast = useToast();
  const navigate = useNavigate();
  const listUrl = rulesUrl(props.accountId);
  const form = useUnsavedChanges<RuleValues>(ruleValues(props.rule));
  // Once saved nothing is left to lose: the way back to the list must not ask.
  const [saved, setSaved] = useState(false);
  const { fetcher, errors, setErrors, clearError, fieldError, busy } = useRouteAction<() => RuleAnswer>((answer) => {
    toast(t("autoReplies.saved", { name: answer.name }));
    setSaved(true);
  });
  useEffect(() => {
    if (saved) navigate(listUrl);
  }, [saved, navigate, listUrl]);
  const { name, matchType, pattern, priority, enabled, messages } = form.values;

  const save = () => {
    const body = new FormData();
    body.set("intent", props.rule ? "update" : "create");
    body.set("id", props.rule?.id ?? "");
    body.set("lineAccountId", props.accountId);
    body.set("name", name);
    body.set("matchType", matchType);
    body.set("pattern", pattern);
    body.set("priority", priority);
    body.set("enabled", String(enabled));
    for (const message of messages) body.append("messages", message);
    fetcher.submit(body, { method: "post" });
  };
  const discard = () => {
    setErrors({});
    form.discard();
  };
  const edit =
    <K extends keyof RuleValues>(field: K, ...alsoClear: string[]) =>
    (value: RuleValues[K]) => {
      clearError(field, ...alsoClear);
      form.set(field)(value);
    };
  // Adding, removing or editing a reply clears the errors of all replies ("messages", "messages.2"…).
  const changeMessages = (change: (current: string[]) => string[]) => {
    clearError(...Object.keys(errors).filter((key) => key.startsWith("messages")));
    form.setValues((current) => ({ ...current, messages: change(current.messages) }));
  };

  return (
    <Page
      title={props.rule ? t("autoReplies.form.editTitle") : t("autoReplies.form.createTitle")}
      backAction={{ content: t("autoReplies.title"), url: listUrl }}
      primaryAction={{ content: t("autoReplies.form.save"), onAction: save, loading: busy }}
    >
      <UnsavedChangesBar id="auto-reply-save-bar" dirty={form.dirty && !saved} saving={busy} onSave={save} onDiscard={discard} />
      <Layout>
        {(errors.form || errors.messages) && (
          <Layout.Section>
            <Banner tone="critical">{fieldError("form", "messages")}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <SectionCard title={t("autoReplies.column.name")}>
              <FormLayout>
                <TextField
                  label={t("autoReplies.form.name")}
                  helpText={t("autoReplies.form.nameHelp")}
                  value={name}
                  onChange={edit("name")}
                  maxLength={props.limits.name}
                  autoComplete="off"
                  error={fieldError("name")}
                />
                <FormLayout.Group>
                  <Select
                    label={t("autoReplies.form.matchType")}
                    options={MATCH_TYPES.map((type) => ({ value: type, label: t(`autoReplies.matchType.${type}`) }))}
                    value={matchType}
                    onChange={(value) => edit("matchType", "pattern")(value as MatchType)}
                    error={fieldError("matchType")}
                  />
                  <TextField
                    label={t("autoReplies.form.priority")}
                    helpText={t("autoReplies.form.priorityHelp")}
                    type="number"
                    min={0}
                    max={props.limits.priority}
                    value={priority}
                    onChange={edit("priority")}
                    autoComplete="off"
                    error={fieldError("priority")}
                  />
                </FormLayout.Group>
                <TextField
                  label={t(matchType === "regex" ? "autoReplies.form.regex" : "autoReplies.form.pattern")}
                  helpText={t(`autoReplies.form.help.${matchType}`)}
                  value={pattern}
                  onChange={edit("pattern")}
                  maxLength={props.limits.pattern}
                  monospaced={matchType === "regex"}
                  autoComplete="off"
                  error={fieldError("pattern")}
                />
                <Checkbox label={t("autoReplies.form.enabled")} checked={enabled} onChange={edit("enabled")} />
              </FormLayout>
            </SectionCard>
            <SectionCard title={t("autoReplies.form.messages")}>
              <Text as="p" tone="subdued">
                {t("autoReplies.form.messagesHelp")}
              </Text>
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
            </SectionCard>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <SectionCard title={t("autoReplies.preview.heading")} gap="200">
            <ChatPreview sender={props.sender} messages={messages.filter((m) => m.trim())} empty={t("autoReplies.preview.empty")} />
          </SectionCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

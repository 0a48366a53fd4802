// Managing saved replies (定型文): add, edit, delete. Each form posts to the inbox route's action.
import { useFetcher } from "@remix-run/react";
import { BlockStack, Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { SectionCard } from "../../components/section-card";
import { isMessageKey, useT } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import type { InboxActionData } from "../page.server";

type Saved = { id: string; title: string; text: string };

export function SavedReplies({ replies }: { replies: Saved[] }) {
  const t = useT();
  return (
    <SectionCard title={t("inbox.saved.heading")}>
      {replies.length === 0 ? <Text as="p" tone="subdued">{t("inbox.saved.none")}</Text> : null}
      {replies.map((reply) => (
        <SavedReplyForm key={reply.id} reply={reply} />
      ))}
      <SavedReplyForm reply={null} />
    </SectionCard>
  );
}

function SavedReplyForm({ reply }: { reply: Saved | null }) {
  const t = useT();
  const fetcher = useFetcher<InboxActionData>();
  const [editing, setEditing] = useState(reply === null);
  const [title, setTitle] = useState(reply?.title ?? "");
  const [text, setText] = useState(reply?.text ?? "");
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const errors = result && !result.ok ? (result.errors ?? {}) : {};
  const words = (key?: string) => (key && isMessageKey(key) ? t(key as MessageKey) : key);
  useEffect(() => {
    if (!result?.ok) return;
    if (reply === null) {
      setTitle("");
      setText("");
    } else setEditing(false);
  }, [result, reply]);

  if (!editing && reply) {
    return (
      <InlineStack align="space-between" blockAlign="start" wrap={false} gap="200">
        <BlockStack gap="050">
          <Text as="p" fontWeight="semibold">
            {reply.title}
          </Text>
          <Text as="p" tone="subdued" breakWord>
            {reply.text}
          </Text>
        </BlockStack>
        <InlineStack gap="100" wrap={false}>
          <Button onClick={() => setEditing(true)}>{t("inbox.saved.edit")}</Button>
          <Button tone="critical" variant="plain" onClick={() => fetcher.submit({ intent: "savedDelete", id: reply.id }, { method: "post" })}>
            {t("inbox.saved.delete")}
          </Button>
        </InlineStack>
      </InlineStack>
    );
  }
  const submit = () =>
    fetcher.submit(reply ? { intent: "savedUpdate", id: reply.id, title, text } : { intent: "savedCreate", title, text }, { method: "post" });
  return (
    <BlockStack gap="200">
      <TextField label={t("inbox.saved.title")} value={title} onChange={setTitle} autoComplete="off" error={words(errors.title ?? errors.form)} />
      <TextField label={t("inbox.saved.text")} value={text} onChange={setText} multiline={3} autoComplete="off" error={words(errors.text)} />
      <InlineStack gap="200">
        <Button onClick={submit} loading={fetcher.state !== "idle"}>
          {reply ? t("inbox.saved.save") : t("inbox.saved.add")}
        </Button>
        {reply ? <Button variant="plain" onClick={() => setEditing(false)}>{t("inbox.saved.cancel")}</Button> : null}
      </InlineStack>
    </BlockStack>
  );
}

// The reply box under the thread: text with saved replies to insert, how it will go (free reply or push, which
// uses quota), and the message composer for images and product cards. Errors come back in the merchant's language.
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Collapsible, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { LineErrorOriginal } from "../../components/line-error-text";
import { isMessageKey, useT } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import { MessageComposer } from "../../messages/composer";
import type { ComposedMessage } from "../../messages/model";
import type { InboxActionData } from "../page.server";

type Reply = { mode: "reply"; until: string } | { mode: "push" } | { mode: "blocked"; reason: string };

export function InboxComposer(props: { friendId: string; reply: Reply; savedReplies: { id: string; title: string; text: string }[]; sender: string }) {
  const t = useT();
  const fetcher = useFetcher<InboxActionData>();
  const [text, setText] = useState("");
  const [rich, setRich] = useState<ComposedMessage[]>([{ type: "text", text: "" }]);
  const [richOpen, setRichOpen] = useState(false);
  const result = fetcher.state === "idle" ? fetcher.data : undefined;
  const words = (key: string | undefined) => (key && isMessageKey(key) ? t(key as MessageKey) : (key ?? ""));

  useEffect(() => {
    if (result?.ok && result.intent === "send") setText("");
    if (result?.ok && result.intent === "sendRich") {
      setRich([{ type: "text", text: "" }]);
      setRichOpen(false);
    }
  }, [result]);
  useEffect(() => setText(""), [props.friendId]);

  const errors = result && !result.ok ? (result.errors ?? {}) : {};
  const formError = errors.form;
  const sending = fetcher.state !== "idle";

  if (props.reply.mode === "blocked") {
    return (
      <Banner tone="warning" title={t("friends.chat.blockedTitle")}>
        <p>{words(`friends.chat.blocked.${props.reply.reason}`)}</p>
      </Banner>
    );
  }

  const send = () => fetcher.submit({ intent: "send", friendId: props.friendId, text }, { method: "post" });
  const sendRich = () => fetcher.submit({ intent: "sendRich", friendId: props.friendId, messages: JSON.stringify(rich) }, { method: "post" });

  return (
    <div className="inbox-composer" data-testid="composer">
      <BlockStack gap="200">
        {formError ? (
          <Banner tone="critical" title={t("friends.error.title")}>
            <BlockStack gap="100">
              <p>{words(formError)}</p>
              <LineErrorOriginal text={result?.detail} />
            </BlockStack>
          </Banner>
        ) : null}
        {result?.ok ? (
          <Text as="p" tone="success">
            {result.sentVia === "reply" ? t("friends.chat.sent.reply") : t("friends.chat.sent.push")}
          </Text>
        ) : null}
        <TextField
          label={t("friends.chat.label")}
          labelHidden
          placeholder={t("friends.chat.label")}
          value={text}
          onChange={setText}
          multiline={2}
          maxHeight={120}
          autoComplete="off"
          error={errors.text ? words(errors.text) : undefined}
        />
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            {props.savedReplies.length ? (
              <Select
                label={t("inbox.saved.insert")}
                labelHidden
                options={[{ label: t("inbox.saved.insert"), value: "" }, ...props.savedReplies.map((r) => ({ label: r.title, value: r.id }))]}
                value=""
                onChange={(id) => {
                  const saved = props.savedReplies.find((r) => r.id === id);
                  if (saved) setText((current) => (current ? `${current}\n${saved.text}` : saved.text));
                }}
              />
            ) : null}
            <Button onClick={() => setRichOpen((open) => !open)} disclosure={richOpen ? "up" : "down"}>
              {t("inbox.rich.open")}
            </Button>
          </InlineStack>
          <InlineStack gap="200" blockAlign="center">
            <Badge tone={props.reply.mode === "reply" ? "success" : "attention"}>
              {props.reply.mode === "reply" ? t("friends.chat.mode.reply") : t("friends.chat.mode.push")}
            </Badge>
            <Button variant="primary" onClick={send} loading={sending && fetcher.formData?.get("intent") === "send"} disabled={!text.trim()}>
              {t("friends.chat.send")}
            </Button>
          </InlineStack>
        </InlineStack>
        <Collapsible id="inbox-rich" open={richOpen}>
          <BlockStack gap="200">
            <MessageComposer value={rich} onChange={setRich} errors={errors} sender={props.sender} />
            <InlineStack align="end">
              <Button variant="primary" onClick={sendRich} loading={sending && fetcher.formData?.get("intent") === "sendRich"}>
                {t("inbox.rich.send")}
              </Button>
            </InlineStack>
          </BlockStack>
        </Collapsible>
      </BlockStack>
    </div>
  );
}

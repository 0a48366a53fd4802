// The broadcast's messages. Text messages are edited here; the message composer (app/messages) takes this
// card's place for images and product cards.
import { BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useT } from "../../i18n/i18n";
import type { ComposedMessage } from "../ports.server";

export function MessagesCard(props: { messages: ComposedMessage[]; onChange: (messages: ComposedMessage[]) => void; error?: string }) {
  const t = useT();
  const { messages, onChange } = props;
  const update = (index: number, text: string) => onChange(messages.map((m, i) => (i === index ? { type: "text", text } : m)));
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {t("broadcasts.form.messages")}
        </Text>
        {props.error && (
          <Text as="p" tone="critical">
            {props.error}
          </Text>
        )}
        {messages.map((message, index) =>
          message.type === "text" ? (
            <TextField
              key={index}
              label={t("broadcasts.form.messageText", { n: index + 1 })}
              value={message.text}
              onChange={(text) => update(index, text)}
              multiline={4}
              maxLength={5000}
              autoComplete="off"
              helpText={index === 0 ? t("broadcasts.form.messageHelp") : undefined}
              labelAction={messages.length > 1 ? { content: t("broadcasts.form.removeMessage"), onAction: () => onChange(messages.filter((_, i) => i !== index)) } : undefined}
            />
          ) : (
            <Text as="p" key={index} tone="subdued">
              {message.type}
            </Text>
          ),
        )}
        <InlineStack>
          <Button onClick={() => onChange([...messages, { type: "text", text: "" }])} disabled={messages.length >= 5}>
            {t("broadcasts.form.addMessage")}
          </Button>
        </InlineStack>
      </BlockStack>
    </Card>
  );
}

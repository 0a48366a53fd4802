// The message composer that broadcasts (and later step messages) embed: up to five messages of text, image or
// product cards, reordered and removed freely, with the live preview beside it (below it on a phone). The preview
// renders buildLineMessages' output, the very JSON LINE receives.
import { Badge, Banner, BlockStack, Box, Button, ButtonGroup, Card, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { useMemo } from "react";
import { isMessageKey, useLocale, useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { buildLineMessages, MessageBuildError, type LineMessage } from "./build";
import { ImageEditor, TextEditor } from "./composer-editors";
import { ProductsEditor } from "./composer-products";
import { MESSAGE_LIMITS, type ComposedMessage, type ComposedMessageType } from "./limits";
import { MessagesPreview } from "./preview";

export type MessageComposerProps = {
  value: ComposedMessage[];
  onChange: (value: ComposedMessage[]) => void;
  /**
   * Errors by field path as composedMessageErrors gives them ("0.text", "2.products.1.url"; "" for the whole list),
   * each an i18n key or words. Any other key ("line.0": LINE's validation errors) is shown above the messages.
   */
  errors?: Record<string, string>;
  /** The UTM parameters the links will carry, so the preview shows the real links. */
  utm?: Record<string, string>;
  /** The sending account's name, shown in the preview. */
  sender?: string;
  /** The preview below the messages instead of beside them (for a composer inside a narrow card). */
  stacked?: boolean;
};

const TYPE_LABEL: Record<ComposedMessageType, MessageKey> = {
  text: "messagesComposer.type.text",
  image: "messagesComposer.type.image",
  products: "messagesComposer.type.products",
};

export function MessageComposer({ value, onChange, errors = {}, utm, sender, stacked = false }: MessageComposerProps) {
  const t = useT();
  const locale = useLocale();
  const words = (text: string) => (isMessageKey(text) ? t(text as MessageKey) : text);
  const errorFor = (index: number) => (...fields: string[]) => {
    const found = fields.map((field) => errors[`${index}.${field}`]).find(Boolean);
    return found ? words(found) : undefined;
  };
  const replace = (index: number, message: ComposedMessage) => onChange(value.map((m, i) => (i === index ? message : m)));
  const remove = (index: number) => onChange(value.filter((_, i) => i !== index));
  const move = (index: number, by: -1 | 1) => {
    const next = [...value];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    onChange(next);
  };
  const add = (type: ComposedMessageType) => {
    const blank: ComposedMessage =
      type === "text"
        ? { type, text: "" }
        : type === "image"
          ? { type, url: "", previewUrl: "" }
          : { type, products: [], buttonLabel: t("messagesComposer.products.buttonDefault") };
    onChange([...value, blank]);
  };

  const sample = t("messagesComposer.preview.sampleName");
  const preview = useMemo((): { messages: LineMessage[]; error?: string } => {
    // Messages still being filled in (no image yet, no products) are left out until they can be drawn.
    const ready = value.filter((m) => (m.type === "image" ? m.previewUrl !== "" : m.type === "products" ? m.products.length > 0 : m.text.trim() !== ""));
    try {
      return { messages: buildLineMessages(ready, { displayName: sample, utm, locale }) };
    } catch (error) {
      if (error instanceof MessageBuildError) return { messages: [], error: "messagesComposer.error.uriTooLong" };
      throw error;
    }
  }, [value, utm, locale, sample]);
  const full = value.length >= MESSAGE_LIMITS.messages;
  const listError = errors[""];
  const otherErrors = Object.entries(errors).filter(([key]) => key !== "" && !/^\d+\./.test(key));

  return (
    <InlineGrid columns={{ xs: 1, md: stacked ? 1 : ["twoThirds", "oneThird"] }} gap="400">
      <BlockStack gap="400">
        {listError ? <Banner tone="critical">{words(listError)}</Banner> : null}
        {otherErrors.length ? (
          <Banner tone="critical">
            <BlockStack gap="100">
              {otherErrors.map(([key, text]) => (
                <p key={key}>{words(text)}</p>
              ))}
            </BlockStack>
          </Banner>
        ) : null}
        {value.map((message, index) => (
          <Card key={index}>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center" gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    {t("messagesComposer.message.label", { n: index + 1 })}
                  </Text>
                  <Badge>{t(TYPE_LABEL[message.type])}</Badge>
                </InlineStack>
                <ButtonGroup>
                  <Button size="slim" disabled={index === 0} onClick={() => move(index, -1)}>
                    {t("messagesComposer.moveUp")}
                  </Button>
                  <Button size="slim" disabled={index === value.length - 1} onClick={() => move(index, 1)}>
                    {t("messagesComposer.moveDown")}
                  </Button>
                  <Button size="slim" tone="critical" onClick={() => remove(index)}>
                    {t("messagesComposer.remove")}
                  </Button>
                </ButtonGroup>
              </InlineStack>
              {message.type === "text" ? (
                <TextEditor index={index} message={message} onChange={(m) => replace(index, m)} error={errorFor(index)} />
              ) : message.type === "image" ? (
                <ImageEditor index={index} message={message} onChange={(m) => replace(index, m)} error={errorFor(index)} />
              ) : (
                <ProductsEditor index={index} message={message} onChange={(m) => replace(index, m)} error={errorFor(index)} />
              )}
            </BlockStack>
          </Card>
        ))}
        <BlockStack gap="200">
          <InlineStack gap="200">
            {(["text", "image", "products"] as const).map((type) => (
              <Button key={type} onClick={() => add(type)} disabled={full}>
                {t(`messagesComposer.add.${type}`)}
              </Button>
            ))}
          </InlineStack>
          {full ? (
            <Text as="p" tone="subdued">
              {t("messagesComposer.limit")}
            </Text>
          ) : null}
        </BlockStack>
      </BlockStack>
      <Box>
        <Card>
          <BlockStack gap="300">
            <Text as="h3" variant="headingSm">
              {t("messagesComposer.preview.heading")}
            </Text>
            {preview.error ? <Banner tone="critical">{t(preview.error as MessageKey)}</Banner> : null}
            <MessagesPreview messages={preview.messages} sender={sender} empty={t("messagesComposer.preview.empty")} />
            {value.some((m) => m.type === "text" && m.text.includes("{displayName}")) ? (
              <Text as="p" variant="bodySm" tone="subdued">
                {t("messagesComposer.preview.nameNote", { name: sample })}
              </Text>
            ) : null}
          </BlockStack>
        </Card>
      </Box>
    </InlineGrid>
  );
}

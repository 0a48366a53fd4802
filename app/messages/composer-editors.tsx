// One editor per message type, for the composer: text (with the friend's name variable and LINE's count), image
// (upload with progress, or a product's picture) and product cards (App Bridge's picker).
import { Banner, BlockStack, Button, DropZone, InlineStack, ProgressBar, Text, TextField, Thumbnail } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useT } from "../i18n/i18n";
import { fetchProducts, pickerAvailable, pickProductIds, uploadImage } from "./composer-api";
import { DISPLAY_NAME_VARIABLE, MESSAGE_LIMITS, textLength, type ComposedMessage } from "./limits";

type Of<T extends ComposedMessage["type"]> = Extract<ComposedMessage, { type: T }>;
export type EditorProps<T extends ComposedMessage["type"]> = {
  index: number;
  message: Of<T>;
  onChange: (message: Of<T>) => void;
  /** The words for the error of one of the message's fields, if any. */
  error: (...fields: string[]) => string | undefined;
};

/** Whether App Bridge's picker is there; known only in the browser, so the server render never shows it. */
export function usePickerAvailable() {
  const [available, setAvailable] = useState(false);
  useEffect(() => setAvailable(pickerAvailable()), []);
  return available;
}

export function TextEditor({ index, message, onChange, error }: EditorProps<"text">) {
  const t = useT();
  const id = `message-${index}-text`;
  const insertName = () => {
    const field = document.getElementById(id) as HTMLTextAreaElement | null;
    const at = field?.selectionStart ?? message.text.length;
    const end = field?.selectionEnd ?? at;
    onChange({ ...message, text: message.text.slice(0, at) + DISPLAY_NAME_VARIABLE + message.text.slice(end) });
    requestAnimationFrame(() => {
      field?.focus();
      field?.setSelectionRange(at + DISPLAY_NAME_VARIABLE.length, at + DISPLAY_NAME_VARIABLE.length);
    });
  };
  const count = textLength(message.text, message.fallbackName);
  const personal = message.text.includes(DISPLAY_NAME_VARIABLE);
  return (
    <BlockStack gap="200">
      <TextField
        id={id}
        label={t("messagesComposer.text.label")}
        labelHidden
        value={message.text}
        onChange={(text) => onChange({ ...message, text })}
        multiline={4}
        autoComplete="off"
        error={error("text")}
        helpText={
          <span data-testid={`${id}-count`}>
            {t("messagesComposer.text.count", { count: count.toLocaleString(), max: MESSAGE_LIMITS.text.toLocaleString() })}
            {" · "}
            {t("messagesComposer.text.countHelp", { name: MESSAGE_LIMITS.displayName })}
          </span>
        }
      />
      <InlineStack>
        <Button onClick={insertName} size="slim">
          {t("messagesComposer.text.insertName")}
        </Button>
      </InlineStack>
      {personal ? (
        <TextField
          label={t("messagesComposer.fallback.label")}
          value={message.fallbackName ?? ""}
          placeholder={t("messagesComposer.fallback.placeholder")}
          onChange={(fallbackName) => onChange({ ...message, fallbackName })}
          maxLength={MESSAGE_LIMITS.displayName}
          autoComplete="off"
          error={error("fallbackName")}
        />
      ) : null}
    </BlockStack>
  );
}

export function ImageEditor({ index, message, onChange, error }: EditorProps<"image">) {
  const t = useT();
  const [progress, setProgress] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const picker = usePickerAvailable();
  const upload = async (file: File | undefined) => {
    if (!file) return;
    setFailure(null);
    if (file.size > MESSAGE_LIMITS.imageBytes) return setFailure("messagesComposer.error.imageTooLarge");
    if (!["image/jpeg", "image/png"].includes(file.type)) return setFailure("messagesComposer.error.imageType");
    setProgress(0);
    const answer = await uploadImage(file, setProgress);
    setProgress(null);
    if (answer.ok) onChange({ ...message, ...answer.image });
    else setFailure(answer.error);
  };
  const fromProduct = async () => {
    setFailure(null);
    const ids = await pickProductIds(false);
    if (!ids?.length) return;
    const answer = await fetchProducts(ids.slice(0, 1));
    if (!answer.ok) return setFailure(answer.error);
    const image = answer.products[0]?.image;
    if (!image) return setFailure("messagesComposer.error.productImage");
    onChange({ ...message, ...image });
  };
  const fieldError = error("url", "previewUrl");
  return (
    <BlockStack gap="200">
      {failure ? (
        <Banner tone="critical" onDismiss={() => setFailure(null)}>
          {t(failure as Parameters<typeof t>[0])}
        </Banner>
      ) : null}
      <InlineStack gap="300" blockAlign="center" wrap={false}>
        {message.previewUrl ? <Thumbnail source={message.previewUrl} alt={t("messagesComposer.image.alt", { n: index + 1 })} size="large" /> : null}
        <div style={{ flex: 1, minWidth: 0 }}>
          <DropZone
            accept="image/jpeg,image/png"
            type="image"
            allowMultiple={false}
            disabled={progress !== null}
            onDrop={(files) => void upload(files[0])}
            label={t("messagesComposer.image.replace")}
            labelHidden
            error={Boolean(fieldError)}
          >
            <DropZone.FileUpload actionHint={t("messagesComposer.image.drop")} />
          </DropZone>
        </div>
      </InlineStack>
      {progress !== null ? (
        <BlockStack gap="100">
          <Text as="p" variant="bodySm" tone="subdued">
            {t("messagesComposer.image.uploading")}
          </Text>
          <ProgressBar progress={Math.round(progress * 100)} size="small" animated />
        </BlockStack>
      ) : null}
      {fieldError ? (
        <Text as="p" tone="critical">
          {fieldError}
        </Text>
      ) : null}
      {picker ? (
        <InlineStack>
          <Button size="slim" onClick={() => void fromProduct()} disabled={progress !== null}>
            {t("messagesComposer.image.fromProduct")}
          </Button>
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}

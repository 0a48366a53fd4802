// A LINE error as the merchant reads it: what happened and what to do, in the admin's language, and under it
// LINE's own words in small print (marked translate="no": they are LINE's, not ours, and support needs them as is).
import { BlockStack, Text } from "@shopify/polaris";
import { useT } from "../i18n/i18n";
import { lineErrorView, type LineErrorView, type StoredLineError } from "../line/error-message";

/** The merchant's words for a stored LINE error, for places that build their own sentence around it. */
export function useLineError(): (error: StoredLineError | null | undefined) => LineErrorView & { text: string } {
  const t = useT();
  return (error) => {
    const view = lineErrorView(error);
    return { ...view, text: t(view.key, view.values) };
  };
}

export function LineErrorText(props: {
  error: StoredLineError | null | undefined;
  /** Wraps the explanation in the page's own sentence, e.g. "3 batches failed: {reason}". */
  sentence?: (explanation: string) => string;
  /** Hide LINE's own words (e.g. where they are shown elsewhere on the page). */
  hideOriginal?: boolean;
  tone?: "critical" | "subdued";
}) {
  const describe = useLineError();
  const view = describe(props.error);
  return (
    <BlockStack gap="050">
      <Text as="p" tone={props.tone} breakWord>
        {props.sentence ? props.sentence(view.text) : view.text}
      </Text>
      {view.original && !props.hideOriginal ? (
        <Text as="p" tone="subdued" variant="bodySm" breakWord>
          <span translate="no" data-line-original="">
            {view.original}
          </span>
        </Text>
      ) : null}
    </BlockStack>
  );
}

/** LINE's own words alone, in small print, where the page already explains the error in the merchant's words. */
export function LineErrorOriginal({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <Text as="p" tone="subdued" variant="bodySm" breakWord>
      <span translate="no" data-line-original="">
        {text}
      </span>
    </Text>
  );
}

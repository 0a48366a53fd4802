// How many friends the conditions match right now: a complete definition is posted to /app/segments/count a
// moment after the last change (one request per pause, not per keystroke).
import { useFetcher } from "@remix-run/react";
import { Banner, Button, InlineStack, Spinner, Text } from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { useT } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { segmentDefinitionSchema, type SegmentDefinition } from "./model";
import { SectionCard } from "../components/section-card";

const DEBOUNCE_MS = 400;
type CountAnswer = { ok: true; count: number } | { ok: false; errors: Record<string, string>; message: string };

export function LiveCount(props: { definition: SegmentDefinition; segmentId: string | null }) {
  const t = useT();
  const fetcher = useFetcher<CountAnswer>();
  const complete = segmentDefinitionSchema.safeParse(props.definition).success;
  const body = JSON.stringify(props.definition);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    clearTimeout(timer.current);
    if (!complete) return;
    timer.current = setTimeout(() => fetcher.submit({ definition: body }, { method: "post", action: "/app/segments/count" }), DEBOUNCE_MS);
    return () => clearTimeout(timer.current);
    // fetcher is a new object every render; the definition is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [body, complete]);

  const answer = fetcher.data;
  const busy = fetcher.state !== "idle";
  let content;
  if (!complete) {
    content = (
      <Text as="p" tone="subdued">
        {t("segments.count.incomplete")}
      </Text>
    );
  } else if (answer && !answer.ok) {
    content = (
      <Banner tone="critical" title={t("segments.count.failed")}>
        {[...new Set(Object.values(answer.errors))].map((key) => (
          <p key={key}>{t(key as MessageKey)}</p>
        ))}
      </Banner>
    );
  } else {
    const count = answer?.ok ? answer.count : null;
    content = (
      <InlineStack gap="200" blockAlign="center">
        <Text as="p" variant="heading2xl" numeric>
          <span data-testid="segment-count">{count === null ? "—" : count === 1 ? t("segments.count.valueOne") : t("segments.count.value", { count: count.toLocaleString() })}</span>
        </Text>
        {busy ? <Spinner size="small" accessibilityLabel={t("segments.count.loading")} /> : null}
      </InlineStack>
    );
  }
  return (
    <SectionCard title={t("segments.count.title")}>
      {content}
      <Text as="p" tone="subdued" variant="bodySm">
        {t("segments.editor.staffBlockedNote")}
      </Text>
      {props.segmentId ? (
        <InlineStack>
          <Button url={`/app/friends?segment=${props.segmentId}`}>{t("segments.count.openList")}</Button>
        </InlineStack>
      ) : (
        <Text as="p" tone="subdued" variant="bodySm">
          {t("segments.count.unsaved")}
        </Text>
      )}
    </SectionCard>
  );
}

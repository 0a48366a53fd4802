// One step on the timeline. Closed, it reads like the friend will see it: when, the messages as LINE draws them,
// the condition, the tag actions and how the step has done so far. Open, it edits all of that with the same
// message composer broadcasts use.
import { Badge, Banner, BlockStack, Box, Button, ButtonGroup, Card, Divider, InlineStack, Text } from "@shopify/polaris";
import { useMemo } from "react";
import { useLocale, useT } from "../../i18n/i18n";
import { buildLineMessages, MessageBuildError, type LineMessage } from "../../messages/build";
import { MessageComposer } from "../../messages/composer";
import { MessagesPreview } from "../../messages/preview";
import type { ComposedMessage } from "../../messages/model";
import { ActionsEditor } from "./actions-editor";
import { ConditionEditor } from "./condition-editor";
import { DelayEditor } from "./delay-editor";
import type { DraftStep, FieldError, Option } from "./draft";
import { useConditionText, useDelayText } from "./labels";

export type StepFigures = { sent: number; sending: number; waiting: number; upcoming: number; skipped: number; failed: number };

function useBuilt(messages: ComposedMessage[], utm: Record<string, string>) {
  const t = useT();
  const locale = useLocale();
  const sample = t("messagesComposer.preview.sampleName");
  return useMemo((): LineMessage[] => {
    const ready = messages.filter((m) => (m.type === "image" ? m.previewUrl !== "" : m.type === "products" ? m.products.length > 0 : m.text.trim() !== ""));
    try {
      return buildLineMessages(ready, { displayName: sample, utm, locale });
    } catch (error) {
      if (error instanceof MessageBuildError) return [];
      throw error;
    }
  }, [messages, utm, locale, sample]);
}

function Figures({ figures }: { figures: StepFigures }) {
  const t = useT();
  const parts: [string, number, "success" | "attention" | "critical" | undefined][] = [
    [t("scenarioPages.figures.sent"), figures.sent, "success"],
    [t("scenarioPages.figures.upcoming"), figures.upcoming, undefined],
    [t("scenarioPages.figures.queued"), figures.sending, undefined],
    [t("scenarioPages.figures.waiting"), figures.waiting, "attention"],
    [t("scenarioPages.figures.skipped"), figures.skipped, undefined],
    [t("scenarioPages.figures.failed"), figures.failed, "critical"],
  ];
  return (
    <InlineStack gap="200" wrap>
      {parts
        .filter(([, count], index) => count > 0 || index === 0)
        .map(([label, count, tone]) => (
          <Badge key={label} tone={count > 0 ? tone : undefined}>
            {`${label} ${count.toLocaleString()}`}
          </Badge>
        ))}
    </InlineStack>
  );
}

export function StepCard(props: {
  step: DraftStep;
  index: number;
  count: number;
  open: boolean;
  onOpen: (open: boolean) => void;
  onChange: (step: DraftStep) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
  tags: Option[];
  timeZone: string;
  utm: Record<string, string>;
  sender?: string;
  figures?: StepFigures;
  /** The save answer's errors for this step, by path inside the step ("delay.amount", "messages.0.text"). */
  errors: Record<string, string>;
  words: (key: string) => string;
}) {
  const t = useT();
  const delayText = useDelayText();
  const conditionText = useConditionText();
  const { step, index } = props;
  const built = useBuilt(step.messages, props.utm);
  const error: FieldError = (...paths) => {
    const found = paths.map((path) => props.errors[path]).find(Boolean);
    return found ? props.words(found) : undefined;
  };
  const messageErrors = Object.fromEntries(
    Object.entries(props.errors).flatMap(([path, key]) => (path === "messages" ? [["", key]] : path.startsWith("messages.") ? [[path.slice("messages.".length), key]] : [])),
  );
  const hasErrors = Object.keys(props.errors).length > 0;
  const set = (patch: Partial<DraftStep>) => props.onChange({ ...step, ...patch });
  const condition = conditionText(step.condition, step.onConditionFail, props.tags);
  const tagName = (id: string) => props.tags.find((tag) => tag.id === id)?.name ?? "?";

  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center" gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h3" variant="headingSm">
              {t("scenarioPages.step.title", { n: index + 1 })}
            </Text>
            <Badge tone="info">{delayText(step.delay, index === 0)}</Badge>
            {step.id === null && <Badge tone="attention">{t("scenarioPages.step.new")}</Badge>}
            {hasErrors && <Badge tone="critical">{t("scenarioPages.step.hasErrors")}</Badge>}
          </InlineStack>
          <ButtonGroup>
            <Button size="slim" accessibilityLabel={t("scenarioPages.step.moveUp")} disabled={index === 0} onClick={() => props.onMove(-1)}>
              ↑
            </Button>
            <Button size="slim" accessibilityLabel={t("scenarioPages.step.moveDown")} disabled={index === props.count - 1} onClick={() => props.onMove(1)}>
              ↓
            </Button>
            <Button size="slim" onClick={() => props.onOpen(!props.open)} variant={props.open ? "primary" : undefined}>
              {props.open ? t("scenarioPages.step.close") : t("scenarioPages.step.edit")}
            </Button>
            <Button size="slim" tone="critical" onClick={props.onRemove} accessibilityLabel={t("scenarioPages.step.removeLabel", { n: index + 1 })}>
              {t("scenarioPages.step.remove")}
            </Button>
          </ButtonGroup>
        </InlineStack>
        {props.open ? (
          <BlockStack gap="400">
            {error("", "id") && <Banner tone="critical">{error("", "id")}</Banner>}
            <DelayEditor value={step.delay} onChange={(delay) => set({ delay })} first={index === 0} timeZone={props.timeZone} error={error} />
            <Divider />
            <MessageComposer value={step.messages} onChange={(messages) => set({ messages })} errors={messageErrors} utm={props.utm} sender={props.sender} stacked />
            <Divider />
            <Text as="h4" variant="headingSm">
              {t("scenarioPages.condition.heading")}
            </Text>
            <ConditionEditor value={step.condition} onFail={step.onConditionFail} onChange={(condition, onConditionFail) => set({ condition, onConditionFail })} tags={props.tags} error={error} />
            <Divider />
            <Text as="h4" variant="headingSm">
              {t("scenarioPages.actions.heading")}
            </Text>
            <ActionsEditor value={step.actions} onChange={(actions) => set({ actions })} tags={props.tags} error={error} />
          </BlockStack>
        ) : (
          <BlockStack gap="300">
            <Box maxWidth="420px">
              <MessagesPreview messages={built} sender={props.sender} empty={t("scenarioPages.step.noMessage")} testId={`step-preview-${index}`} />
            </Box>
            {condition && (
              <Text as="p" tone="subdued">
                {condition}
              </Text>
            )}
            {(step.actions.addTagIds.length > 0 || step.actions.removeTagIds.length > 0) && (
              <Text as="p" tone="subdued">
                {[
                  step.actions.addTagIds.length ? t("scenarioPages.actions.summaryAdd", { tags: step.actions.addTagIds.map(tagName).join(", ") }) : null,
                  step.actions.removeTagIds.length ? t("scenarioPages.actions.summaryRemove", { tags: step.actions.removeTagIds.map(tagName).join(", ") }) : null,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              </Text>
            )}
            {hasErrors && (
              <Text as="p" tone="critical">
                {Object.values(props.errors).map(props.words)[0]}
              </Text>
            )}
          </BlockStack>
        )}
        {props.figures && step.id !== null && <Figures figures={props.figures} />}
      </BlockStack>
    </Card>
  );
}

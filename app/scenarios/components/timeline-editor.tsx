// The scenario as a vertical timeline: the trigger, each step with its delay, messages, condition and actions, a
// way to add a step, and the exit rules at the end.
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { useState } from "react";
import { useT } from "../../i18n/i18n";
import { SectionCard } from "../../components/section-card";
import { LIMITS } from "../constants";
import { newStep, type DraftStep, type ExitRule, type FieldError, type Option, type ScenarioDraft, type Trigger } from "./draft";
import { ExitRulesEditor } from "./exit-rules-editor";
import { StepCard, type StepFigures } from "./step-card";
import { Timeline, TimelineItem } from "./timeline";
import { TriggerEditor } from "./trigger-editor";

const MAX_STEPS = LIMITS.steps;

export function TimelineEditor(props: {
  draft: ScenarioDraft;
  /** `stepIndex`: the one step a change of `steps` edited (none: steps were added, moved or removed). */
  set: (patch: Partial<ScenarioDraft>, stepIndex?: number) => void;
  tags: Option[];
  timeZone: string;
  sender?: string;
  figures: Record<string, StepFigures>;
  errors: Record<string, string>;
  words: (key: string) => string;
  error: FieldError;
}) {
  const t = useT();
  const { draft, set } = props;
  const steps = draft.steps;
  // A step with errors from the last save opens by itself, so the merchant sees the field.
  const [open, setOpen] = useState<string | null>(() => (steps.length === 1 && steps[0].id === null ? steps[0].key : null));
  const utm = Object.fromEntries(new URLSearchParams(draft.utmParams));
  const stepErrors = (index: number) => {
    const prefix = `steps.${index}.`;
    return Object.fromEntries(Object.entries(props.errors).flatMap(([path, key]) => (path.startsWith(prefix) ? [[path.slice(prefix.length), key]] : path === `steps.${index}` ? [["", key]] : [])));
  };
  const setSteps = (next: DraftStep[]) => set({ steps: next });
  const move = (index: number, by: -1 | 1) => {
    const next = [...steps];
    [next[index], next[index + by]] = [next[index + by], next[index]];
    setSteps(next);
  };
  const add = () => {
    const step = newStep(steps.length === 0);
    setSteps([...steps, step]);
    setOpen(step.key);
  };
  const full = steps.length >= MAX_STEPS;

  return (
    <Timeline label={t("scenarioPages.timeline.label")}>
      <TimelineItem marker="▶" tone="trigger" testId="timeline-trigger">
        <SectionCard title={t("scenarioPages.trigger.heading")}>
          <TriggerEditor value={draft.trigger} onChange={(trigger: Trigger) => set({ trigger })} tags={props.tags} error={props.error} />
        </SectionCard>
      </TimelineItem>
      {steps.map((step, index) => {
        const errors = stepErrors(index);
        return (
          <TimelineItem key={step.key} marker={String(index + 1)} tone="step" testId={`timeline-step-${index}`}>
            <StepCard
              step={step}
              index={index}
              count={steps.length}
              open={open === step.key || Object.keys(errors).length > 0}
              onOpen={(on) => setOpen(on ? step.key : null)}
              onChange={(next) => set({ steps: steps.map((s, i) => (i === index ? next : s)) }, index)}
              onMove={(by) => move(index, by)}
              onRemove={() => setSteps(steps.filter((_, i) => i !== index))}
              tags={props.tags}
              timeZone={props.timeZone}
              utm={utm}
              sender={props.sender}
              figures={step.id ? props.figures[step.id] : undefined}
              errors={errors}
              words={props.words}
            />
          </TimelineItem>
        );
      })}
      <TimelineItem marker="+" tone="add">
        <Card>
          <BlockStack gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Button onClick={add} disabled={full}>
                {t("scenarioPages.step.add")}
              </Button>
              <Text as="span" tone="subdued">
                {full ? t("scenarioPages.step.limit", { max: MAX_STEPS }) : t("scenarioPages.step.count", { n: steps.length })}
              </Text>
            </InlineStack>
            {props.error("steps") && (
              <Text as="p" tone="critical">
                {props.error("steps")}
              </Text>
            )}
          </BlockStack>
        </Card>
      </TimelineItem>
      <TimelineItem marker="■" tone="end" last testId="timeline-exit">
        <SectionCard title={t("scenarioPages.exit.heading")}>
          <ExitRulesEditor
            value={draft.exitRules}
            onChange={(exitRules: ExitRule[]) => set({ exitRules })}
            tags={props.tags}
            error={props.error}
            problems={Object.entries(props.errors).flatMap(([path, key]) => (path === "exitRules" || path.startsWith("exitRules.") ? [props.words(key)] : []))}
          />
        </SectionCard>
      </TimelineItem>
    </Timeline>
  );
}

// Scenario parts in words: the trigger, a step's delay and condition, a run's state, an end or skip reason.
import { Badge } from "@shopify/polaris";
import { isMessageKey, useT } from "../../i18n/i18n";
import type { MessageKey } from "../../i18n/messages";
import { SKIP_REASONS } from "../constants";
import type { Condition, Delay, ExitRule, Option, Trigger } from "./draft";

const isKey = isMessageKey;

function tagName(tags: Option[], id: string) {
  return tags.find((tag) => tag.id === id)?.name ?? "?";
}

/** An i18n key stored by the engine (endReason, a skip reason), or the words themselves when it is not one. */
export function useReason() {
  const t = useT();
  return (reason: string | null | undefined) => {
    if (!reason) return "";
    const engineKey = (SKIP_REASONS as Record<string, string>)[reason];
    for (const key of [reason, engineKey ?? "", `scenarioPages.reason.${reason}`]) if (isKey(key)) return t(key);
    return reason;
  };
}

export function useTriggerText() {
  const t = useT();
  return (trigger: Trigger, tags: Option[]) => {
    switch (trigger.type) {
      case "follow":
        return t(`scenarioPages.trigger.summary.follow.${trigger.refollow}`);
      case "tagAdded":
        return t("scenarioPages.trigger.summary.tagAdded", { tag: tagName(tags, trigger.tagId) });
      case "linked":
        return t("scenarioPages.trigger.summary.linked");
      case "order":
        return t(trigger.first ? "scenarioPages.trigger.summary.firstOrder" : "scenarioPages.trigger.summary.anyOrder");
      case "manual":
        return t("scenarioPages.trigger.summary.manual");
    }
  };
}

export function useDelayText() {
  const t = useT();
  return (delay: Delay, first: boolean) => {
    if (delay.kind === "dayAt") {
      return delay.day === 0 ? t("scenarioPages.delay.summary.sameDayAt", { time: delay.time }) : t("scenarioPages.delay.summary.dayAt", { day: delay.day, time: delay.time });
    }
    if (delay.amount === 0) return t(first || delay.from === "start" ? "scenarioPages.delay.summary.atStart" : "scenarioPages.delay.summary.withPrevious");
    const amount = t(`scenarioPages.delay.amount.${delay.unit}`, { n: delay.amount });
    return t(delay.from === "start" || first ? "scenarioPages.delay.summary.afterStart" : "scenarioPages.delay.summary.afterPrevious", { amount });
  };
}

export function useConditionText() {
  const t = useT();
  return (condition: Condition | null, onFail: "skip" | "end", tags: Option[]) => {
    if (!condition) return null;
    const what =
      condition.type === "hasTag" || condition.type === "lacksTag"
        ? t(`scenarioPages.condition.summary.${condition.type}`, { tag: tagName(tags, condition.tagId) })
        : t(`scenarioPages.condition.summary.${condition.type}`);
    return t(onFail === "end" ? "scenarioPages.condition.summary.orEnd" : "scenarioPages.condition.summary.orSkip", { condition: what });
  };
}

export function useExitRuleText() {
  const t = useT();
  return (rule: ExitRule, tags: Option[]) =>
    rule.type === "tagAdded" || rule.type === "tagRemoved"
      ? t(`scenarioPages.exit.summary.${rule.type}`, { tag: tagName(tags, rule.tagId) })
      : t(`scenarioPages.exit.summary.${rule.type}`);
}

export function ScenarioStatusBadge({ status }: { status: string }) {
  const t = useT();
  return <Badge tone={status === "on" ? "success" : undefined}>{t(status === "on" ? "scenarioPages.status.on" : "scenarioPages.status.off")}</Badge>;
}

const RUN_TONES: Record<string, "success" | "info" | "warning" | "attention" | undefined> = {
  active: "info",
  finished: "success",
  exited: "attention",
  stopped: "warning",
};

export function RunStatusBadge({ status }: { status: string }) {
  const t = useT();
  const key = `scenarioPages.run.status.${status}`;
  return <Badge tone={RUN_TONES[status]}>{isKey(key) ? t(key) : status}</Badge>;
}

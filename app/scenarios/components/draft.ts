// The editor's working copy of a scenario (browser-safe): what the page edits and posts to saveScenario. Steps keep
// their stored id (null for a new one) so the engine can tell a changed step from an added one.
import type { ComposedMessage } from "../../messages/model";
import type { ExitRule, StepActions, StepCondition, StepDelay, Trigger } from "../model";

export type { ExitRule, StepActions, Trigger } from "../model";
export type Delay = StepDelay;
export type Condition = StepCondition;

export type DraftStep = {
  id: string | null;
  /** A key that survives reordering, for React and for "which step is open". */
  key: string;
  delay: Delay;
  messages: ComposedMessage[];
  condition: Condition | null;
  onConditionFail: "skip" | "end";
  actions: StepActions;
};

export type ScenarioDraft = {
  name: string;
  lineAccountId: string;
  trigger: Trigger;
  exitRules: ExitRule[];
  allowReentry: boolean;
  quietHours: boolean;
  quietStart: string;
  quietEnd: string;
  latenessHours: number;
  utmParams: string;
  steps: DraftStep[];
};

export type Option = { id: string; name: string };

/** Finds the words for the first of `paths` that has an error (paths as the save answer names them). */
export type FieldError = (...paths: string[]) => string | undefined;

let counter = 0;
export const newKey = () => `new-${Date.now().toString(36)}-${(counter += 1)}`;

export function newStep(first: boolean): DraftStep {
  return {
    id: null,
    key: newKey(),
    delay: first ? { kind: "after", amount: 0, unit: "minutes", from: "start" } : { kind: "after", amount: 1, unit: "days", from: "previous" },
    messages: [{ type: "text", text: "" }],
    condition: null,
    onConditionFail: "skip",
    actions: { addTagIds: [], removeTagIds: [] },
  };
}

/** What is posted: the draft without the browser-only keys. */
export function toInput(draft: ScenarioDraft) {
  return { ...draft, steps: draft.steps.map(({ key: _key, ...step }) => step) };
}

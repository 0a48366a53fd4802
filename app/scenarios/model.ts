// What a step scenario is, for the browser and the server alike: the trigger, the steps (delay, messages,
// condition, actions), the exit rules and the settings, as zod schemas whose error messages are i18n keys
// (app/i18n/scenarios.ts; the messages' own errors are messagesComposer.error.*). The JSON shapes are those
// documented on Scenario and ScenarioStep in prisma/schema.prisma.
import { z } from "zod";
import { composedMessagesSchema, type ComposedMessage } from "../messages/model";
import { DEFAULT_UTM, LIMITS, SCENARIO_STATUSES } from "./constants";
export * from "./constants";

const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const id = (key: string) => z.string().min(1, key);

// ── trigger ──────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * What a re-follow (a friend who had blocked the account follows again) does: restart (the active run, if any,
 * ends and a new one starts), continue (an active run goes on; with none, a new one starts if re-entry is
 * allowed), ignore (re-follows never start a run).
 */
export const REFOLLOW_CHOICES = ["restart", "continue", "ignore"] as const;
export type RefollowChoice = (typeof REFOLLOW_CHOICES)[number];

export const triggerSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("follow"), refollow: z.enum(REFOLLOW_CHOICES).default("ignore") }),
  z.object({ type: z.literal("tagAdded"), tagId: id("scenarios.error.triggerTag") }),
  z.object({ type: z.literal("linked") }),
  z.object({ type: z.literal("order"), first: z.boolean() }),
  z.object({ type: z.literal("manual") }),
]);
export type Trigger = z.infer<typeof triggerSchema>;
export type TriggerType = Trigger["type"];

// ── steps ────────────────────────────────────────────────────────────────────────────────────────────────────

export const DELAY_UNITS = ["minutes", "hours", "days"] as const;
export type DelayUnit = (typeof DELAY_UNITS)[number];

export const delaySchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("after"),
      amount: z.number({ error: "scenarios.error.delayAmount" }).int("scenarios.error.delayAmount").min(0, "scenarios.error.delayAmount"),
      unit: z.enum(DELAY_UNITS),
      from: z.enum(["previous", "start"]),
    }),
    z.object({
      kind: z.literal("dayAt"),
      /** 0 = the day the run started, in the shop's time zone. */
      day: z.number({ error: "scenarios.error.delayDay" }).int("scenarios.error.delayDay").min(0, "scenarios.error.delayDay").max(LIMITS.maxDay, "scenarios.error.delayDay"),
      time: z.string().regex(TIME, "scenarios.error.delayTime"),
    }),
  ])
  .superRefine((delay, ctx) => {
    if (delay.kind === "after" && delayMinutes(delay) > LIMITS.maxDelayMinutes) {
      ctx.addIssue({ code: "custom", path: ["amount"], message: "scenarios.error.delayAmount" });
    }
  });
export type StepDelay = z.infer<typeof delaySchema>;

const MINUTES_PER: Record<DelayUnit, number> = { minutes: 1, hours: 60, days: 24 * 60 };

export function delayMinutes(delay: Extract<StepDelay, { kind: "after" }>): number {
  return delay.amount * MINUTES_PER[delay.unit];
}

export const conditionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("hasTag"), tagId: id("scenarios.error.conditionTag") }),
  z.object({ type: z.literal("lacksTag"), tagId: id("scenarios.error.conditionTag") }),
  z.object({ type: z.literal("linked") }),
  z.object({ type: z.literal("notLinked") }),
  /** An order of the friend's linked customer since the run started. */
  z.object({ type: z.literal("ordered") }),
  z.object({ type: z.literal("notOrdered") }),
]);
export type StepCondition = z.infer<typeof conditionSchema>;

export const actionsSchema = z
  .object({
    addTagIds: z.array(z.string().min(1)).max(LIMITS.tagsPerAction, "scenarios.error.actionTags").default([]),
    removeTagIds: z.array(z.string().min(1)).max(LIMITS.tagsPerAction, "scenarios.error.actionTags").default([]),
  })
  .superRefine((actions, ctx) => {
    if (actions.addTagIds.some((tagId) => actions.removeTagIds.includes(tagId))) {
      ctx.addIssue({ code: "custom", path: ["removeTagIds"], message: "scenarios.error.actionBoth" });
    }
  });
export type StepActions = z.infer<typeof actionsSchema>;

export const stepInputSchema = z.object({
  /** The stored step this one edits; absent or null for a new step. */
  id: z.string().min(1).nullish(),
  delay: delaySchema,
  messages: composedMessagesSchema,
  condition: conditionSchema.nullable().default(null),
  onConditionFail: z.enum(["skip", "end"]).default("skip"),
  actions: actionsSchema.default({ addTagIds: [], removeTagIds: [] }),
});
export type StepInput = z.input<typeof stepInputSchema>;
export type Step = z.infer<typeof stepInputSchema>;

// ── exit rules and settings ──────────────────────────────────────────────────────────────────────────────────

export const exitRuleSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("blocked") }),
  z.object({ type: z.literal("staffBlocked") }),
  z.object({ type: z.literal("tagAdded"), tagId: id("scenarios.error.exitTag") }),
  z.object({ type: z.literal("tagRemoved"), tagId: id("scenarios.error.exitTag") }),
  z.object({ type: z.literal("ordered") }),
]);
export type ExitRule = z.infer<typeof exitRuleSchema>;

/** "key=value&key2=value2": every pair has a key; nothing a URL cannot carry. */
export function utmError(value: string): string | null {
  if (value.length > LIMITS.utm) return "scenarios.error.utm";
  for (const pair of value.split("&")) {
    if (pair === "") continue;
    const [key] = pair.split("=");
    if (!key || /[\s#?]/.test(pair)) return "scenarios.error.utm";
  }
  return null;
}


export const scenarioInputSchema = z
  .object({
    name: z.string().trim().min(1, "scenarios.error.name").max(LIMITS.name, "scenarios.error.name"),
    lineAccountId: z.string().min(1, "scenarios.error.account"),
    status: z.enum(SCENARIO_STATUSES).default("off"),
    trigger: triggerSchema,
    exitRules: z.array(exitRuleSchema).max(LIMITS.exitRules, "scenarios.error.exitRules").default([]),
    allowReentry: z.boolean().default(false),
    quietHours: z.boolean().default(true),
    quietStart: z.string().regex(TIME, "scenarios.error.quietTime").default("22:00"),
    quietEnd: z.string().regex(TIME, "scenarios.error.quietTime").default("08:00"),
    latenessHours: z
      .number({ error: "scenarios.error.lateness" })
      .int("scenarios.error.lateness")
      .min(LIMITS.latenessHours.min, "scenarios.error.lateness")
      .max(LIMITS.latenessHours.max, "scenarios.error.lateness")
      .default(24),
    utmParams: z
      .string()
      .default(DEFAULT_UTM)
      .transform((value) => value.trim().replace(/^\?/, ""))
      .superRefine((value, ctx) => {
        const key = utmError(value);
        if (key) ctx.addIssue({ code: "custom", message: key });
      }),
    steps: z.array(stepInputSchema).min(1, "scenarios.error.steps").max(LIMITS.steps, "scenarios.error.steps"),
  })
  .superRefine((input, ctx) => {
    if (input.quietHours && input.quietStart === input.quietEnd) {
      ctx.addIssue({ code: "custom", path: ["quietEnd"], message: "scenarios.error.quietSame" });
    }
    const ids = input.steps.map((step) => step.id).filter(Boolean);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: "custom", path: ["steps"], message: "scenarios.error.steps" });
  });
export type ScenarioInput = z.input<typeof scenarioInputSchema>;
export type ScenarioForm = z.infer<typeof scenarioInputSchema>;

/** Zod's issues as { "steps.0.delay.time": "scenarios.error.delayTime", "name": "scenarios.error.name" }. */
export function scenarioErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    const known = issue.message.startsWith("scenarios.") || issue.message.startsWith("messagesComposer.");
    errors[key] ??= known ? issue.message : "scenarios.error.invalid";
  }
  return errors;
}

/** A stored step as the pages and the engine read it. */
export type ScenarioStepView = {
  id: string;
  position: number;
  delay: StepDelay;
  messages: ComposedMessage[];
  condition: StepCondition | null;
  onConditionFail: "skip" | "end";
  actions: StepActions;
};

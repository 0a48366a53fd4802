// A scenario's statuses, reasons and limits, without zod: what the browser needs of app/scenarios/model.ts
// (which re-exports these), so the scenario pages' chunks stay free of zod.
export const SCENARIO_STATUSES = ["on", "off"] as const;
export type ScenarioStatus = (typeof SCENARIO_STATUSES)[number];

export const RUN_STATUSES = ["active", "finished", "exited", "stopped"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/**
 * queued: its delivery exists (the delivery's status says sent / skipped / failed); waiting: held back by the
 * quota (no delivery yet, or its delivery was refused for quota and goes again when quota is back); skipped: not
 * sent, with a reason.
 */
export const RUN_STEP_STATUSES = ["queued", "waiting", "skipped"] as const;
export type RunStepStatus = (typeof RUN_STEP_STATUSES)[number];

/** Why a step was not sent (ScenarioRunStep.reason), as i18n keys. Pipeline reasons (not-following …) are shown too. */
export const SKIP_REASONS = {
  condition: "scenarios.skip.condition",
  deleted: "scenarios.skip.deleted",
  late: "scenarios.skip.late",
  invalid: "scenarios.skip.invalid",
  ended: "scenarios.skip.ended",
} as const;

/** Why a run ended (ScenarioRun.endReason), as i18n keys. */
export const END_REASONS = {
  finished: "scenarios.end.finished",
  condition: "scenarios.end.condition",
  blocked: "scenarios.end.blocked",
  staffBlocked: "scenarios.end.staffBlocked",
  tagAdded: "scenarios.end.tagAdded",
  tagRemoved: "scenarios.end.tagRemoved",
  ordered: "scenarios.end.ordered",
  stoppedByStaff: "scenarios.end.stoppedByStaff",
  scenarioOff: "scenarios.end.scenarioOff",
  scenarioDeleted: "scenarios.end.scenarioDeleted",
  restarted: "scenarios.end.restarted",
} as const;
export type EndReason = (typeof END_REASONS)[keyof typeof END_REASONS];

export const LIMITS = {
  name: 100,
  steps: 30,
  exitRules: 10,
  tagsPerAction: 10,
  utm: 500,
  /** A relative delay is at most a year. */
  maxDelayMinutes: 366 * 24 * 60,
  maxDay: 365,
  latenessHours: { min: 1, max: 168 },
} as const;

export const DEFAULT_UTM = "utm_source=line&utm_medium=step";

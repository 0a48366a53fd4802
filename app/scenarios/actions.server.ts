// The scenario pages' actions: the posted intent checked with zod, handed to the engine's domain API, answered
// { ok, intent, … } or { ok: false, errors } (i18n keys by field path) with a 4xx that says what kind of refusal.
import { json } from "@remix-run/node";
import { z } from "zod";
import { db } from "../db.server";
import { deleteScenario, getScenario, saveScenario, setScenarioStatus, startScenarioForFriend, startScenarioForSegment, stopRun } from "./scenarios.server";

type Errors = Record<string, string>;

const NOT_FOUND = new Set(["scenarios.error.notFound", "scenarioPages.error.notFound", "scenarioPages.error.runNotFound"]);
const CONFLICT = new Set(["scenarios.error.notOn", "scenarios.error.alreadyRunning", "scenarios.error.alreadyDone", "scenarios.error.friend", "scenarios.error.stepGone"]);

/** 404 for a row the shop does not have, 409 for a state that refuses, 422 for input to correct. */
function statusOf(errors: Errors) {
  const values = Object.values(errors);
  if (values.some((key) => NOT_FOUND.has(key))) return 404;
  if (values.some((key) => CONFLICT.has(key))) return 409;
  return 422;
}

export const refuse = (errors: Errors, status = statusOf(errors)) => json({ ok: false as const, errors }, { status });

function issues(error: z.ZodError): Errors {
  return Object.fromEntries(error.issues.map((issue) => [String(issue.path[0] ?? "intent"), issue.message]));
}

function parseJson(value: FormDataEntryValue | null): unknown {
  try {
    return JSON.parse(String(value ?? ""));
  } catch {
    return undefined;
  }
}

const id = (key: string) => z.string(key).min(1, key);
const statusSchema = z.enum(["on", "off"], "scenarioPages.error.status");

const listIntents = z.discriminatedUnion("intent", [z.object({ intent: z.literal("status"), id: id("scenarioPages.error.notFound"), status: statusSchema })], {
  error: "scenarioPages.error.intent",
});

/** The list's switch: turns one scenario on or off. */
export async function listAction(shop: string, form: FormData) {
  const parsed = listIntents.safeParse(Object.fromEntries(form));
  if (!parsed.success) return refuse(issues(parsed.error), parsed.error.issues.some((i) => i.path[0] === "intent") ? 400 : 422);
  const { id: scenarioId, status } = parsed.data;
  if (!(await setScenarioStatus(shop, scenarioId, status))) return refuse({ form: "scenarioPages.error.notFound" });
  return json({ ok: true as const, intent: "status", status });
}

const editorIntents = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("save"), scenario: z.string() }),
    z.object({ intent: z.literal("status"), status: statusSchema }),
    z.object({ intent: z.literal("delete") }),
    z.object({ intent: z.literal("start"), segmentId: id("scenarioPages.error.chooseSegment") }),
  ],
  { error: "scenarioPages.error.intent" },
);

/** The editor's intents; `id` is null for a new scenario (only "save" applies then). */
export async function editorAction(shop: string, id: string | null, form: FormData) {
  const parsed = editorIntents.safeParse(Object.fromEntries(form));
  if (!parsed.success) return refuse(issues(parsed.error), parsed.error.issues.some((i) => i.path[0] === "intent") ? 400 : 422);
  const input = parsed.data;
  const current = id ? await getScenario(shop, id) : null;
  if (id && !current) return refuse({ form: "scenarioPages.error.notFound" });
  switch (input.intent) {
    case "save": {
      const draft = parseJson(input.scenario);
      if (typeof draft !== "object" || draft === null || Array.isArray(draft)) return refuse({ form: "scenarioPages.error.invalidJson" }, 400);
      // The status is not the editor's to change: the switch does that (and "off" ends every run).
      const result = await saveScenario(shop, id, { ...draft, status: current?.status ?? "off" });
      if ("errors" in result) return refuse(result.errors);
      // A new scenario answers its id: the editor stores the draft, says so, then moves to its address.
      return json({ ok: true as const, intent: "save", id: result.scenario.id });
    }
    case "status":
      if (!current || !(await setScenarioStatus(shop, current.id, input.status))) return refuse({ form: "scenarioPages.error.notFound" });
      return json({ ok: true as const, intent: "status" });
    case "delete":
      if (!current || !(await deleteScenario(shop, current.id))) return refuse({ form: "scenarioPages.error.notFound" });
      return json({ ok: true as const, intent: "delete" });
    case "start": {
      if (!current) return refuse({ form: "scenarioPages.error.notFound" });
      const result = await startScenarioForSegment(shop, current.id, input.segmentId);
      if ("errors" in result) return refuse(result.errors, result.errors.segmentId ? 404 : undefined);
      return json({ ok: true as const, intent: "start", count: result.started });
    }
  }
}

const runIntents = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("stop"), runId: id("scenarioPages.error.runNotFound") }),
    z.object({ intent: z.literal("start"), friendId: id("scenarioPages.error.friendNotFound"), scenarioId: id("scenarioPages.error.chooseScenario") }),
  ],
  { error: "scenarioPages.error.intent" },
);

/** The friend page's runs: stop one, or start a scenario for the friend. */
export async function runsAction(shop: string, form: FormData) {
  const parsed = runIntents.safeParse(Object.fromEntries(form));
  if (!parsed.success) return refuse(issues(parsed.error), parsed.error.issues.some((i) => i.path[0] === "intent") ? 400 : 422);
  const input = parsed.data;
  if (input.intent === "stop") {
    if (await stopRun(shop, input.runId)) return json({ ok: true as const, intent: "stop" });
    const exists = await db.scenarioRun.findFirst({ where: { id: input.runId, shop }, select: { id: true } });
    return exists ? refuse({ form: "scenarioPages.error.runEnded" }, 409) : refuse({ form: "scenarioPages.error.runNotFound" });
  }
  // Another shop's friend is not found, whatever the scenario.
  if (!(await db.friend.findFirst({ where: { id: input.friendId, shop }, select: { id: true } }))) return refuse({ form: "scenarioPages.error.friendNotFound" }, 404);
  const result = await startScenarioForFriend(shop, input.scenarioId, input.friendId);
  if ("errors" in result) return refuse(result.errors);
  return json({ ok: true as const, intent: "start", runId: result.runId });
}

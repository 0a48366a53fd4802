import type { Job } from "bullmq";
import { runDueSteps } from "../../app/scenarios/engine.server";
import type { ScenarioJob } from "../queues";

/** A tick of the step engine (app/scenarios/engine.server.ts); holds no rules of its own. */
export async function processScenarioTick(_job: Job<ScenarioJob>) {
  return runDueSteps();
}

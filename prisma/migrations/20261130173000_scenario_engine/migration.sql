-- Step scenario engine: when the run's previous step was due (delays "after N from the previous step"), and one
-- run per start event (a retried follow, tag, link or order job never starts a scenario twice).
ALTER TABLE "ScenarioRun" ADD COLUMN "lastStepAt" TIMESTAMP(3);

-- The scenarios whose step actions led to this run (a chain of scenarios starting each other never visits one twice).
ALTER TABLE "ScenarioRun" ADD COLUMN "cause" TEXT;

-- startedRef names the event (follow event id, tag link, order id, segment start): one run per event and scenario.
CREATE UNIQUE INDEX "ScenarioRun_start_key" ON "ScenarioRun"("scenarioId", "friendId", "startedRef") WHERE "startedRef" IS NOT NULL;

-- Step deliveries the pipeline refused for quota, which the engine reopens when quota is back (a small partial index).
CREATE INDEX "Delivery_step_quota_held_idx" ON "Delivery"("dueAt") WHERE "kind" = 'step' AND "status" = 'skipped' AND "reason" IN ('quota-exhausted', 'quota-exceeded');

-- A form's step scenario, what happened to it on each submit, and the index of the segment conditions on answers.
ALTER TABLE "Form" ADD COLUMN "scenarioId" TEXT;

ALTER TABLE "Form" ADD CONSTRAINT "Form_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "Scenario"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "FormAnswer" ADD COLUMN "scenarioOutcome" TEXT;

CREATE INDEX "FormAnswer_friendId_formId_createdAt_idx" ON "FormAnswer"("friendId", "formId", "createdAt");

-- CreateIndex
CREATE INDEX "CartReminder_checkoutId_idx" ON "CartReminder"("checkoutId");


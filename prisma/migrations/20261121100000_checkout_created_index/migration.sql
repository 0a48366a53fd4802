-- CreateIndex
CREATE INDEX "Checkout_shop_createdAt_idx" ON "Checkout"("shop", "createdAt");


-- The send pipeline: one record per LINE send request, and the monthly quota ledger per account.
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "recipients" TEXT[],
    "friendId" TEXT,
    "messages" JSONB NOT NULL,
    "retryKey" TEXT,
    "replyToken" TEXT,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "reason" TEXT,
    "excluded" INTEGER NOT NULL DEFAULT 0,
    "quotaCost" INTEGER NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "claimedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "lineRequestId" TEXT,
    "errorStatus" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Delivery_retryKey_key" ON "Delivery"("retryKey");
CREATE INDEX "Delivery_status_dueAt_idx" ON "Delivery"("status", "dueAt");
CREATE INDEX "Delivery_kind_sourceId_idx" ON "Delivery"("kind", "sourceId");
CREATE INDEX "Delivery_lineAccountId_claimedAt_idx" ON "Delivery"("lineAccountId", "claimedAt");
CREATE INDEX "Delivery_shop_createdAt_idx" ON "Delivery"("shop", "createdAt");
CREATE INDEX "Delivery_friendId_idx" ON "Delivery"("friendId");
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "LineQuota" (
    "lineAccountId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "type" TEXT NOT NULL DEFAULT 'none',
    "monthlyLimit" INTEGER,
    "usedAtCheck" INTEGER NOT NULL DEFAULT 0,
    "checkedAt" TIMESTAMP(3),
    "month" TEXT NOT NULL,
    "sentSince" INTEGER NOT NULL DEFAULT 0,
    "exhaustedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "LineQuota_pkey" PRIMARY KEY ("lineAccountId")
);
CREATE INDEX "LineQuota_shop_idx" ON "LineQuota"("shop");
ALTER TABLE "LineQuota" ADD CONSTRAINT "LineQuota_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

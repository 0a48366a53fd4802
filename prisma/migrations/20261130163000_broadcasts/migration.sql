-- Broadcasts (配信), their tracked links, and testers among the friends.
ALTER TABLE "Friend" ADD COLUMN "testerAt" TIMESTAMP(3);
CREATE INDEX "Friend_lineAccountId_testerAt_idx" ON "Friend"("lineAccountId", "testerAt");

CREATE TABLE "Broadcast" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "messages" JSONB NOT NULL,
    "audience" JSONB NOT NULL,
    "utmParams" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "scheduledAt" TIMESTAMP(3),
    "quietHours" BOOLEAN NOT NULL DEFAULT true,
    "quietStart" TEXT NOT NULL DEFAULT '22:00',
    "quietEnd" TEXT NOT NULL DEFAULT '08:00',
    "overQuota" TEXT NOT NULL DEFAULT 'refuse',
    "recipients" INTEGER NOT NULL DEFAULT 0,
    "batches" INTEGER NOT NULL DEFAULT 0,
    "audienceSize" INTEGER,
    "plannedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "reason" TEXT,
    "detail" TEXT,
    "customAggregationUnit" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Broadcast_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Broadcast_customAggregationUnit_key" ON "Broadcast"("customAggregationUnit");
CREATE INDEX "Broadcast_shop_createdAt_idx" ON "Broadcast"("shop", "createdAt");
CREATE INDEX "Broadcast_status_scheduledAt_idx" ON "Broadcast"("status", "scheduledAt");
ALTER TABLE "Broadcast" ADD CONSTRAINT "Broadcast_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "BroadcastLink" (
    "code" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "broadcastId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "targetUrl" TEXT NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "BroadcastLink_pkey" PRIMARY KEY ("code")
);
CREATE UNIQUE INDEX "BroadcastLink_broadcastId_position_key" ON "BroadcastLink"("broadcastId", "position");
CREATE INDEX "BroadcastLink_shop_idx" ON "BroadcastLink"("shop");
ALTER TABLE "BroadcastLink" ADD CONSTRAINT "BroadcastLink_broadcastId_fkey" FOREIGN KEY ("broadcastId") REFERENCES "Broadcast"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The unit LINE aggregates a delivery's statistics under (customAggregationUnits), for broadcasts.
ALTER TABLE "Delivery" ADD COLUMN "aggregationUnit" TEXT;

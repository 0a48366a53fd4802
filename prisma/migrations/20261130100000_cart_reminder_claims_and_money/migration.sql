-- Amounts keep every decimal of their currency: ISO 4217 minor units go up to four (KWD and BHD have three).
ALTER TABLE "Order" ALTER COLUMN "totalPrice" SET DATA TYPE DECIMAL(18,4);
ALTER TABLE "Checkout" ALTER COLUMN "totalPrice" SET DATA TYPE DECIMAL(18,4);
ALTER TABLE "CartReminder" ALTER COLUMN "recoveredRevenue" SET DATA TYPE DECIMAL(18,4),
    ADD COLUMN "recoveredCurrency" TEXT,
    ADD COLUMN "claimedAt" TIMESTAMP(3),
    ADD COLUMN "lineUserId" TEXT;

-- A reminder claimed before this migration: its first claim is not known, and its creation is earlier, so the
-- retry key's 24 hours are never overestimated.
UPDATE "CartReminder" SET "claimedAt" = "createdAt" WHERE status = 'sending';

-- The LINE user of each sent or sending reminder, one per checkout (an earlier duplicate keeps none).
UPDATE "CartReminder" r SET "lineUserId" = first."lineUserId"
FROM (
    SELECT DISTINCT ON (c."checkoutId", f."lineUserId") c.id, f."lineUserId"
    FROM "CartReminder" c JOIN "Friend" f ON f.id = c."friendId"
    WHERE c.status IN ('sent', 'sending')
    ORDER BY c."checkoutId", f."lineUserId", c.status DESC, c."sentAt" NULLS LAST, c.id
) first
WHERE r.id = first.id;

-- The unique index leads with checkoutId, so it also serves the lookups the plain index did.
DROP INDEX "CartReminder_checkoutId_idx";
CREATE UNIQUE INDEX "CartReminder_checkoutId_lineUserId_key" ON "CartReminder"("checkoutId", "lineUserId");

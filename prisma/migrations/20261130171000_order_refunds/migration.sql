-- Refunds of an order by Shopify refund id (amount in the order's currency): refunds/create and the order's own
-- refunds list both merge into it, so a repeat or an older delivery never counts a refund twice or drops one.
ALTER TABLE "Order" ADD COLUMN "refunds" JSONB NOT NULL DEFAULT '{}';

-- The import hands over to a bulk operation when many customers of a shop wait: counted through this partial index
-- (Prisma 6 cannot express a partial index, prisma/prisma#6974).
CREATE INDEX "Customer_pending_import_idx" ON "Customer"("shop") WHERE "importStatus" = 'pending';

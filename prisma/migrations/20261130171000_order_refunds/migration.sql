-- Refunds of an order by Shopify refund id (amount in the order's currency): refunds/create and the order's own
-- refunds list both merge into it, so a repeat or an older delivery never counts a refund twice or drops one.
ALTER TABLE "Order" ADD COLUMN "refunds" JSONB NOT NULL DEFAULT '{}';

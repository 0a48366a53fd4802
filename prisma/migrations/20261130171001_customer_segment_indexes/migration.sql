-- Segment conditions on purchases probe a customer's orders in a date range and each order's products
-- (app/segments/compile.server.ts): covering indexes make both probes index-only (tests/bench/README.md,
-- customer-data: p95 4.3 s to 2.2 s at 3,000,000 orders). Prisma 6 cannot express INCLUDE (prisma/prisma#8935).
CREATE INDEX "Order_customer_processed_idx" ON "Order"("shop", "customerId", "processedAt") INCLUDE ("id", "cancelledAt");
CREATE INDEX "OrderLine_orderRef_product_idx" ON "OrderLine"("orderRef") INCLUDE ("productId", "shop");

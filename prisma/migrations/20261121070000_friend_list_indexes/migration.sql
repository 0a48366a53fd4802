-- Trigram operators for the friend name search index.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "Friend_shop_createdAt_id_idx" ON "Friend"("shop", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Friend_displayName_trgm_idx" ON "Friend" USING GIN ("displayName" gin_trgm_ops);


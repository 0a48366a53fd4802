-- CreateTable
CREATE TABLE "FollowerImport" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "imported" INTEGER NOT NULL DEFAULT 0,
    "existing" INTEGER NOT NULL DEFAULT 0,
    "reason" TEXT,
    "detail" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "FollowerImport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FollowerImport_lineAccountId_startedAt_idx" ON "FollowerImport"("lineAccountId", "startedAt");

-- AddForeignKey
ALTER TABLE "FollowerImport" ADD CONSTRAINT "FollowerImport_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one running import per account. Written by hand: Prisma 6 cannot express a partial index
-- (prisma/prisma#6974), so a migration generated from the schema alone never creates or drops it.
CREATE UNIQUE INDEX "FollowerImport_running_key" ON "FollowerImport"("lineAccountId") WHERE "status" = 'running';

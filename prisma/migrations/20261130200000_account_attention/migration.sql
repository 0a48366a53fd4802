-- AlterTable
ALTER TABLE "LineAccount" ADD COLUMN "tokenRevokedAt" TIMESTAMP(3),
ADD COLUMN "attentionNotified" TEXT[] DEFAULT ARRAY[]::TEXT[];

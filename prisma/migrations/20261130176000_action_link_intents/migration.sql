-- A LIFF login started by an action link tapped outside a per-recipient push: the link whose actions apply to the
-- friend LINE vouches for.
-- AlterTable
ALTER TABLE "LinkIntent" ADD COLUMN     "actionLinkId" TEXT;

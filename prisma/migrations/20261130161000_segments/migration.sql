-- Segments: saved conditions over a shop's friends. A tag's friends are found index-only through (tagId, friendId).
CREATE TABLE "Segment" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "definition" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "Segment_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "Segment_shop_name_key" ON "Segment"("shop", "name");

DROP INDEX "FriendTag_tagId_idx";
CREATE INDEX "FriendTag_tagId_friendId_idx" ON "FriendTag"("tagId", "friendId");

-- AlterTable
ALTER TABLE "LineAccount" ADD COLUMN     "accessToken" TEXT,
ADD COLUMN     "accessTokenLast4" TEXT,
ADD COLUMN     "botBasicId" TEXT,
ADD COLUMN     "botDisplayName" TEXT,
ADD COLUMN     "botPictureUrl" TEXT,
ADD COLUMN     "botUserId" TEXT,
ADD COLUMN     "channelId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "channelSecret" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "channelSecretLast4" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "chatMode" TEXT,
ADD COLUMN     "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "disconnectedAt" TIMESTAMP(3),
ADD COLUMN     "friendAddUrl" TEXT,
ADD COLUMN     "liffId" TEXT,
ADD COLUMN     "loginChannelId" TEXT,
ADD COLUMN     "loginChannelSecret" TEXT,
ADD COLUMN     "loginChannelSecretLast4" TEXT,
ADD COLUMN     "webhookRegisteredAt" TIMESTAMP(3),
ADD COLUMN     "webhookTestDetail" TEXT,
ADD COLUMN     "webhookTestOk" BOOLEAN,
ADD COLUMN     "webhookUrl" TEXT;

-- Rows from before credentials were stored cannot send anything: keep them, disconnected, with a unique
-- placeholder channel id so the constraint below holds. The merchant reconnects them with real credentials.
UPDATE "LineAccount" SET "status" = 'disconnected', "channelId" = 'unset-' || "id" WHERE "channelId" = '';
ALTER TABLE "LineAccount" ALTER COLUMN "channelId" DROP DEFAULT,
ALTER COLUMN "channelSecret" DROP DEFAULT,
ALTER COLUMN "channelSecretLast4" DROP DEFAULT;

-- AlterTable
ALTER TABLE "Friend" ADD COLUMN     "followStatusAt" TIMESTAMP(3),
ADD COLUMN     "followedAt" TIMESTAMP(3),
ADD COLUMN     "language" TEXT,
ADD COLUMN     "lastMessageAt" TIMESTAMP(3),
ADD COLUMN     "operatorBlockedAt" TIMESTAMP(3),
ADD COLUMN     "source" TEXT,
ADD COLUMN     "statusMessage" TEXT,
ADD COLUMN     "unfollowedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "LineEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "webhookEventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "lineUserId" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "payload" JSONB,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "enqueuedAt" TIMESTAMP(3),
    "processedAt" TIMESTAMP(3),
    "failedAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "LineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "color" TEXT NOT NULL DEFAULT 'info',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FriendTag" (
    "friendId" TEXT NOT NULL,
    "tagId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FriendTag_pkey" PRIMARY KEY ("friendId","tagId")
);

-- CreateTable
CREATE TABLE "Message" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "friendId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "text" TEXT,
    "payload" JSONB,
    "lineMessageId" TEXT,
    "webhookEventId" TEXT,
    "replyToken" TEXT,
    "replyTokenExpiresAt" TIMESTAMP(3),
    "sentVia" TEXT,
    "sentBy" TEXT,
    "retryKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'sent',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "GreetingMessage" (
    "lineAccountId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "messages" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GreetingMessage_pkey" PRIMARY KEY ("lineAccountId")
);

-- CreateTable
CREATE TABLE "AutoReplyRule" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "matchType" TEXT NOT NULL,
    "pattern" TEXT NOT NULL,
    "messages" JSONB NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutoReplyRule_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LineEvent_webhookEventId_key" ON "LineEvent"("webhookEventId");

-- CreateIndex
CREATE INDEX "LineEvent_processedAt_enqueuedAt_idx" ON "LineEvent"("processedAt", "enqueuedAt");

-- CreateIndex
CREATE INDEX "LineEvent_lineAccountId_lineUserId_idx" ON "LineEvent"("lineAccountId", "lineUserId");

-- CreateIndex
CREATE INDEX "LineEvent_shop_idx" ON "LineEvent"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_shop_name_key" ON "Tag"("shop", "name");

-- CreateIndex
CREATE INDEX "FriendTag_tagId_idx" ON "FriendTag"("tagId");

-- CreateIndex
CREATE INDEX "FriendTag_shop_idx" ON "FriendTag"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Message_webhookEventId_key" ON "Message"("webhookEventId");

-- CreateIndex
CREATE INDEX "Message_friendId_createdAt_idx" ON "Message"("friendId", "createdAt");

-- CreateIndex
CREATE INDEX "Message_shop_idx" ON "Message"("shop");

-- CreateIndex
CREATE INDEX "GreetingMessage_shop_idx" ON "GreetingMessage"("shop");

-- CreateIndex
CREATE INDEX "AutoReplyRule_lineAccountId_enabled_priority_idx" ON "AutoReplyRule"("lineAccountId", "enabled", "priority");

-- CreateIndex
CREATE INDEX "AutoReplyRule_shop_idx" ON "AutoReplyRule"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "LineAccount_shop_channelId_key" ON "LineAccount"("shop", "channelId");

-- CreateIndex
CREATE INDEX "Friend_lineAccountId_createdAt_id_idx" ON "Friend"("lineAccountId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Friend_lineAccountId_followStatus_createdAt_id_idx" ON "Friend"("lineAccountId", "followStatus", "createdAt", "id");

-- AddForeignKey
ALTER TABLE "LineEvent" ADD CONSTRAINT "LineEvent_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FriendTag" ADD CONSTRAINT "FriendTag_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Friend"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FriendTag" ADD CONSTRAINT "FriendTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Message" ADD CONSTRAINT "Message_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Friend"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "GreetingMessage" ADD CONSTRAINT "GreetingMessage_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AutoReplyRule" ADD CONSTRAINT "AutoReplyRule_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateIndex
CREATE UNIQUE INDEX "Message_retryKey_key" ON "Message"("retryKey");

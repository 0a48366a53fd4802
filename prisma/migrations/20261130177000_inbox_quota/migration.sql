-- AlterTable
ALTER TABLE "Message" ADD COLUMN     "markAsReadToken" TEXT;

-- CreateTable
CREATE TABLE "Conversation" (
    "friendId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "lastReadAt" TIMESTAMP(3),
    "lineReadMessageId" TEXT,
    "assigneeId" TEXT,
    "assigneeName" TEXT,
    "assignedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Conversation_pkey" PRIMARY KEY ("friendId")
);

-- CreateTable
CREATE TABLE "MessageContent" (
    "messageId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "contentType" TEXT,
    "bytes" BYTEA,
    "size" INTEGER,
    "error" TEXT,
    "fetchedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessageContent_pkey" PRIMARY KEY ("messageId")
);

-- CreateTable
CREATE TABLE "SavedReply" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SavedReply_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "QuotaCheck" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "date" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "monthlyLimit" INTEGER,
    "used" INTEGER NOT NULL,
    "remaining" INTEGER,
    "notified" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuotaCheck_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Conversation_shop_assigneeId_idx" ON "Conversation"("shop", "assigneeId");

-- CreateIndex
CREATE INDEX "Conversation_lineAccountId_idx" ON "Conversation"("lineAccountId");

-- CreateIndex
CREATE INDEX "MessageContent_status_expiresAt_idx" ON "MessageContent"("status", "expiresAt");

-- CreateIndex
CREATE INDEX "MessageContent_shop_idx" ON "MessageContent"("shop");

-- CreateIndex
CREATE INDEX "SavedReply_shop_title_idx" ON "SavedReply"("shop", "title");

-- CreateIndex
CREATE INDEX "QuotaCheck_shop_idx" ON "QuotaCheck"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "QuotaCheck_lineAccountId_date_key" ON "QuotaCheck"("lineAccountId", "date");

-- CreateIndex
CREATE INDEX "Delivery_recipients_idx" ON "Delivery" USING GIN ("recipients");

-- AddForeignKey
ALTER TABLE "Conversation" ADD CONSTRAINT "Conversation_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Friend"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageContent" ADD CONSTRAINT "MessageContent_messageId_fkey" FOREIGN KEY ("messageId") REFERENCES "Message"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "QuotaCheck" ADD CONSTRAINT "QuotaCheck_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;


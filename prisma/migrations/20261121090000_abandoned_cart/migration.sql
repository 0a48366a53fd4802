-- AlterTable
ALTER TABLE "CartReminderSettings" ADD COLUMN     "attributionDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "body" TEXT NOT NULL DEFAULT 'カートに商品が残っています。在庫があるうちにお買い求めください。',
ADD COLUMN     "buttonColor" TEXT NOT NULL DEFAULT '#06C755',
ADD COLUMN     "buttonText" TEXT NOT NULL DEFAULT '購入手続きに戻る',
ADD COLUMN     "headerColor" TEXT NOT NULL DEFAULT '#06C755',
ADD COLUMN     "moreItemsText" TEXT NOT NULL DEFAULT 'ほか{count}点の商品',
ADD COLUMN     "queryParams" TEXT NOT NULL DEFAULT 'utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover',
ADD COLUMN     "quietEnd" TEXT NOT NULL DEFAULT '08:00',
ADD COLUMN     "quietHoursEnabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "quietStart" TEXT NOT NULL DEFAULT '22:00',
ADD COLUMN     "quotaExhaustedAt" TIMESTAMP(3),
ADD COLUMN     "tagsToAdd" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "tagsToRemove" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "title" TEXT NOT NULL DEFAULT 'お買い忘れはありませんか？';

-- CreateTable
CREATE TABLE "Checkout" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "cartToken" TEXT,
    "customerId" TEXT,
    "currency" TEXT NOT NULL,
    "totalPrice" DECIMAL(14,2) NOT NULL,
    "lineItems" JSONB NOT NULL,
    "recoveryUrl" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "purchasedAt" TIMESTAMP(3),
    "orderId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Checkout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CartReminder" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "checkoutId" TEXT NOT NULL,
    "friendId" TEXT NOT NULL,
    "matchedBy" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "dueAt" TIMESTAMP(3) NOT NULL,
    "skipReason" TEXT,
    "error" TEXT,
    "retryKey" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),
    "clickedAt" TIMESTAMP(3),
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "recoveredAt" TIMESTAMP(3),
    "recoveredOrderId" TEXT,
    "recoveredRevenue" DECIMAL(14,2),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CartReminder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReminderLink" (
    "code" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "reminderId" TEXT NOT NULL,
    "targetUrl" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReminderLink_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "ProductImage" (
    "shop" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "url" TEXT,
    "handle" TEXT,
    "fetchedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProductImage_pkey" PRIMARY KEY ("shop","key")
);

-- CreateIndex
CREATE INDEX "Checkout_shop_cartToken_idx" ON "Checkout"("shop", "cartToken");

-- CreateIndex
CREATE INDEX "Checkout_shop_customerId_idx" ON "Checkout"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "Checkout_shop_token_key" ON "Checkout"("shop", "token");

-- CreateIndex
CREATE UNIQUE INDEX "CartReminder_retryKey_key" ON "CartReminder"("retryKey");

-- CreateIndex
CREATE INDEX "CartReminder_shop_createdAt_idx" ON "CartReminder"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "CartReminder_status_dueAt_idx" ON "CartReminder"("status", "dueAt");

-- CreateIndex
CREATE INDEX "CartReminder_friendId_idx" ON "CartReminder"("friendId");

-- CreateIndex
CREATE UNIQUE INDEX "CartReminder_lineAccountId_checkoutId_key" ON "CartReminder"("lineAccountId", "checkoutId");

-- CreateIndex
CREATE INDEX "ReminderLink_reminderId_idx" ON "ReminderLink"("reminderId");

-- CreateIndex
CREATE INDEX "ReminderLink_shop_idx" ON "ReminderLink"("shop");

-- AddForeignKey
ALTER TABLE "CartReminder" ADD CONSTRAINT "CartReminder_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CartReminder" ADD CONSTRAINT "CartReminder_checkoutId_fkey" FOREIGN KEY ("checkoutId") REFERENCES "Checkout"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CartReminder" ADD CONSTRAINT "CartReminder_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Friend"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReminderLink" ADD CONSTRAINT "ReminderLink_reminderId_fkey" FOREIGN KEY ("reminderId") REFERENCES "CartReminder"("id") ON DELETE CASCADE ON UPDATE CASCADE;


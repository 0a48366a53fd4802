-- CreateTable
CREATE TABLE "LinkIntent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "customerId" TEXT,
    "cartToken" TEXT,
    "returnPath" TEXT,
    "trackingClickId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "consumedAt" TIMESTAMP(3),
    "friendId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkIntent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CartLink" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "friendId" TEXT NOT NULL,
    "cartToken" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CartLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingLink" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "landingPageUrl" TEXT,
    "tagNames" JSONB NOT NULL,
    "postbackUrl" TEXT,
    "postbackMethod" TEXT NOT NULL DEFAULT 'GET',
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TrackingLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackingClick" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "trackingLinkId" TEXT NOT NULL,
    "params" JSONB NOT NULL,
    "friendId" TEXT,
    "linkedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackingClick_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FriendSource" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "friendId" TEXT NOT NULL,
    "trackingLinkId" TEXT NOT NULL,
    "clickId" TEXT,
    "params" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FriendSource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PostbackDelivery" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "friendSourceId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "responseStatus" INTEGER,
    "lastError" TEXT,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PostbackDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "name" TEXT,
    "customerId" TEXT,
    "checkoutToken" TEXT,
    "cartToken" TEXT,
    "currency" TEXT NOT NULL,
    "totalPrice" DECIMAL(14,2) NOT NULL,
    "processedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LinkIntent_shop_idx" ON "LinkIntent"("shop");

-- CreateIndex
CREATE INDEX "LinkIntent_expiresAt_idx" ON "LinkIntent"("expiresAt");

-- CreateIndex
CREATE INDEX "CartLink_shop_cartToken_idx" ON "CartLink"("shop", "cartToken");

-- CreateIndex
CREATE INDEX "CartLink_friendId_idx" ON "CartLink"("friendId");

-- CreateIndex
CREATE UNIQUE INDEX "CartLink_lineAccountId_cartToken_key" ON "CartLink"("lineAccountId", "cartToken");

-- CreateIndex
CREATE UNIQUE INDEX "TrackingLink_code_key" ON "TrackingLink"("code");

-- CreateIndex
CREATE INDEX "TrackingLink_shop_idx" ON "TrackingLink"("shop");

-- CreateIndex
CREATE INDEX "TrackingClick_trackingLinkId_createdAt_idx" ON "TrackingClick"("trackingLinkId", "createdAt");

-- CreateIndex
CREATE INDEX "TrackingClick_friendId_idx" ON "TrackingClick"("friendId");

-- CreateIndex
CREATE INDEX "TrackingClick_shop_idx" ON "TrackingClick"("shop");

-- CreateIndex
CREATE INDEX "FriendSource_trackingLinkId_idx" ON "FriendSource"("trackingLinkId");

-- CreateIndex
CREATE INDEX "FriendSource_shop_idx" ON "FriendSource"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "FriendSource_friendId_trackingLinkId_key" ON "FriendSource"("friendId", "trackingLinkId");

-- CreateIndex
CREATE UNIQUE INDEX "PostbackDelivery_friendSourceId_key" ON "PostbackDelivery"("friendSourceId");

-- CreateIndex
CREATE INDEX "PostbackDelivery_shop_idx" ON "PostbackDelivery"("shop");

-- CreateIndex
CREATE INDEX "Order_shop_customerId_idx" ON "Order"("shop", "customerId");

-- CreateIndex
CREATE INDEX "Order_shop_checkoutToken_idx" ON "Order"("shop", "checkoutToken");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shop_orderId_key" ON "Order"("shop", "orderId");

-- AddForeignKey
ALTER TABLE "CartLink" ADD CONSTRAINT "CartLink_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Friend"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackingLink" ADD CONSTRAINT "TrackingLink_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TrackingClick" ADD CONSTRAINT "TrackingClick_trackingLinkId_fkey" FOREIGN KEY ("trackingLinkId") REFERENCES "TrackingLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FriendSource" ADD CONSTRAINT "FriendSource_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Friend"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FriendSource" ADD CONSTRAINT "FriendSource_trackingLinkId_fkey" FOREIGN KEY ("trackingLinkId") REFERENCES "TrackingLink"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PostbackDelivery" ADD CONSTRAINT "PostbackDelivery_friendSourceId_fkey" FOREIGN KEY ("friendSourceId") REFERENCES "FriendSource"("id") ON DELETE CASCADE ON UPDATE CASCADE;


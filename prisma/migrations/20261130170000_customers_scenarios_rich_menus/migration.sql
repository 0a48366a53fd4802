-- Shopify customers and orders of linked friends, order attribution, step scenarios, rich menus, action links.
-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "attributionClickDays" INTEGER NOT NULL DEFAULT 7,
ADD COLUMN     "attributionSendDays" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Tag" ADD COLUMN     "mirrorToShopify" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "cancelledAt" TIMESTAMP(3),
ADD COLUMN     "discountCodes" TEXT[],
ADD COLUMN     "financialStatus" TEXT,
ADD COLUMN     "fulfillmentStatus" TEXT,
ADD COLUMN     "landingSite" TEXT,
ADD COLUMN     "refunded" DECIMAL(18,4) NOT NULL DEFAULT 0,
ADD COLUMN     "shopifyUpdatedAt" TIMESTAMP(3),
ADD COLUMN     "utmCampaign" TEXT,
ADD COLUMN     "utmMedium" TEXT,
ADD COLUMN     "utmSource" TEXT;

-- CreateTable
CREATE TABLE "Customer" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "firstName" TEXT,
    "lastName" TEXT,
    "displayName" TEXT,
    "hasEmail" BOOLEAN NOT NULL DEFAULT false,
    "hasPhone" BOOLEAN NOT NULL DEFAULT false,
    "tags" TEXT[],
    "emailMarketing" TEXT,
    "smsMarketing" TEXT,
    "countryCode" TEXT,
    "provinceCode" TEXT,
    "ordersCount" INTEGER NOT NULL DEFAULT 0,
    "firstOrderAt" TIMESTAMP(3),
    "lastOrderAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "importStatus" TEXT NOT NULL DEFAULT 'pending',
    "importedAt" TIMESTAMP(3),
    "importError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerSpend" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "customerRef" TEXT NOT NULL,
    "currency" TEXT NOT NULL,
    "totalSpent" DECIMAL(18,4) NOT NULL,
    "orders" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerSpend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderRef" TEXT NOT NULL,
    "productId" TEXT,
    "variantId" TEXT,
    "title" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectionProduct" (
    "shop" TEXT NOT NULL,
    "collectionId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CollectionProduct_pkey" PRIMARY KEY ("shop","collectionId","productId")
);

-- CreateTable
CREATE TABLE "LinkClick" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "friendId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "deliveryId" TEXT,
    "clickedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkClick_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderAttribution" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "orderRef" TEXT NOT NULL,
    "friendId" TEXT,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "deliveryId" TEXT,
    "rule" TEXT NOT NULL,
    "touchedAt" TIMESTAMP(3) NOT NULL,
    "currency" TEXT NOT NULL,
    "revenue" DECIMAL(18,4) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderAttribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Scenario" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'off',
    "trigger" JSONB NOT NULL,
    "exitRules" JSONB NOT NULL DEFAULT '[]',
    "allowReentry" BOOLEAN NOT NULL DEFAULT false,
    "quietHours" BOOLEAN NOT NULL DEFAULT true,
    "quietStart" TEXT NOT NULL DEFAULT '22:00',
    "quietEnd" TEXT NOT NULL DEFAULT '08:00',
    "latenessHours" INTEGER NOT NULL DEFAULT 24,
    "utmParams" TEXT NOT NULL DEFAULT 'utm_source=line&utm_medium=step',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Scenario_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScenarioStep" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "delay" JSONB NOT NULL,
    "messages" JSONB NOT NULL,
    "condition" JSONB,
    "onConditionFail" TEXT NOT NULL DEFAULT 'skip',
    "actions" JSONB NOT NULL DEFAULT '{}',
    "deletedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScenarioStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScenarioRun" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "friendId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'active',
    "endReason" TEXT,
    "startedBy" TEXT NOT NULL,
    "startedRef" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "nextPosition" INTEGER NOT NULL DEFAULT 0,
    "nextDueAt" TIMESTAMP(3),
    "endedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScenarioRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScenarioRunStep" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "stepId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT,
    "detail" TEXT,
    "deliveryId" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScenarioRunStep_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessageLink" (
    "code" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "friendId" TEXT NOT NULL,
    "deliveryId" TEXT,
    "targetUrl" TEXT NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MessageLink_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "RichMenu" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "chatBarText" TEXT NOT NULL,
    "size" TEXT NOT NULL DEFAULT 'full',
    "layout" TEXT NOT NULL,
    "areas" JSONB NOT NULL,
    "image" BYTEA,
    "imageType" TEXT,
    "imageWidth" INTEGER,
    "imageHeight" INTEGER,
    "groupId" TEXT,
    "tabPosition" INTEGER,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "publishedAt" TIMESTAMP(3),
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RichMenu_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RichMenuVersion" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "richMenuId" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "lineRichMenuId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'creating',
    "definition" JSONB NOT NULL,
    "migration" JSONB,
    "failedReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "liveAt" TIMESTAMP(3),
    "deletedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RichMenuVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RichMenuRule" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "tagId" TEXT NOT NULL,
    "richMenuId" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RichMenuRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FriendRichMenu" (
    "friendId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "richMenuId" TEXT,
    "reason" TEXT,
    "linkedLineMenuId" TEXT,
    "linkedAt" TIMESTAMP(3),
    "dirtyAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FriendRichMenu_pkey" PRIMARY KEY ("friendId")
);

-- CreateTable
CREATE TABLE "RichMenuAlias" (
    "aliasId" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "richMenuId" TEXT NOT NULL,
    "lineRichMenuId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RichMenuAlias_pkey" PRIMARY KEY ("aliasId")
);

-- CreateTable
CREATE TABLE "ActionLink" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "targetUrl" TEXT NOT NULL,
    "actions" JSONB NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActionLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Customer_shop_lastOrderAt_idx" ON "Customer"("shop", "lastOrderAt");

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shop_customerId_key" ON "Customer"("shop", "customerId");

-- CreateIndex
CREATE INDEX "CustomerSpend_shop_currency_totalSpent_idx" ON "CustomerSpend"("shop", "currency", "totalSpent");

-- CreateIndex
CREATE UNIQUE INDEX "CustomerSpend_customerRef_currency_key" ON "CustomerSpend"("customerRef", "currency");

-- CreateIndex
CREATE INDEX "OrderLine_orderRef_idx" ON "OrderLine"("orderRef");

-- CreateIndex
CREATE INDEX "OrderLine_shop_productId_idx" ON "OrderLine"("shop", "productId");

-- CreateIndex
CREATE INDEX "OrderLine_shop_variantId_idx" ON "OrderLine"("shop", "variantId");

-- CreateIndex
CREATE INDEX "LinkClick_shop_friendId_clickedAt_idx" ON "LinkClick"("shop", "friendId", "clickedAt");

-- CreateIndex
CREATE INDEX "LinkClick_kind_sourceId_idx" ON "LinkClick"("kind", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "OrderAttribution_orderRef_key" ON "OrderAttribution"("orderRef");

-- CreateIndex
CREATE INDEX "OrderAttribution_shop_kind_sourceId_idx" ON "OrderAttribution"("shop", "kind", "sourceId");

-- CreateIndex
CREATE INDEX "OrderAttribution_shop_createdAt_idx" ON "OrderAttribution"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "Scenario_shop_idx" ON "Scenario"("shop");

-- CreateIndex
CREATE INDEX "Scenario_lineAccountId_status_idx" ON "Scenario"("lineAccountId", "status");

-- CreateIndex
CREATE INDEX "ScenarioStep_scenarioId_position_idx" ON "ScenarioStep"("scenarioId", "position");

-- CreateIndex
CREATE INDEX "ScenarioRun_status_nextDueAt_idx" ON "ScenarioRun"("status", "nextDueAt");

-- CreateIndex
CREATE INDEX "ScenarioRun_scenarioId_status_idx" ON "ScenarioRun"("scenarioId", "status");

-- CreateIndex
CREATE INDEX "ScenarioRun_friendId_idx" ON "ScenarioRun"("friendId");

-- CreateIndex
CREATE INDEX "ScenarioRun_shop_idx" ON "ScenarioRun"("shop");

-- CreateIndex
CREATE INDEX "ScenarioRunStep_stepId_status_idx" ON "ScenarioRunStep"("stepId", "status");

-- CreateIndex
CREATE INDEX "ScenarioRunStep_shop_idx" ON "ScenarioRunStep"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "ScenarioRunStep_runId_stepId_key" ON "ScenarioRunStep"("runId", "stepId");

-- CreateIndex
CREATE INDEX "MessageLink_kind_sourceId_idx" ON "MessageLink"("kind", "sourceId");

-- CreateIndex
CREATE INDEX "MessageLink_friendId_idx" ON "MessageLink"("friendId");

-- CreateIndex
CREATE INDEX "MessageLink_shop_idx" ON "MessageLink"("shop");

-- CreateIndex
CREATE INDEX "RichMenu_shop_idx" ON "RichMenu"("shop");

-- CreateIndex
CREATE INDEX "RichMenu_lineAccountId_idx" ON "RichMenu"("lineAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "RichMenuVersion_lineRichMenuId_key" ON "RichMenuVersion"("lineRichMenuId");

-- CreateIndex
CREATE INDEX "RichMenuVersion_richMenuId_status_idx" ON "RichMenuVersion"("richMenuId", "status");

-- CreateIndex
CREATE INDEX "RichMenuVersion_lineAccountId_status_idx" ON "RichMenuVersion"("lineAccountId", "status");

-- CreateIndex
CREATE INDEX "RichMenuRule_lineAccountId_priority_idx" ON "RichMenuRule"("lineAccountId", "priority");

-- CreateIndex
CREATE INDEX "RichMenuRule_shop_idx" ON "RichMenuRule"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "RichMenuRule_lineAccountId_tagId_key" ON "RichMenuRule"("lineAccountId", "tagId");

-- CreateIndex
CREATE INDEX "FriendRichMenu_lineAccountId_dirtyAt_idx" ON "FriendRichMenu"("lineAccountId", "dirtyAt");

-- CreateIndex
CREATE INDEX "FriendRichMenu_linkedLineMenuId_idx" ON "FriendRichMenu"("linkedLineMenuId");

-- CreateIndex
CREATE INDEX "FriendRichMenu_shop_idx" ON "FriendRichMenu"("shop");

-- CreateIndex
CREATE INDEX "RichMenuAlias_lineAccountId_idx" ON "RichMenuAlias"("lineAccountId");

-- CreateIndex
CREATE UNIQUE INDEX "ActionLink_code_key" ON "ActionLink"("code");

-- CreateIndex
CREATE INDEX "ActionLink_shop_idx" ON "ActionLink"("shop");

-- AddForeignKey
ALTER TABLE "CustomerSpend" ADD CONSTRAINT "CustomerSpend_customerRef_fkey" FOREIGN KEY ("customerRef") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderRef_fkey" FOREIGN KEY ("orderRef") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderAttribution" ADD CONSTRAINT "OrderAttribution_orderRef_fkey" FOREIGN KEY ("orderRef") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Scenario" ADD CONSTRAINT "Scenario_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioStep" ADD CONSTRAINT "ScenarioStep_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "Scenario"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioRun" ADD CONSTRAINT "ScenarioRun_scenarioId_fkey" FOREIGN KEY ("scenarioId") REFERENCES "Scenario"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioRun" ADD CONSTRAINT "ScenarioRun_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Friend"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioRunStep" ADD CONSTRAINT "ScenarioRunStep_runId_fkey" FOREIGN KEY ("runId") REFERENCES "ScenarioRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RichMenu" ADD CONSTRAINT "RichMenu_lineAccountId_fkey" FOREIGN KEY ("lineAccountId") REFERENCES "LineAccount"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RichMenuVersion" ADD CONSTRAINT "RichMenuVersion_richMenuId_fkey" FOREIGN KEY ("richMenuId") REFERENCES "RichMenu"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FriendRichMenu" ADD CONSTRAINT "FriendRichMenu_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Friend"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- At most one active run of a scenario per friend (Prisma cannot express a partial unique index).
CREATE UNIQUE INDEX "ScenarioRun_active_key" ON "ScenarioRun"("scenarioId", "friendId") WHERE "status" = 'active';

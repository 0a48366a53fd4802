-- CreateTable
CREATE TABLE "RichMenuLink" (
    "code" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "richMenuId" TEXT NOT NULL,
    "area" INTEGER NOT NULL,
    "targetUrl" TEXT NOT NULL,
    "clicks" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RichMenuLink_pkey" PRIMARY KEY ("code")
);

-- CreateIndex
CREATE INDEX "RichMenuLink_richMenuId_area_idx" ON "RichMenuLink"("richMenuId", "area");

-- CreateIndex
CREATE INDEX "RichMenuLink_shop_idx" ON "RichMenuLink"("shop");


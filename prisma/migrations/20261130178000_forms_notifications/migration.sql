-- LIFF forms and their answers, staff members, their notification channels and the notifications sent

-- CreateTable
CREATE TABLE "Form" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "fields" JSONB NOT NULL,
    "opensAt" TIMESTAMP(3),
    "closesAt" TIMESTAMP(3),
    "oneAnswerPerFriend" BOOLEAN NOT NULL DEFAULT true,
    "thankYouTitle" TEXT NOT NULL DEFAULT '',
    "thankYouText" TEXT NOT NULL DEFAULT '',
    "afterSubmitMessage" TEXT NOT NULL DEFAULT '',
    "addTagNames" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "archivedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Form_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FormAnswer" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "formId" TEXT NOT NULL,
    "lineAccountId" TEXT NOT NULL,
    "friendId" TEXT NOT NULL,
    "values" JSONB NOT NULL,
    "onceKey" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FormAnswer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffMember" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT,
    "language" TEXT NOT NULL DEFAULT 'ja',
    "digestMinutes" INTEGER NOT NULL DEFAULT 0,
    "quotaThreshold" INTEGER NOT NULL DEFAULT 1000,
    "linkCodeHash" TEXT,
    "linkCodeExpiresAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffChannel" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "staffMemberId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "secret" TEXT,
    "secretLast4" TEXT,
    "lineAccountId" TEXT,
    "events" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffChannel_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "dueAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Form_shop_createdAt_idx" ON "Form"("shop", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FormAnswer_onceKey_key" ON "FormAnswer"("onceKey");

-- CreateIndex
CREATE INDEX "FormAnswer_formId_createdAt_idx" ON "FormAnswer"("formId", "createdAt");

-- CreateIndex
CREATE INDEX "FormAnswer_shop_friendId_idx" ON "FormAnswer"("shop", "friendId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffMember_linkCodeHash_key" ON "StaffMember"("linkCodeHash");

-- CreateIndex
CREATE INDEX "StaffMember_shop_idx" ON "StaffMember"("shop");

-- CreateIndex
CREATE INDEX "StaffChannel_shop_idx" ON "StaffChannel"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "StaffChannel_staffMemberId_type_key" ON "StaffChannel"("staffMemberId", "type");

-- CreateIndex
CREATE INDEX "Notification_channelId_status_dueAt_idx" ON "Notification"("channelId", "status", "dueAt");

-- CreateIndex
CREATE INDEX "Notification_shop_createdAt_idx" ON "Notification"("shop", "createdAt");

-- AddForeignKey
ALTER TABLE "FormAnswer" ADD CONSTRAINT "FormAnswer_formId_fkey" FOREIGN KEY ("formId") REFERENCES "Form"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffChannel" ADD CONSTRAINT "StaffChannel_staffMemberId_fkey" FOREIGN KEY ("staffMemberId") REFERENCES "StaffMember"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_channelId_fkey" FOREIGN KEY ("channelId") REFERENCES "StaffChannel"("id") ON DELETE CASCADE ON UPDATE CASCADE;


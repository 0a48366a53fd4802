-- LINE events: the processing claim (one job at a time) and the reason an event was stored but not processed.
ALTER TABLE "LineEvent" ADD COLUMN "invalidReason" TEXT,
ADD COLUMN "claimedBy" TEXT,
ADD COLUMN "claimedUntil" TIMESTAMP(3);

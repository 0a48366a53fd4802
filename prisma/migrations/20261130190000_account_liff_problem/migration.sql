-- A problem the LIFF page met that only the merchant can fix (e.g. the LINE Login channel lacks the openid scope):
-- shown on the admin home as an alert, never to the shopper.
ALTER TABLE "LineAccount" ADD COLUMN "liffProblem" TEXT;
ALTER TABLE "LineAccount" ADD COLUMN "liffProblemAt" TIMESTAMP(3);

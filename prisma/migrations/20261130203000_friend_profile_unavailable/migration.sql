-- LINE answered 404 to get-profile for this friend: the bulk profile fetch does not ask again.
ALTER TABLE "Friend" ADD COLUMN "profileUnavailableAt" TIMESTAMP(3);

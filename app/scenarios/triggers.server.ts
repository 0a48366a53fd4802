// Step scenarios react to friend changes (app/friends/changes.server.ts): exit rules end runs, triggers start them.
// Set-based SQL for all the friends of a change at once, no LINE call; idempotent: a run is keyed on the event that
// started it (follow event id, the tag link's time, the customer, the order), so a retried job starts nothing new.
//
// Loop guard: a tag added by a step's action is announced with source "step:<scenario>,<scenarios that led to its
// run>"; such a tag never starts any of those scenarios, and the runs it starts remember the chain (cause). A
// scenario therefore cannot start itself through its own actions, and a chain of scenarios starting each other
// visits each scenario at most once.
import { Prisma } from "@prisma/client";
import { db } from "../db.server";
import { onFriendChange, type FriendChange } from "../friends/changes.server";
import { END_REASONS, type EndReason } from "./model";
import { endRunsWhere, insertRuns } from "./scenarios.server";

/** The scenarios of a step-action source ("step:a,b,c" → [a, b, c]); none for any other source. */
export function chainOf(source: string): string[] {
  return source.startsWith("step:") ? source.slice(5).split(",").filter(Boolean) : [];
}

function friendsOf(shop: string, friendIds: string[]) {
  return Prisma.sql`SELECT f.* FROM "Friend" f WHERE f.id = ANY(${friendIds}::text[]) AND f.shop = ${shop}`;
}

/** Ends the friends' active runs of scenarios having an exit rule of `type` (for one of `tagIds`, if given). */
async function exit(shop: string, friendIds: string[], type: string, reason: EndReason, tagIds: string[] | null = null) {
  const tagMatch = tagIds ? Prisma.sql`AND e->>'tagId' = ANY(${tagIds}::text[])` : Prisma.empty;
  await endRunsWhere(
    db,
    Prisma.sql`r.shop = ${shop} AND r."friendId" = ANY(${friendIds}::text[])
      AND r."scenarioId" IN (SELECT s.id FROM "Scenario" s
                             WHERE s.shop = ${shop} AND EXISTS (SELECT 1 FROM jsonb_array_elements(s."exitRules") e WHERE e->>'type' = ${type} ${tagMatch}))`,
    reason,
    new Date(),
    "exited",
  );
}

async function followed(shop: string, friendIds: string[], change: Extract<FriendChange, { type: "followed" }>) {
  const ref = Prisma.sql`${`event:${change.eventId}`}::text`;
  if (!change.refollow) {
    await insertRuns(db, { scenarios: Prisma.sql`s.shop = ${shop} AND s.trigger->>'type' = 'follow'`, friends: friendsOf(shop, friendIds), startedBy: "follow", startedRef: ref });
    return;
  }
  // restart: the active run (not one this very event started, when the job is retried) ends; a new run starts.
  const restart = Prisma.sql`s.shop = ${shop} AND s.trigger->>'type' = 'follow' AND s.trigger->>'refollow' = 'restart'`;
  await endRunsWhere(
    db,
    Prisma.sql`r.shop = ${shop} AND r."friendId" = ANY(${friendIds}::text[]) AND r."startedRef" IS DISTINCT FROM ${`event:${change.eventId}`}
      AND r."scenarioId" IN (SELECT s.id FROM "Scenario" s WHERE ${restart})`,
    END_REASONS.restarted,
  );
  await insertRuns(db, { scenarios: restart, friends: friendsOf(shop, friendIds), startedBy: "follow", startedRef: ref, ignoreReentry: true });
  // continue: an active run goes on; with none, a new one starts when re-entry is allowed.
  await insertRuns(db, {
    scenarios: Prisma.sql`s.shop = ${shop} AND s.trigger->>'type' = 'follow' AND s.trigger->>'refollow' = 'continue'`,
    friends: friendsOf(shop, friendIds),
    startedBy: "follow",
    startedRef: ref,
  });
}

async function tagsAdded(shop: string, friendIds: string[], change: Extract<FriendChange, { type: "tagsAdded" }>) {
  await exit(shop, friendIds, "tagAdded", END_REASONS.tagAdded, change.tagIds);
  const chain = chainOf(change.source);
  // One run per tag link: a retried announcement finds the same FriendTag row (its time), a tag removed and added
  // again is a new start.
  await insertRuns(db, {
    scenarios: Prisma.sql`s.shop = ${shop} AND s.trigger->>'type' = 'tagAdded' AND s.trigger->>'tagId' = f."triggerTagId"
      AND NOT (s.id = ANY(${chain}::text[]))`,
    friends: Prisma.sql`
      SELECT f.*, ft."tagId" AS "triggerTagId", ft."createdAt" AS "taggedAt"
      FROM "Friend" f JOIN "FriendTag" ft ON ft."friendId" = f.id
      WHERE f.id = ANY(${friendIds}::text[]) AND f.shop = ${shop} AND ft."tagId" = ANY(${change.tagIds}::text[])`,
    startedBy: "tagAdded",
    startedRef: Prisma.sql`'tag:' || f."triggerTagId" || ':' || (extract(epoch FROM f."taggedAt") * 1000)::bigint`,
    cause: chain.length ? Prisma.sql`${chain.join(",")}::text` : undefined,
  });
}

async function listener(shop: string, friendIds: string[], change: FriendChange) {
  switch (change.type) {
    case "followed":
      return followed(shop, friendIds, change);
    case "tagsAdded":
      return tagsAdded(shop, friendIds, change);
    case "tagsRemoved":
      return exit(shop, friendIds, "tagRemoved", END_REASONS.tagRemoved, change.tagIds);
    case "blocked":
      return exit(shop, friendIds, "blocked", END_REASONS.blocked);
    case "staffBlocked":
      return exit(shop, friendIds, "staffBlocked", END_REASONS.staffBlocked);
    case "linked":
      return insertRuns(db, {
        scenarios: Prisma.sql`s.shop = ${shop} AND s.trigger->>'type' = 'linked'`,
        friends: friendsOf(shop, friendIds),
        startedBy: "linked",
        startedRef: Prisma.sql`${`customer:${change.customerId}`}::text`,
      });
    case "ordered":
      // The order ends "until they buy" runs first; then it may start order-triggered ones.
      await exit(shop, friendIds, "ordered", END_REASONS.ordered);
      return insertRuns(db, {
        scenarios: change.first
          ? Prisma.sql`s.shop = ${shop} AND s.trigger->>'type' = 'order'`
          : Prisma.sql`s.shop = ${shop} AND s.trigger->>'type' = 'order' AND s.trigger->>'first' = 'false'`,
        friends: friendsOf(shop, friendIds),
        startedBy: "order",
        startedRef: Prisma.sql`${`order:${change.orderId}`}::text`,
      });
  }
}

onFriendChange("scenarios", listener);

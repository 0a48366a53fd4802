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
import { END_REASONS, exitRuleSchema, triggerSchema, type EndReason, type ExitRule, type Trigger } from "./model";
import { endRunsWhere, insertRuns } from "./scenarios.server";

/** The scenarios of a step-action source ("step:a,b,c" → [a, b, c]); none for any other source. */
export function chainOf(source: string): string[] {
  return source.startsWith("step:") ? source.slice(5).split(",").filter(Boolean) : [];
}

/** Friends per statement: an announcement for 100,000 friends (a bulk tag) is handled in slices this size. */
const SLICE = 5_000;

type OnScenario = { id: string; trigger: Trigger | null; exitRules: ExitRule[] };

/** The shop's scenarios that are on (a short list): which statements a change needs at all is decided here. */
async function scenariosOn(shop: string): Promise<OnScenario[]> {
  const rows = await db.scenario.findMany({ where: { shop, status: "on" }, select: { id: true, trigger: true, exitRules: true } });
  return rows.map((row) => ({
    id: row.id,
    trigger: triggerSchema.safeParse(row.trigger).data ?? null,
    exitRules: ((row.exitRules as unknown[]) ?? []).flatMap((rule) => exitRuleSchema.safeParse(rule).data ?? []),
  }));
}

// Driven by the id list (unnest), so each friend is one primary-key lookup: `f.id = ANY(…)` beside another join
// would test every row against the whole list.
function friendsOf(shop: string, friendIds: string[]) {
  return Prisma.sql`SELECT f.* FROM unnest(${friendIds}::text[]) AS k(id) JOIN "Friend" f ON f.id = k.id WHERE f.shop = ${shop}`;
}

/** Ends the friends' active runs of scenarios having an exit rule of `type` (for one of `tagIds`, if given). */
async function exit(shop: string, friendIds: string[], scenarios: OnScenario[], type: ExitRule["type"], reason: EndReason, tagIds: string[] | null = null) {
  const ids = scenarios
    .filter((s) => s.exitRules.some((rule) => rule.type === type && (!tagIds || ("tagId" in rule && tagIds.includes(rule.tagId)))))
    .map((s) => s.id);
  if (!ids.length) return;
  await endRunsWhere(
    db,
    Prisma.sql`r."scenarioId" = ANY(${ids}::text[]) AND r.shop = ${shop} AND r."friendId" = ANY(${friendIds}::text[])`,
    reason,
    new Date(),
    "exited",
  );
}

const withTrigger = (scenarios: OnScenario[], match: (trigger: Trigger) => boolean) => scenarios.filter((s) => s.trigger && match(s.trigger)).map((s) => s.id);

async function followed(shop: string, friendIds: string[], scenarios: OnScenario[], change: Extract<FriendChange, { type: "followed" }>) {
  const ref = Prisma.sql`${`event:${change.eventId}`}::text`;
  const friends = friendsOf(shop, friendIds);
  if (!change.refollow) {
    const ids = withTrigger(scenarios, (t) => t.type === "follow");
    if (ids.length) await insertRuns(db, { scenarios: Prisma.sql`s.id = ANY(${ids}::text[])`, friends, startedBy: "follow", startedRef: ref });
    return;
  }
  // restart: the active run (not one this very event started, when the job is retried) ends; a new run starts.
  const restart = withTrigger(scenarios, (t) => t.type === "follow" && t.refollow === "restart");
  if (restart.length) {
    await endRunsWhere(
      db,
      Prisma.sql`r."scenarioId" = ANY(${restart}::text[]) AND r.shop = ${shop} AND r."friendId" = ANY(${friendIds}::text[])
        AND r."startedRef" IS DISTINCT FROM ${`event:${change.eventId}`}`,
      END_REASONS.restarted,
    );
    await insertRuns(db, { scenarios: Prisma.sql`s.id = ANY(${restart}::text[])`, friends, startedBy: "follow", startedRef: ref, ignoreReentry: true });
  }
  // continue: an active run goes on; with none, a new one starts when re-entry is allowed.
  const cont = withTrigger(scenarios, (t) => t.type === "follow" && t.refollow === "continue");
  if (cont.length) await insertRuns(db, { scenarios: Prisma.sql`s.id = ANY(${cont}::text[])`, friends, startedBy: "follow", startedRef: ref });
}

async function tagsAdded(shop: string, friendIds: string[], scenarios: OnScenario[], change: Extract<FriendChange, { type: "tagsAdded" }>) {
  await exit(shop, friendIds, scenarios, "tagAdded", END_REASONS.tagAdded, change.tagIds);
  const chain = chainOf(change.source);
  const ids = withTrigger(scenarios, (t) => t.type === "tagAdded" && change.tagIds.includes(t.tagId)).filter((id) => !chain.includes(id));
  if (!ids.length) return;
  // One run per tag link: a retried announcement finds the same FriendTag row (its time), a tag removed and added
  // again is a new start.
  await insertRuns(db, {
    scenarios: Prisma.sql`s.id = ANY(${ids}::text[]) AND s.trigger->>'tagId' = f."triggerTagId"`,
    friends: Prisma.sql`
      SELECT f.*, ft."tagId" AS "triggerTagId", ft."createdAt" AS "taggedAt"
      FROM unnest(${friendIds}::text[]) AS k(id)
      JOIN "Friend" f ON f.id = k.id
      JOIN "FriendTag" ft ON ft."friendId" = k.id AND ft."tagId" = ANY(${change.tagIds}::text[])
      WHERE f.shop = ${shop}`,
    startedBy: "tagAdded",
    startedRef: Prisma.sql`'tag:' || f."triggerTagId" || ':' || (extract(epoch FROM f."taggedAt") * 1000)::bigint`,
    cause: chain.length ? Prisma.sql`${chain.join(",")}::text` : undefined,
  });
}

async function handle(shop: string, friendIds: string[], scenarios: OnScenario[], change: FriendChange) {
  switch (change.type) {
    case "followed":
      return followed(shop, friendIds, scenarios, change);
    case "tagsAdded":
      return tagsAdded(shop, friendIds, scenarios, change);
    case "tagsRemoved":
      return exit(shop, friendIds, scenarios, "tagRemoved", END_REASONS.tagRemoved, change.tagIds);
    case "blocked":
      return exit(shop, friendIds, scenarios, "blocked", END_REASONS.blocked);
    case "staffBlocked":
      return exit(shop, friendIds, scenarios, "staffBlocked", END_REASONS.staffBlocked);
    case "linked": {
      const ids = withTrigger(scenarios, (t) => t.type === "linked");
      if (!ids.length) return;
      return insertRuns(db, {
        scenarios: Prisma.sql`s.id = ANY(${ids}::text[])`,
        friends: friendsOf(shop, friendIds),
        startedBy: "linked",
        startedRef: Prisma.sql`${`customer:${change.customerId}`}::text`,
      });
    }
    case "ordered": {
      // The order ends "until they buy" runs first; then it may start order-triggered ones.
      await exit(shop, friendIds, scenarios, "ordered", END_REASONS.ordered);
      const ids = withTrigger(scenarios, (t) => t.type === "order" && (change.first || !t.first));
      if (!ids.length) return;
      return insertRuns(db, {
        scenarios: Prisma.sql`s.id = ANY(${ids}::text[])`,
        friends: friendsOf(shop, friendIds),
        startedBy: "order",
        startedRef: Prisma.sql`${`order:${change.orderId}`}::text`,
      });
    }
  }
}

async function listener(shop: string, friendIds: string[], change: FriendChange) {
  const scenarios = await scenariosOn(shop);
  if (!scenarios.length) return;
  for (let start = 0; start < friendIds.length; start += SLICE) await handle(shop, friendIds.slice(start, start + SLICE), scenarios, change);
}

onFriendChange("scenarios", listener);

// Bulk actions of the friends list: on the selected friends, or on every friend the list's filter matches ("select
// all N matching"). The friends are always read back through the shop (another shop's ids match nothing) and handled
// in batches, each announced through the friend-change path so rules, rich menus and scenarios react.
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { db } from "../db.server";
import { insertRuns } from "../scenarios/scenarios.server";
import { friendsChanged } from "./changes.server";
import { filterConditions, parseFriendQuery, type FriendQuery } from "./friends.server";

export const BULK_BATCH = 500;
/** At most this many ids in one "selected" request (a page holds 100 at most). */
export const MAX_SELECTED = 1_000;

/** The selected friends, or everything the filter matches. */
export type BulkTarget = { ids: string[] } | { filter: FriendQuery | URLSearchParams };

export type BulkResult = { matched: number; changed: number } | { error: string };

/**
 * The target's friend ids of `shop`, in batches of `size`, ordered by id.
 */
export async function* targetBatches(shop: string, target: BulkTarget, size = BULK_BATCH): AsyncGenerator<string[]> {
  if ("ids" in target) {
    const ids = [...new Set(target.ids)].slice(0, MAX_SELECTED);
    for (let i = 0; i < ids.length; i += size) {
      const rows = await db.friend.findMany({ where: { id: { in: ids.slice(i, i + size) }, shop }, select: { id: true }, orderBy: { id: "asc" } });
      if (rows.length) yield rows.map((row) => row.id);
    }
    return;
  }
  const parsed = parseFriendQuery(target.filter);
  const { conditions } = await filterConditions(shop, parsed);
  // Keyset on id: a batch's own changes only touch ids at or before its last one, so the rest is still found.
  let last = "";
  for (;;) {
    const rows = await db.$queryRaw<{ id: string }[]>`
      SELECT f.id FROM "Friend" f WHERE ${Prisma.join(conditions, " AND ")} AND f.id > ${last}
      ORDER BY f.id LIMIT ${size}`;
    if (!rows.length) return;
    yield rows.map((row) => row.id);
    last = rows.at(-1)!.id;
    if (rows.length < size) return;
  }
}

/** Adds the shop's tag to every target friend; `changed` counts the friends who did not have it. */
export async function bulkAddTag(shop: string, target: BulkTarget, tagId: string, source = "manual"): Promise<BulkResult> {
  const tag = await db.tag.findFirst({ where: { id: tagId, shop }, select: { id: true } });
  if (!tag) return { error: "friends.tags.error.notFound" };
  let matched = 0;
  let changed = 0;
  for await (const ids of targetBatches(shop, target)) {
    matched += ids.length;
    const created = await db.friendTag.createManyAndReturn({
      data: ids.map((friendId) => ({ shop, friendId, tagId: tag.id, source })),
      skipDuplicates: true,
      select: { friendId: true },
    });
    changed += created.length;
    await friendsChanged(shop, created.map((row) => row.friendId), { type: "tagsAdded", tagIds: [tag.id], source });
  }
  return { matched, changed };
}

/** Removes the shop's tag from every target friend; `changed` counts the friends who had it. */
export async function bulkRemoveTag(shop: string, target: BulkTarget, tagId: string, source = "manual"): Promise<BulkResult> {
  const tag = await db.tag.findFirst({ where: { id: tagId, shop }, select: { id: true } });
  if (!tag) return { error: "friends.tags.error.notFound" };
  let matched = 0;
  let changed = 0;
  for await (const ids of targetBatches(shop, target)) {
    matched += ids.length;
    const removed = await db.$queryRaw<{ friendId: string }[]>`
      DELETE FROM "FriendTag" WHERE shop = ${shop} AND "tagId" = ${tag.id} AND "friendId" = ANY(${ids}::text[])
      RETURNING "friendId"`;
    changed += removed.length;
    await friendsChanged(shop, removed.map((row) => row.friendId), { type: "tagsRemoved", tagIds: [tag.id], source });
  }
  return { matched, changed };
}

/**
 * Starts the shop's scenario (it must be on) for every target friend of its account who follows it and whom staff did
 * not block; friends already in it (or done, without re-entry) are left out. `changed` counts the runs started.
 */
export async function bulkStartScenario(shop: string, target: BulkTarget, scenarioId: string): Promise<BulkResult> {
  const scenario = await db.scenario.findFirst({ where: { id: scenarioId, shop }, select: { id: true, status: true } });
  if (!scenario) return { error: "scenarios.error.notFound" };
  if (scenario.status !== "on") return { error: "scenarios.error.notOn" };
  const ref = `bulk:${randomUUID()}`;
  let matched = 0;
  let changed = 0;
  for await (const ids of targetBatches(shop, target)) {
    matched += ids.length;
    const runs = await insertRuns(db, {
      scenarios: Prisma.sql`s.id = ${scenario.id} AND s.shop = ${shop}`,
      friends: Prisma.sql`SELECT * FROM "Friend" WHERE id = ANY(${ids}::text[]) AND shop = ${shop}`,
      startedBy: "manual",
      startedRef: Prisma.sql`${ref}::text`,
    });
    changed += runs.length;
  }
  return { matched, changed };
}

// Menus that follow tags. A friend's tag change marks the friend dirty (one statement, FriendRichMenu.dirtyAt); a
// job per account (coalesced) recomputes the dirty friends' menus from the rules in priority order — the first rule
// whose tag the friend has and whose menu is live wins, else the default — and links those whose LINE menu changed:
// in bulk, 500 a call, when many changed at once, with one call when one did. Blocked and staff-blocked friends are
// left alone. The same job applies the account's default menu and tab aliases, and retires archived menus.
import type { LineAccount, Prisma } from "@prisma/client";
import { HTTPFetchError } from "@line/bot-sdk";
import { db, sql } from "../db.server";
import { callLine } from "../line/client.server";
import { logger } from "../logger.server";
import { randomUUID } from "node:crypto";
import { enqueueRichMenuSync, releaseRichMenuSync } from "../../jobs/queues";
import { env } from "../env.server";
import { readyProducer } from "../redis.server";
import { tabAliasId } from "./model";
import { BULK_USERS, markSpent, takeSlot } from "./rate.server";

export type ComputedMenu = {
  friendId: string;
  /** The rule that applies, its menu and that menu's live LINE menu; or none (the default applies). */
  ruleId: string | null;
  ruleMenuId: string | null;
  ruleLineMenuId: string | null;
  /** The menu the friend sees: the rule's, else the account's default (null: none from this app). */
  richMenuId: string | null;
};

/** Friends read and linked per round of the sync job. */
const ROUND = 5_000;
/** Bulk calls in flight at once (LINE allows 2,000 a second; a few in flight keep the job well under it). */
const PARALLEL_CALLS = 8;

/** The menus the rules give `friendIds` of the account (set-based; friends of other accounts give nothing). */
export async function computeMenus(accountId: string, friendIds: string[]): Promise<ComputedMenu[]> {
  if (!friendIds.length) return [];
  // Set-based: the account's rules with their menus' live versions (a handful), the friends' tags among them, the
  // lowest priority per friend.
  const rows = await sql<{ friendId: string; ruleId: string | null; ruleMenuId: string | null; ruleLineMenuId: string | null }>`
    WITH live AS (
      SELECT DISTINCT ON (v."richMenuId") v."richMenuId", v."lineRichMenuId"
      FROM "RichMenuVersion" v JOIN "RichMenu" m ON m.id = v."richMenuId" AND m."archivedAt" IS NULL
      WHERE v."lineAccountId" = ${accountId} AND v.status = 'live'
      ORDER BY v."richMenuId", v."liveAt" DESC
    ), rules AS (
      SELECT r.id, r."tagId", r."richMenuId", r.priority, live."lineRichMenuId"
      FROM "RichMenuRule" r JOIN live ON live."richMenuId" = r."richMenuId"
      WHERE r."lineAccountId" = ${accountId}
    ), picks AS (
      SELECT DISTINCT ON (ft."friendId") ft."friendId", rules.id, rules."richMenuId", rules."lineRichMenuId"
      FROM "FriendTag" ft JOIN rules ON rules."tagId" = ft."tagId"
      WHERE ft."friendId" = ANY(${friendIds})
      ORDER BY ft."friendId", rules.priority
    )
    SELECT f.id AS "friendId", picks.id AS "ruleId", picks."richMenuId" AS "ruleMenuId", picks."lineRichMenuId" AS "ruleLineMenuId"
    FROM "Friend" f LEFT JOIN picks ON picks."friendId" = f.id
    WHERE f.id = ANY(${friendIds}) AND f."lineAccountId" = ${accountId}`;
  const fallback = await defaultMenuOf(accountId);
  return rows.map((row) => ({ ...row, richMenuId: row.ruleMenuId ?? fallback?.id ?? null }));
}

async function defaultMenuOf(accountId: string) {
  return db.richMenu.findFirst({ where: { lineAccountId: accountId, isDefault: true, archivedAt: null }, select: { id: true } });
}

/** Marks friends dirty when a changed tag has a rule in their account; queues each such account's sync. */
export async function markTagChange(shop: string, friendIds: string[], tagIds: string[]) {
  const now = new Date();
  const rows = await sql<{ lineAccountId: string }>`
    INSERT INTO "FriendRichMenu" ("friendId", shop, "lineAccountId", "dirtyAt", "updatedAt")
    SELECT f.id, f.shop, f."lineAccountId", ${now}::timestamp, ${now}::timestamp
    FROM "Friend" f
    WHERE f.id = ANY(${friendIds}) AND f.shop = ${shop}
      AND EXISTS (SELECT 1 FROM "RichMenuRule" r WHERE r."lineAccountId" = f."lineAccountId" AND r."tagId" = ANY(${tagIds}))
    ON CONFLICT ("friendId") DO UPDATE SET "dirtyAt" = excluded."dirtyAt", "updatedAt" = excluded."updatedAt"
    RETURNING "lineAccountId"`;
  for (const accountId of new Set(rows.map((r) => r.lineAccountId))) await enqueueRichMenuSync(accountId);
}

/** Marks friends dirty whatever their tags (a refollow: their link is checked again). */
export async function markFriendsDirty(shop: string, friendIds: string[]) {
  const now = new Date();
  const rows = await sql<{ lineAccountId: string }>`
    INSERT INTO "FriendRichMenu" ("friendId", shop, "lineAccountId", "dirtyAt", "updatedAt")
    SELECT f.id, f.shop, f."lineAccountId", ${now}::timestamp, ${now}::timestamp
    FROM "Friend" f
    WHERE f.id = ANY(${friendIds}) AND f.shop = ${shop}
      AND EXISTS (SELECT 1 FROM "RichMenuRule" r WHERE r."lineAccountId" = f."lineAccountId")
    ON CONFLICT ("friendId") DO UPDATE SET "dirtyAt" = excluded."dirtyAt", "updatedAt" = excluded."updatedAt"
    RETURNING "lineAccountId"`;
  for (const accountId of new Set(rows.map((r) => r.lineAccountId))) await enqueueRichMenuSync(accountId);
}

/** Every friend of the account is recomputed (rules changed, a menu archived): one statement, then the job. */
export async function markAccountDirty(shop: string, accountId: string) {
  const now = new Date();
  await sql`
    INSERT INTO "FriendRichMenu" ("friendId", shop, "lineAccountId", "dirtyAt", "updatedAt")
    SELECT f.id, f.shop, f."lineAccountId", ${now}::timestamp, ${now}::timestamp
    FROM "Friend" f WHERE f."lineAccountId" = ${accountId} AND f.shop = ${shop} AND f."followStatus" <> 'blocked'
    ON CONFLICT ("friendId") DO UPDATE SET "dirtyAt" = excluded."dirtyAt", "updatedAt" = excluded."updatedAt"`;
  await enqueueRichMenuSync(accountId);
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Links (or, with null, unlinks) users to a LINE menu: one call for one user, bulk calls of 500 otherwise. */
export async function linkUsers(account: LineAccount, lineMenuId: string | null, userIds: string[]) {
  if (userIds.length === 1) {
    const userId = userIds[0]!;
    await callLine(account, ({ messaging }) =>
      lineMenuId ? messaging.linkRichMenuIdToUser(userId, lineMenuId) : messaging.unlinkRichMenuIdFromUser(userId),
    );
    return;
  }
  const chunks: string[][] = [];
  for (let i = 0; i < userIds.length; i += BULK_USERS) chunks.push(userIds.slice(i, i + BULK_USERS));
  await inParallel(chunks, PARALLEL_CALLS, async (chunk) => {
    try {
      await callLine(account, ({ messaging }) =>
        lineMenuId
          ? messaging.linkRichMenuIdToUsers({ richMenuId: lineMenuId, userIds: chunk })
          : messaging.unlinkRichMenuIdFromUsers({ userIds: chunk }),
      );
    } catch (error) {
      // LINE refused the call for one of its users (an id it no longer knows): one call each, so the others are
      // linked and one bad id cannot hold up the account's menus. A refused menu (deleted) still fails the job.
      if (!(error instanceof HTTPFetchError && error.status === 400 && /user/i.test(error.body))) throw error;
      for (const userId of chunk) {
        try {
          await linkUsers(account, lineMenuId, [userId]);
        } catch (single) {
          if (!(single instanceof HTTPFetchError && (single.status === 400 || single.status === 404))) throw single;
          logger.warn("rich menu not linked to a user LINE refused", { accountId: account.id, status: single.status });
        }
      }
    }
  });
}

type Dirty = { friendId: string; lineUserId: string; dirtyAt: Date; linkedLineMenuId: string | null; blocked: boolean };

/** One round: up to ROUND dirty friends recomputed, linked and recorded. Returns how many were read. */
async function syncRound(account: LineAccount): Promise<number> {
  const dirty = await sql<Dirty>`
    SELECT s."friendId", f."lineUserId", s."dirtyAt", s."linkedLineMenuId",
           (f."followStatus" = 'blocked' OR f."operatorBlockedAt" IS NOT NULL) AS blocked
    FROM "FriendRichMenu" s JOIN "Friend" f ON f.id = s."friendId"
    WHERE s."lineAccountId" = ${account.id} AND s."dirtyAt" IS NOT NULL
    ORDER BY s."dirtyAt" ASC
    LIMIT ${ROUND}`;
  if (!dirty.length) return 0;
  const active = dirty.filter((d) => !d.blocked);
  const computed = new Map((await computeMenus(account.id, active.map((d) => d.friendId))).map((c) => [c.friendId, c]));
  // Friends to link, grouped by the LINE menu they are to have (null: unlinked, the default applies).
  const moves = new Map<string | null, Dirty[]>();
  for (const friend of active) {
    const target = computed.get(friend.friendId)?.ruleLineMenuId ?? null;
    if (target === friend.linkedLineMenuId) continue;
    moves.set(target, [...(moves.get(target) ?? []), friend]);
  }
  const linked = new Map<string, string | null>();
  for (const [target, friends] of moves) {
    await linkUsers(account, target, friends.map((f) => f.lineUserId));
    for (const friend of friends) linked.set(friend.friendId, target);
  }
  const now = new Date();
  const ids = dirty.map((d) => d.friendId);
  const menuIds = dirty.map((d) => computed.get(d.friendId)?.ruleMenuId ?? null);
  const reasons = dirty.map((d) => (d.blocked ? "blocked" : (computed.get(d.friendId)?.ruleId ?? "default")));
  const changed = dirty.map((d) => linked.has(d.friendId));
  const lineIds = dirty.map((d) => (linked.has(d.friendId) ? linked.get(d.friendId)! : d.linkedLineMenuId));
  const dirtyAts = dirty.map((d) => d.dirtyAt);
  // A friend marked again while this round ran keeps its mark (dirtyAt moved on) and is read in the next round.
  await sql`
    UPDATE "FriendRichMenu" s SET
      "richMenuId" = CASE WHEN u.blocked THEN s."richMenuId" ELSE u.menu END,
      reason = u.reason,
      "linkedLineMenuId" = u.line,
      "linkedAt" = CASE WHEN u.changed THEN ${now}::timestamp ELSE s."linkedAt" END,
      "dirtyAt" = CASE WHEN s."dirtyAt" = u.dirty THEN NULL ELSE s."dirtyAt" END,
      "updatedAt" = ${now}::timestamp
    FROM unnest(${ids}::text[], ${menuIds}::text[], ${reasons}::text[], ${lineIds}::text[], ${changed}::boolean[], ${dirtyAts}::timestamp[],
                ${dirty.map((d) => d.blocked)}::boolean[])
      AS u(id, menu, reason, line, changed, dirty, blocked)
    WHERE s."friendId" = u.id`;
  return dirty.length;
}

/** The account's sync: dirty friends until none is left, then its default menu, aliases and retired versions. */
export async function runSync(accountId: string): Promise<{ friends: number } | { skipped: string } | { busy: true }> {
  const account = await db.lineAccount.findUnique({ where: { id: accountId } });
  if (!account) return { skipped: "no-account" };
  // One sync per account at a time (two would link the same friends twice).
  const redis = await readyProducer();
  const lock = `${env.QUEUE_PREFIX}:richmenu-sync-lock:${accountId}`;
  const owner = randomUUID();
  if ((await redis.set(lock, owner, "PX", 120_000, "NX")) !== "OK") return { busy: true };
  // The lock is kept while rounds go on (a million friends take minutes), and lapses if this worker dies.
  const keepAlive = setInterval(() => void redis.pexpire(lock, 120_000).catch(() => {}), 30_000);
  try {
    return await syncAccount(account);
  } finally {
    clearInterval(keepAlive);
    if ((await redis.get(lock)) === owner) await redis.del(lock);
  }
}

async function syncAccount(account: LineAccount): Promise<{ friends: number } | { skipped: string }> {
  const accountId = account.id;
  if (account.status !== "connected") {
    await db.friendRichMenu.updateMany({ where: { lineAccountId: accountId, dirtyAt: { not: null } }, data: { dirtyAt: null } });
    return { skipped: "disconnected" };
  }
  let friends = 0;
  let released = false;
  for (;;) {
    const read = await syncRound(account);
    friends += read;
    if (read === ROUND) continue;
    if (released) break;
    // Changes marked from here on queue a new job (which waits for this one); one more round takes any marked
    // between the last read and the release.
    await releaseRichMenuSync(accountId);
    released = true;
  }
  await applyDefault(account);
  await applyAliases(account);
  const { retireArchived } = await import("./publish.server");
  await retireArchived(account);
  return { friends };
}

type VersionState = { defaultApplied?: boolean } & Record<string, unknown>;

/** LINE's default menu is the default menu's live version; none when the account has no default. */
export async function applyDefault(account: LineAccount) {
  const wanted = await db.richMenuVersion.findFirst({
    where: { lineAccountId: account.id, status: "live", richMenu: { isDefault: true, archivedAt: null } },
    orderBy: { liveAt: "desc" },
  });
  const applied = (
    await db.richMenuVersion.findMany({ where: { lineAccountId: account.id, status: { in: ["live", "retiring"] } } })
  ).filter((v) => (v.migration as VersionState | null)?.defaultApplied);
  if (wanted && !applied.some((v) => v.id === wanted.id) && wanted.lineRichMenuId) {
    await callLine(account, ({ messaging }) => messaging.setDefaultRichMenu(wanted.lineRichMenuId!));
    await setVersionState(wanted.id, { defaultApplied: true });
  } else if (!wanted && applied.length) {
    await callLine(account, ({ messaging }) => messaging.cancelDefaultRichMenu());
  }
  for (const version of applied) if (version.id !== wanted?.id) await setVersionState(version.id, { defaultApplied: false });
}

async function setVersionState(versionId: string, state: VersionState) {
  const version = await db.richMenuVersion.findUnique({ where: { id: versionId }, select: { migration: true } });
  await db.richMenuVersion.update({ where: { id: versionId }, data: { migration: { ...((version?.migration as VersionState | null) ?? {}), ...state } as Prisma.InputJsonValue } });
}

/** Each live tab's alias points at its live version; aliases of tabs that are gone are deleted. */
export async function applyAliases(account: LineAccount) {
  const tabs = await db.richMenu.findMany({
    where: { lineAccountId: account.id, groupId: { not: null }, tabPosition: { not: null }, archivedAt: null },
    select: { id: true, groupId: true, tabPosition: true, versions: { where: { status: "live" }, orderBy: { liveAt: "desc" }, take: 1 } },
  });
  const wanted = new Map<string, { richMenuId: string; lineRichMenuId: string }>();
  for (const tab of tabs) {
    const live = tab.versions[0];
    if (live?.lineRichMenuId) wanted.set(tabAliasId(tab.groupId!, tab.tabPosition!), { richMenuId: tab.id, lineRichMenuId: live.lineRichMenuId });
  }
  const existing = await db.richMenuAlias.findMany({ where: { lineAccountId: account.id } });
  for (const [aliasId, target] of wanted) {
    const row = existing.find((a) => a.aliasId === aliasId);
    if (row?.lineRichMenuId === target.lineRichMenuId) continue;
    await setAlias(account, aliasId, target.lineRichMenuId, Boolean(row));
    await db.richMenuAlias.upsert({
      where: { aliasId },
      create: { aliasId, shop: account.shop, lineAccountId: account.id, ...target },
      update: target,
    });
  }
  for (const row of existing) {
    if (wanted.has(row.aliasId)) continue;
    const slot = await takeSlot(account.id, "deleteAlias");
    if (!slot.ok) {
      await enqueueRichMenuSync(account.id, slot.retryAt.getTime() - Date.now());
      continue;
    }
    await deleteAlias(account, row.aliasId);
    await db.richMenuAlias.deleteMany({ where: { aliasId: row.aliasId, lineAccountId: account.id } });
  }
}

/** Creates or updates an alias at LINE, whichever LINE says is needed (a row may be out of date after a crash). */
export async function setAlias(account: LineAccount, aliasId: string, lineRichMenuId: string, exists: boolean) {
  const update = () => callLine(account, ({ messaging }) => messaging.updateRichMenuAlias(aliasId, { richMenuId: lineRichMenuId }));
  const create = () => callLine(account, ({ messaging }) => messaging.createRichMenuAlias({ richMenuAliasId: aliasId, richMenuId: lineRichMenuId }));
  try {
    await (exists ? update() : create());
  } catch (error) {
    if (!(error instanceof HTTPFetchError) || (error.status !== 400 && error.status !== 404 && error.status !== 409)) throw error;
    await (exists ? create() : update());
  }
}

export async function deleteAlias(account: LineAccount, aliasId: string) {
  try {
    await callLine(account, ({ messaging }) => messaging.deleteRichMenuAlias(aliasId));
  } catch (error) {
    if (error instanceof HTTPFetchError && error.status === 429) await markSpent(account.id, "deleteAlias");
    if (!(error instanceof HTTPFetchError) || (error.status !== 404 && error.status !== 400)) throw error;
  }
}

/** The sweeper: accounts with friends marked dirty a while ago and no job running get their sync queued again. */
export async function sweepDirtyMenus(now = new Date()) {
  const rows = await sql<{ lineAccountId: string }>`
    SELECT DISTINCT "lineAccountId" FROM "FriendRichMenu" WHERE "dirtyAt" < ${new Date(now.getTime() - 10_000)}::timestamp LIMIT 100`;
  for (const row of rows) await enqueueRichMenuSync(row.lineAccountId);
  if (rows.length) logger.info("rich-menu syncs queued again", { accounts: rows.length });
  return rows.length;
}

// Publishing a menu: LINE menus are immutable, so every publish is a new version. Its steps, each recorded on the
// RichMenuVersion before the next starts (a killed worker's retry resumes where it stopped):
//   create (validate, then create at LINE — adopted by name if a crash lost the answer) → image → live →
//   aliases (tabs) → default → move (LINE's batch "link from → to" with its resume key; while the batch's 3 an
//   hour is spent, known friends are moved in bulk at once and the batch sweeps up later) → retire (the old version
//   is deleted at LINE only once the batch says nobody is left on it) → done.
// A failure before "live" leaves everyone on the old version, which is never deleted before its friends moved.
// LINE's hourly limits are slots taken first (rate.server.ts); without one the job waits until one frees up.
import { createHash, randomUUID } from "node:crypto";
import type { LineAccount, Prisma, RichMenuVersion } from "@prisma/client";
import { HTTPFetchError, type messagingApi } from "@line/bot-sdk";
import { withQueryParams } from "../abandoned-cart/links";
import { db, sql } from "../db.server";
import { env } from "../env.server";
import { callLine, lineErrorMessage } from "../line/client.server";
import { logger } from "../logger.server";
import { enqueueRichMenuSync } from "../../jobs/queues";
import { defaultUtm, SIZES, tabAliasId, tagPostbackData, type Area, type MenuSize } from "./model";
import { markSpent, takeSlot, type HourlyEndpoint } from "./rate.server";
import { applyAliases, applyDefault, linkUsers, markAccountDirty } from "./sync.server";

export type Migration = {
  step: "create" | "upload" | "live" | "aliases" | "default" | "move" | "retire" | "done";
  /** The create call was sent: after a crash the menu is looked up at LINE by its name before creating again. */
  createSent?: boolean;
  /** LINE menus of the versions this one replaces. */
  from?: string[];
  /** The batch "link from → to": its resume key (kept for retries), LINE's request id once accepted. */
  batch?: { resumeRequestKey: string; requestId?: string; acceptedAt?: string; attempts: number };
  /** Friends moved in bulk while the batch was spent (known friends, by FriendRichMenu), last friend id done. */
  bulk?: { cursor: string; moved: number; done: boolean };
  /** When the move started and finished (the page shows how long it took). */
  moveStartedAt?: string;
  movedAt?: string;
  defaultApplied?: boolean;
};

export type StepOutcome = { done: true } | { waitUntil: Date } | { failed: string };

/** The LINE name of a version: the merchant's name after the version's id, which finds it again after a crash. */
const lineName = (versionId: string, name: string) => `${versionId} ${name}`.slice(0, 300);

function linkCode(richMenuId: string, area: number, targetUrl: string) {
  return createHash("sha256").update(`rich-menu:${richMenuId}:${area}:${targetUrl}`).digest("base64url").slice(0, 16);
}

type Definition = { lineMenu: messagingApi.RichMenuRequest; links: { code: string; area: number; targetUrl: string }[] };

/**
 * The LINE menu object of a menu as it is now: size the image's own (LINE wants them equal), areas scaled from the
 * editor's pixels, actions made final (tracked links, tag names, tab aliases, the LIFF URL).
 */
async function buildDefinition(versionId: string, menuId: string): Promise<Definition | null> {
  const menu = await db.richMenu.findUnique({ where: { id: menuId }, include: { lineAccount: { select: { liffId: true } } } });
  if (!menu?.imageWidth || !menu.imageHeight) return null;
  const areas = menu.areas as Area[];
  const base = SIZES[menu.size as MenuSize];
  const scale = menu.imageWidth / base.width;
  const tagIds = areas.flatMap((a) => (a.action.type === "tag" ? [a.action.tagId] : []));
  const tags = await db.tag.findMany({ where: { shop: menu.shop, id: { in: tagIds } }, select: { id: true, name: true } });
  const tabIds = areas.flatMap((a) => (a.action.type === "tab" ? [a.action.richMenuId] : []));
  const tabs = await db.richMenu.findMany({ where: { shop: menu.shop, id: { in: tabIds } }, select: { id: true, groupId: true, tabPosition: true } });
  const links: Definition["links"] = [];
  const actionOf = (area: Area, index: number): messagingApi.Action => {
    const action = area.action;
    const label = action.label ? { label: action.label } : {};
    switch (action.type) {
      case "uri": {
        const target = withQueryParams(action.url, action.utm ?? defaultUtm(menu.name));
        if (!action.track) return { type: "uri", uri: target, ...label };
        const code = linkCode(menu.id, index, target);
        links.push({ code, area: index, targetUrl: target });
        return { type: "uri", uri: `${env.SHOPIFY_APP_URL.replace(/\/$/, "")}/r/${code}`, ...label };
      }
      case "message":
        return { type: "message", text: action.text, ...label };
      case "tag": {
        // A tag deleted since: the area does nothing visible rather than create a tag of an old name.
        const tag = tags.find((t) => t.id === action.tagId);
        const data = tag ? tagPostbackData(action.op, tag.name) : "action=none";
        return { type: "postback", data, ...(action.displayText ? { displayText: action.displayText } : {}), ...label };
      }
      case "tab": {
        const tab = tabs.find((t) => t.id === action.richMenuId);
        const aliasId = tab?.groupId && tab.tabPosition !== null ? tabAliasId(tab.groupId, tab.tabPosition) : "none";
        return { type: "richmenuswitch", richMenuAliasId: aliasId, data: `action=tab&menu=${action.richMenuId}`, ...label } as messagingApi.Action;
      }
      case "liff":
        return { type: "uri", uri: `${env.LIFF_URL_BASE.replace(/\/$/, "")}/${menu.lineAccount.liffId ?? ""}${action.path}`, ...label };
    }
  };
  const lineMenu: messagingApi.RichMenuRequest = {
    size: { width: menu.imageWidth, height: menu.imageHeight },
    selected: false,
    name: lineName(versionId, menu.name),
    chatBarText: menu.chatBarText,
    areas: areas.map((area, index) => ({
      bounds: {
        x: Math.round(area.bounds.x * scale),
        y: Math.round(area.bounds.y * scale),
        width: Math.min(Math.round(area.bounds.width * scale), menu.imageWidth! - Math.round(area.bounds.x * scale)),
        height: Math.min(Math.round(area.bounds.height * scale), menu.imageHeight! - Math.round(area.bounds.y * scale)),
      },
      action: actionOf(area, index),
    })),
  };
  return { lineMenu, links };
}

/** A new version of the shop's menu, frozen from the draft as it is now; its tracked links recorded. */
export async function createVersion(shop: string, menuId: string): Promise<RichMenuVersion | null> {
  const menu = await db.richMenu.findFirst({ where: { id: menuId, shop }, select: { id: true, lineAccountId: true } });
  if (!menu) return null;
  const id = `rmv${randomUUID().replace(/-/g, "").slice(0, 22)}`;
  const definition = await buildDefinition(id, menu.id);
  if (!definition) return null;
  const now = new Date();
  const [version] = await db.$transaction([
    db.richMenuVersion.create({
      data: {
        id,
        shop,
        richMenuId: menu.id,
        lineAccountId: menu.lineAccountId,
        definition: definition.lineMenu as unknown as Prisma.InputJsonValue,
        migration: { step: "create" } satisfies Migration,
      },
    }),
    db.richMenu.updateMany({ where: { id: menu.id, shop }, data: { publishedAt: now } }),
    ...definition.links.map((link) =>
      db.richMenuLink.upsert({
        where: { code: link.code },
        create: { ...link, shop, richMenuId: menu.id },
        update: {},
      }),
    ),
  ]);
  // The draft's updatedAt moved with publishedAt: the same instant means "no changes since".
  await db.richMenu.updateMany({ where: { id: menu.id, shop }, data: { updatedAt: now } });
  return version;
}

/** Counts a click on a menu's tracked link; where to go, or null for an unknown code. */
export async function followRichMenuLink(code: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{8,32}$/.test(code)) return null;
  const [link] = await db.richMenuLink.updateManyAndReturn({ where: { code }, data: { clicks: { increment: 1 } }, select: { targetUrl: true } });
  return link?.targetUrl ?? null;
}

const statusOf = (error: unknown) => (error instanceof HTTPFetchError ? error.status : undefined);

async function save(versionId: string, migration: Migration, data: Prisma.RichMenuVersionUpdateInput = {}) {
  await db.richMenuVersion.update({ where: { id: versionId }, data: { ...data, migration: migration as unknown as Prisma.InputJsonValue } });
}

/** A slot of an hourly endpoint, or the outcome "wait until it frees up". */
async function slot(accountId: string, endpoint: HourlyEndpoint): Promise<StepOutcome | null> {
  const taken = await takeSlot(accountId, endpoint);
  return taken.ok ? null : { waitUntil: taken.retryAt };
}

/** A 429 on an hourly endpoint: counted as spent, the job waits a minute and looks again. */
async function rateLimited(accountId: string, endpoint: HourlyEndpoint, error: unknown): Promise<StepOutcome | null> {
  if (statusOf(error) !== 429) return null;
  await markSpent(accountId, endpoint);
  return { waitUntil: new Date(Date.now() + 60_000) };
}

/** Runs the version's steps from where it stopped until it is done, fails, or must wait for LINE's limits. */
export async function runPublish(versionId: string): Promise<StepOutcome> {
  for (;;) {
    const version = await db.richMenuVersion.findUnique({ where: { id: versionId } });
    if (!version || version.status === "failed" || version.status === "deleted") return { done: true };
    const account = await db.lineAccount.findUnique({ where: { id: version.lineAccountId } });
    if (!account || account.status !== "connected") return { failed: "disconnected" };
    const migration = (version.migration as Migration | null) ?? { step: "create" };
    const outcome = await step(account, version, migration);
    if (outcome) return outcome;
  }
}

async function fail(version: RichMenuVersion, reason: string): Promise<StepOutcome> {
  await db.richMenuVersion.update({ where: { id: version.id }, data: { status: "failed", failedReason: reason.slice(0, 1000) } });
  // A version LINE has but nobody uses is deleted (when a slot is free; otherwise a disconnect removes it).
  if (version.lineRichMenuId && (await takeSlot(version.lineAccountId, "delete")).ok) {
    const account = await db.lineAccount.findUnique({ where: { id: version.lineAccountId } });
    if (account) await deleteLineMenu(account, version.lineRichMenuId).catch(() => {});
  }
  return { failed: reason };
}

async function deleteLineMenu(account: LineAccount, lineRichMenuId: string) {
  try {
    await callLine(account, ({ messaging }) => messaging.deleteRichMenu(lineRichMenuId));
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
}

/** One step; null when it moved on to the next. */
async function step(account: LineAccount, version: RichMenuVersion, migration: Migration): Promise<StepOutcome | null> {
  const definition = version.definition as unknown as messagingApi.RichMenuRequest;
  switch (migration.step) {
    case "create": {
      if (version.lineRichMenuId) {
        await save(version.id, { ...migration, step: "upload" });
        return null;
      }
      if (migration.createSent) {
        // The answer to an earlier create was lost (a killed worker): LINE may have the menu already.
        const list = await callLine(account, ({ messaging }) => messaging.getRichMenuList());
        const found = list.richmenus.find((m) => m.name.startsWith(`${version.id} `));
        if (found) {
          await save(version.id, { ...migration, step: "upload" }, { lineRichMenuId: found.richMenuId });
          return null;
        }
      }
      try {
        await callLine(account, ({ messaging }) => messaging.validateRichMenuObject(definition));
      } catch (error) {
        if (statusOf(error) === 400) return fail(version, lineErrorMessage(error));
        throw error;
      }
      const wait = await slot(account.id, "create");
      if (wait) return wait;
      await save(version.id, { ...migration, createSent: true });
      let created: { richMenuId: string };
      try {
        created = await callLine(account, ({ messaging }) => messaging.createRichMenu(definition));
      } catch (error) {
        const limited = await rateLimited(account.id, "create", error);
        if (limited) return limited;
        if (statusOf(error) === 400) return fail(version, lineErrorMessage(error));
        throw error;
      }
      await save(version.id, { ...migration, createSent: true, step: "upload" }, { lineRichMenuId: created.richMenuId });
      return null;
    }
    case "upload": {
      const menu = await db.richMenu.findUnique({ where: { id: version.richMenuId }, select: { image: true, imageType: true } });
      if (!menu?.image || !menu.imageType) return fail(version, "image missing");
      try {
        await callLine(account, ({ blob }) => blob.setRichMenuImage(version.lineRichMenuId!, new Blob([menu.image!], { type: menu.imageType! })));
      } catch (error) {
        // An image uploaded by an attempt whose answer was lost: LINE keeps the first one (menus are immutable).
        if (!(statusOf(error) === 400 && /already/i.test(lineErrorMessage(error)))) {
          if (statusOf(error) === 400 || statusOf(error) === 413 || statusOf(error) === 415) return fail(version, lineErrorMessage(error));
          throw error;
        }
      }
      await save(version.id, { ...migration, step: "live" }, { status: "imageUploaded" });
      return null;
    }
    case "live": {
      const newer = await db.richMenuVersion.findFirst({
        where: { richMenuId: version.richMenuId, status: "live", createdAt: { gt: version.createdAt } },
      });
      if (newer) return fail(version, "superseded by a newer version");
      const now = new Date();
      const from = await db.$transaction(async (tx) => {
        const previous = await tx.richMenuVersion.findMany({
          where: { richMenuId: version.richMenuId, status: { in: ["live", "retiring"] }, id: { not: version.id } },
          select: { id: true, lineRichMenuId: true },
        });
        await tx.richMenuVersion.updateMany({ where: { id: { in: previous.map((p) => p.id) } }, data: { status: "retiring" } });
        await tx.richMenuVersion.update({
          where: { id: version.id },
          data: {
            status: "live",
            liveAt: now,
            migration: { ...migration, step: "aliases", from: previous.flatMap((p) => (p.lineRichMenuId ? [p.lineRichMenuId] : [])) } as Prisma.InputJsonValue,
          },
        });
        return previous;
      });
      // A menu going live for the first time: friends whose rules give it are linked by the sync.
      if (!from.length) {
        const rules = await db.richMenuRule.count({ where: { richMenuId: version.richMenuId } });
        if (rules) await markAccountDirty(account.shop, account.id);
      }
      return null;
    }
    case "aliases": {
      await applyAliases(account);
      await save(version.id, { ...migration, step: "default" });
      return null;
    }
    case "default": {
      await applyDefault(account);
      await save(version.id, { ...(await currentMigration(version.id)), step: "move", moveStartedAt: new Date().toISOString() });
      return null;
    }
    case "move":
      return move(account, version, migration);
    case "retire":
      return retire(account, version, migration);
    case "done":
      return { done: true };
  }
}

async function currentMigration(versionId: string): Promise<Migration> {
  const row = await db.richMenuVersion.findUnique({ where: { id: versionId }, select: { migration: true } });
  return (row?.migration as Migration | null) ?? { step: "create" };
}

/** Phases of a batch, as LINE's progress endpoint reports them. */
type BatchPhase = "ongoing" | "succeeded" | "failed";

async function batchProgress(account: LineAccount, requestId: string): Promise<BatchPhase> {
  const progress = await callLine(account, ({ messaging }) => messaging.getRichMenuBatchProgress(requestId));
  return progress.phase as BatchPhase;
}

/**
 * Moves everyone on the old versions to this one. The batch does it at LINE for everyone who has them (also
 * friends who switched tabs there); when the batch is spent, friends we linked are moved in bulk now and the batch
 * runs once it is free again, before anything is deleted.
 */
async function move(account: LineAccount, version: RichMenuVersion, migration: Migration): Promise<StepOutcome | null> {
  const from = migration.from ?? [];
  const to = version.lineRichMenuId!;
  if (!from.length) {
    await save(version.id, { ...migration, step: "done", movedAt: new Date().toISOString() });
    return { done: true };
  }
  if (migration.batch?.requestId) {
    const progress = await slot(account.id, "batchProgress");
    if (progress) return progress;
    const phase = await batchProgress(account, migration.batch.requestId);
    if (phase === "ongoing") return { waitUntil: new Date(Date.now() + pollDelay(migration)) };
    if (phase === "failed") {
      // Sent again with the same resume key: LINE redoes only the operations that failed.
      await save(version.id, { ...migration, batch: { resumeRequestKey: migration.batch.resumeRequestKey, attempts: migration.batch.attempts } });
      return null;
    }
    // Succeeded: nobody is on the old versions at LINE; our records follow.
    await sql`UPDATE "FriendRichMenu" SET "linkedLineMenuId" = ${to}, "updatedAt" = ${new Date()}::timestamp
              WHERE "lineAccountId" = ${account.id} AND "linkedLineMenuId" = ANY(${from})`;
    await save(version.id, { ...migration, step: "retire", movedAt: new Date().toISOString() });
    return null;
  }
  const batchSlot = await takeSlot(account.id, "batch");
  if (batchSlot.ok) {
    const resumeRequestKey = migration.batch?.resumeRequestKey ?? `${version.id}-${Date.now().toString(36)}`;
    const attempts = (migration.batch?.attempts ?? 0) + 1;
    await save(version.id, { ...migration, batch: { resumeRequestKey, attempts } });
    let requestId: string | null;
    try {
      const answer = await callLine(account, ({ messaging }) =>
        messaging.richMenuBatchWithHttpInfo({ operations: from.map((old) => ({ type: "link", from: old, to })), resumeRequestKey }),
      );
      requestId = answer.httpResponse.headers.get("x-line-request-id");
    } catch (error) {
      if (statusOf(error) === 429) {
        await markSpent(account.id, "batch");
        return null; // the bulk path below, on the next turn
      }
      throw error;
    }
    if (!requestId) throw new Error("LINE accepted the batch without a request id");
    await save(version.id, { ...migration, batch: { resumeRequestKey, attempts, requestId, acceptedAt: new Date().toISOString() } });
    return { waitUntil: new Date(Date.now() + 500) };
  }
  // The batch is spent: friends we linked to the old versions move now, in bulk; the batch sweeps up when free.
  const bulk = migration.bulk ?? { cursor: "", moved: 0, done: false };
  while (!bulk.done) {
    const rows = await sql<{ friendId: string; lineUserId: string }>`
      SELECT s."friendId", f."lineUserId" FROM "FriendRichMenu" s JOIN "Friend" f ON f.id = s."friendId"
      WHERE s."lineAccountId" = ${account.id} AND s."linkedLineMenuId" = ANY(${from}) AND s."friendId" > ${bulk.cursor}
        AND f."followStatus" <> 'blocked'
      ORDER BY s."friendId" LIMIT 5000`;
    if (!rows.length) {
      bulk.done = true;
      break;
    }
    await linkUsers(account, to, rows.map((r) => r.lineUserId));
    await sql`UPDATE "FriendRichMenu" SET "linkedLineMenuId" = ${to}, "linkedAt" = ${new Date()}::timestamp, "updatedAt" = ${new Date()}::timestamp
              WHERE "friendId" = ANY(${rows.map((r) => r.friendId)}) AND "linkedLineMenuId" = ANY(${from})`;
    bulk.cursor = rows.at(-1)!.friendId;
    bulk.moved += rows.length;
    await save(version.id, { ...migration, bulk });
  }
  await save(version.id, { ...migration, bulk });
  logger.info("rich-menu friends moved in bulk; the batch sweeps up when free", { versionId: version.id, moved: bulk.moved });
  return { waitUntil: batchSlot.retryAt };
}

/** Polls the batch every few seconds at first, then less often (the progress endpoint allows 100 an hour). */
function pollDelay(migration: Migration) {
  const accepted = migration.batch?.acceptedAt ? Date.parse(migration.batch.acceptedAt) : Date.now();
  const elapsed = Date.now() - accepted;
  return Math.min(60_000, Math.max(1_000, elapsed / 2));
}

/** Deletes the old versions at LINE, now that the batch moved everyone off them. */
async function retire(account: LineAccount, version: RichMenuVersion, migration: Migration): Promise<StepOutcome | null> {
  const from = migration.from ?? [];
  const to = version.lineRichMenuId!;
  // Friends a sync linked to an old version while the batch ran (it read the version before it went live): one
  // synchronous link each, so nobody is on a menu when it is deleted.
  const late = await sql<{ friendId: string; lineUserId: string }>`
    SELECT s."friendId", f."lineUserId" FROM "FriendRichMenu" s JOIN "Friend" f ON f.id = s."friendId"
    WHERE s."lineAccountId" = ${account.id} AND s."linkedLineMenuId" = ANY(${from})`;
  for (const friend of late) {
    await callLine(account, ({ messaging }) => messaging.linkRichMenuIdToUser(friend.lineUserId, to));
    await sql`UPDATE "FriendRichMenu" SET "linkedLineMenuId" = ${to}, "linkedAt" = ${new Date()}::timestamp WHERE "friendId" = ${friend.friendId}`;
  }
  for (const old of from) {
    const row = await db.richMenuVersion.findFirst({ where: { lineRichMenuId: old } });
    if (row?.status === "deleted") continue;
    const wait = await slot(account.id, "delete");
    if (wait) return wait;
    try {
      await deleteLineMenu(account, old);
    } catch (error) {
      const limited = await rateLimited(account.id, "delete", error);
      if (limited) return limited;
      throw error;
    }
    await db.richMenuVersion.updateMany({ where: { lineRichMenuId: old }, data: { status: "deleted", deletedAt: new Date() } });
  }
  await save(version.id, { ...migration, step: "done" });
  return { done: true };
}

/**
 * Versions of archived menus: friends were moved to what the rules give them by the sync; anyone still on them at
 * LINE (a tab switched there) is unlinked by a batch, then they are deleted.
 */
export async function retireArchived(account: LineAccount) {
  const versions = await db.richMenuVersion.findMany({
    where: { lineAccountId: account.id, status: { in: ["live", "retiring"] }, richMenu: { archivedAt: { not: null } } },
  });
  for (const version of versions) {
    if (!version.lineRichMenuId) continue;
    const state = (version.migration as (Migration & { unlink?: { requestId?: string } }) | null) ?? { step: "done" };
    if (!state.unlink?.requestId) {
      const taken = await takeSlot(account.id, "batch");
      if (!taken.ok) {
        await enqueueRichMenuSync(account.id, taken.retryAt.getTime() - Date.now());
        return;
      }
      const answer = await callLine(account, ({ messaging }) =>
        messaging.richMenuBatchWithHttpInfo({ operations: [{ type: "unlink", from: version.lineRichMenuId! }], resumeRequestKey: `${version.id}-unlink` }),
      );
      const requestId = answer.httpResponse.headers.get("x-line-request-id") ?? undefined;
      await db.richMenuVersion.update({
        where: { id: version.id },
        data: { status: "retiring", migration: { ...state, unlink: { requestId } } as Prisma.InputJsonValue },
      });
      await enqueueRichMenuSync(account.id, 2_000);
      continue;
    }
    if (!(await takeSlot(account.id, "batchProgress")).ok) return;
    const phase = await batchProgress(account, state.unlink.requestId);
    if (phase !== "succeeded") {
      await enqueueRichMenuSync(account.id, 5_000);
      continue;
    }
    const late = await db.friendRichMenu.count({ where: { lineAccountId: account.id, linkedLineMenuId: version.lineRichMenuId } });
    if (late) continue; // the sync moves them first
    const deleteSlot = await takeSlot(account.id, "delete");
    if (!deleteSlot.ok) {
      await enqueueRichMenuSync(account.id, deleteSlot.retryAt.getTime() - Date.now());
      return;
    }
    await deleteLineMenu(account, version.lineRichMenuId);
    await db.richMenuVersion.update({ where: { id: version.id }, data: { status: "deleted", deletedAt: new Date() } });
  }
}

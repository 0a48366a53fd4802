// Rich menus: the domain API the pages use. A menu is edited as a draft (RichMenu); publishing makes a new immutable
// LINE menu (RichMenuVersion) in the worker and moves everyone from the old version onto it (publish.server.ts).
// Tag rules decide each friend's menu (sync.server.ts). Every statement keyed by an id from the browser carries the
// shop: another shop's id reads nothing and changes nothing. Error values are i18n keys (app/i18n/rich-menus.ts).
import type { Prisma, RichMenu } from "@prisma/client";
import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { db } from "../db.server";
import { enqueueRichMenuPublish, enqueueRichMenuSync } from "../../jobs/queues";
import {
  imageLimitError,
  LIMITS,
  richMenuInputSchema,
  rulesSchema,
  tabGroupSchema,
  type Area,
  type MenuReason,
  type RichMenuFormInput,
  type RuleInput,
} from "./model";
import { estimateLiveBy } from "./rate.server";
import { menuInsight, type MenuInsight } from "./stats.server";

export type RichMenuErrors = Record<string, string>;

/** The image as the pages checked it (type from its bytes, dimensions read by the image library). */
export type MenuImage = { bytes: Buffer | Uint8Array; type: string; width: number; height: number };

const SUMMARY = {
  id: true,
  shop: true,
  lineAccountId: true,
  name: true,
  chatBarText: true,
  size: true,
  layout: true,
  areas: true,
  imageType: true,
  imageWidth: true,
  imageHeight: true,
  groupId: true,
  tabPosition: true,
  isDefault: true,
  publishedAt: true,
  archivedAt: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.RichMenuSelect;

export type RichMenuSummary = Prisma.RichMenuGetPayload<{ select: typeof SUMMARY }> & {
  areas: Area[];
  /** draft (never published or edited since) | publishing | live | failed | archived */
  status: "draft" | "publishing" | "live" | "failed" | "archived";
  /** The LINE menu friends are linked to now, when published. */
  liveLineMenuId: string | null;
  /** Edited after the last publish: publishing again makes a new version. */
  hasDraftChanges: boolean;
  failedReason: string | null;
};

function fieldErrors(error: z.ZodError): RichMenuErrors {
  const errors: RichMenuErrors = {};
  for (const issue of error.issues) errors[issue.path.length ? issue.path.join(".") : "form"] ??= issue.message;
  return errors;
}

async function withStatus<T extends { id: string; archivedAt: Date | null; publishedAt: Date | null; updatedAt: Date; areas: unknown }>(
  menus: T[],
): Promise<(T & Pick<RichMenuSummary, "status" | "liveLineMenuId" | "hasDraftChanges" | "failedReason" | "areas">)[]> {
  if (!menus.length) return [];
  const versions = await db.richMenuVersion.findMany({
    where: { richMenuId: { in: menus.map((m) => m.id) }, status: { in: ["creating", "imageUploaded", "live", "failed"] } },
    orderBy: { createdAt: "desc" },
    select: { richMenuId: true, status: true, lineRichMenuId: true, failedReason: true, createdAt: true },
  });
  return menus.map((menu) => {
    const mine = versions.filter((v) => v.richMenuId === menu.id);
    const live = mine.find((v) => v.status === "live");
    const newest = mine[0];
    const status: RichMenuSummary["status"] = menu.archivedAt
      ? "archived"
      : newest && (newest.status === "creating" || newest.status === "imageUploaded")
        ? "publishing"
        : newest?.status === "failed"
          ? "failed"
          : live
            ? "live"
            : "draft";
    return {
      ...menu,
      areas: menu.areas as Area[],
      status,
      liveLineMenuId: live?.lineRichMenuId ?? null,
      hasDraftChanges: !menu.publishedAt || menu.updatedAt > menu.publishedAt,
      failedReason: newest?.status === "failed" ? newest.failedReason : null,
    };
  });
}

/** The shop's menus (of one account when given), newest first; archived ones last. */
export async function listRichMenus(shop: string, accountId?: string): Promise<RichMenuSummary[]> {
  const menus = await db.richMenu.findMany({
    where: { shop, ...(accountId ? { lineAccountId: accountId } : {}) },
    orderBy: [{ archivedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: SUMMARY,
  });
  return withStatus(menus);
}

/** One menu of the shop (without its image bytes), or null. */
export async function getRichMenu(shop: string, id: string): Promise<RichMenuSummary | null> {
  const menu = await db.richMenu.findFirst({ where: { id, shop }, select: SUMMARY });
  if (!menu) return null;
  const [withState] = await withStatus([menu]);
  return withState ?? null;
}

/** The stored image of a menu of the shop, for the editor's preview. */
export async function richMenuImage(shop: string, id: string): Promise<{ bytes: Uint8Array; type: string } | null> {
  const menu = await db.richMenu.findFirst({ where: { id, shop }, select: { image: true, imageType: true } });
  return menu?.image && menu.imageType ? { bytes: menu.image, type: menu.imageType } : null;
}

/** Checks what the areas point at: tags of the shop, tabs of the same group, a LIFF app. */
async function checkReferences(shop: string, menuId: string | null, input: { lineAccountId: string; areas: Area[] }, account: { liffId: string | null }) {
  const errors: RichMenuErrors = {};
  const tagIds = [...new Set(input.areas.flatMap((a) => (a.action.type === "tag" ? [a.action.tagId] : [])))];
  const tags = tagIds.length ? await db.tag.findMany({ where: { shop, id: { in: tagIds } }, select: { id: true, name: true } }) : [];
  const tabIds = [...new Set(input.areas.flatMap((a) => (a.action.type === "tab" ? [a.action.richMenuId] : [])))];
  const tabs = tabIds.length
    ? await db.richMenu.findMany({ where: { shop, id: { in: tabIds }, lineAccountId: input.lineAccountId }, select: { id: true, groupId: true } })
    : [];
  const own = menuId ? await db.richMenu.findFirst({ where: { id: menuId, shop }, select: { groupId: true } }) : null;
  input.areas.forEach((area, index) => {
    const at = `areas.${index}.action`;
    const action = area.action;
    if (action.type === "tag") {
      const tag = tags.find((t) => t.id === action.tagId);
      if (!tag) errors[`${at}.tagId`] = "richMenus.error.tag";
    }
    if (action.type === "tab") {
      const tab = tabs.find((t) => t.id === action.richMenuId);
      if (!tab || !tab.groupId || tab.groupId !== own?.groupId) errors[`${at}.richMenuId`] = "richMenus.error.tab";
    }
    if (action.type === "liff" && !account.liffId) errors[`${at}.path`] = "richMenus.error.liffMissing";
  });
  return errors;
}

/**
 * Saves a draft (creates when `id` is null). `image`, when given, replaces the stored image: the pages checked it,
 * and what LINE would refuse is refused here too. Publishing is separate (publishRichMenu).
 */
export async function saveRichMenu(
  shop: string,
  id: string | null,
  input: RichMenuFormInput,
  image?: MenuImage,
): Promise<{ menu: RichMenuSummary } | { errors: RichMenuErrors }> {
  const parsed = richMenuInputSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  const data = parsed.data;
  const account = await db.lineAccount.findFirst({ where: { id: data.lineAccountId, shop }, select: { id: true, status: true, liffId: true } });
  if (!account) return { errors: { lineAccountId: "richMenus.error.account" } };
  if (account.status !== "connected") return { errors: { lineAccountId: "richMenus.error.disconnected" } };
  let existing: Pick<RichMenu, "id" | "lineAccountId" | "archivedAt" | "imageWidth" | "imageHeight" | "imageType" | "groupId"> | null = null;
  if (id) {
    existing = await db.richMenu.findFirst({
      where: { id, shop },
      select: { id: true, lineAccountId: true, archivedAt: true, imageWidth: true, imageHeight: true, imageType: true, groupId: true },
    });
    if (!existing) return { errors: { form: "richMenus.error.notFound" } };
    if (existing.archivedAt) return { errors: { form: "richMenus.error.archived" } };
    // A menu stays with its account: its versions, aliases and friends are the account's at LINE.
    if (existing.lineAccountId !== data.lineAccountId) return { errors: { lineAccountId: "richMenus.error.account" } };
  }
  if (image) {
    const error = imageLimitError({ type: image.type, bytes: image.bytes.byteLength, width: image.width, height: image.height }, data.size);
    if (error) return { errors: { image: error } };
  } else if (existing?.imageWidth && existing.imageHeight) {
    // The stored image must still fit a changed size.
    const error = imageLimitError({ type: existing.imageType ?? "", bytes: 0, width: existing.imageWidth, height: existing.imageHeight }, data.size);
    if (error) return { errors: { image: error } };
  }
  const refErrors = await checkReferences(shop, id, data, account);
  if (Object.keys(refErrors).length) return { errors: refErrors };

  const fields = {
    name: data.name,
    chatBarText: data.chatBarText,
    size: data.size,
    layout: data.layout,
    areas: data.areas as unknown as Prisma.InputJsonValue,
    ...(image
      ? { image: Buffer.from(image.bytes), imageType: image.type, imageWidth: image.width, imageHeight: image.height }
      : {}),
  };
  let menuId: string;
  if (id) {
    const updated = await db.richMenu.updateMany({ where: { id, shop, archivedAt: null }, data: fields });
    if (!updated.count) return { errors: { form: "richMenus.error.notFound" } };
    menuId = id;
  } else {
    const created = await db.richMenu.create({ data: { shop, lineAccountId: data.lineAccountId, ...fields }, select: { id: true } });
    menuId = created.id;
  }
  const menu = await getRichMenu(shop, menuId);
  return menu ? { menu } : { errors: { form: "richMenus.error.notFound" } };
}

/**
 * Queues a new version of the menu (and, for a tab, makes sure every tab of its group is live, so tab switches
 * land on a menu). Returns when the change will be live, computed from LINE's hourly limits already spent.
 */
export async function publishRichMenu(
  shop: string,
  id: string,
): Promise<{ queued: true; liveBy: Date; versionId: string } | { errors: RichMenuErrors }> {
  const menu = await db.richMenu.findFirst({
    where: { id, shop },
    select: { id: true, lineAccountId: true, archivedAt: true, image: true, groupId: true, lineAccount: { select: { status: true } } },
  });
  if (!menu) return { errors: { form: "richMenus.error.notFound" } };
  if (menu.archivedAt) return { errors: { form: "richMenus.error.archived" } };
  if (menu.lineAccount.status !== "connected") return { errors: { form: "richMenus.error.disconnected" } };
  if (!menu.image) return { errors: { image: "richMenus.error.imageMissing" } };
  const versions = await db.richMenuVersion.count({ where: { lineAccountId: menu.lineAccountId, status: { not: "deleted" } } });
  if (versions >= 1_000) return { errors: { form: "richMenus.error.tooMany" } };

  const { createVersion } = await import("./publish.server");
  const version = await createVersion(shop, id);
  if (!version) return { errors: { form: "richMenus.error.notFound" } };
  await enqueueRichMenuPublish(version.id);
  // The other tabs of its group must be live too, or a tab switch would land on no menu.
  if (menu.groupId) {
    const tabs = await db.richMenu.findMany({
      where: { shop, groupId: menu.groupId, id: { not: id }, archivedAt: null, image: { not: null }, versions: { none: { status: { in: ["live", "creating", "imageUploaded"] } } } },
      select: { id: true },
    });
    for (const tab of tabs) {
      const tabVersion = await createVersion(shop, tab.id);
      if (tabVersion) await enqueueRichMenuPublish(tabVersion.id);
    }
  }
  return { queued: true, liveBy: await estimateLiveBy(menu.lineAccountId, version.id), versionId: version.id };
}

/** Makes the menu the account's default (or clears the default when `id` is null); applied at LINE by the worker. */
export async function setDefaultMenu(shop: string, accountId: string, id: string | null): Promise<{ ok: true } | { errors: RichMenuErrors }> {
  const account = await db.lineAccount.findFirst({ where: { id: accountId, shop }, select: { id: true } });
  if (!account) return { errors: { form: "richMenus.error.account" } };
  if (id) {
    const menu = await db.richMenu.findFirst({ where: { id, shop, lineAccountId: accountId, archivedAt: null }, select: { id: true } });
    if (!menu) return { errors: { form: "richMenus.error.notFound" } };
  }
  await db.$transaction([
    db.richMenu.updateMany({ where: { shop, lineAccountId: accountId, isDefault: true, ...(id ? { id: { not: id } } : {}) }, data: { isDefault: false } }),
    ...(id ? [db.richMenu.updateMany({ where: { id, shop, lineAccountId: accountId }, data: { isDefault: true } })] : []),
  ]);
  // The worker sets (or cancels) LINE's default to the live version and publishes a never-published default.
  if (id) {
    const live = await db.richMenuVersion.findFirst({ where: { richMenuId: id, shop, status: "live" }, select: { id: true } });
    if (!live) {
      const published = await publishRichMenu(shop, id);
      if ("errors" in published) return published;
    }
  }
  await enqueueRichMenuSync(accountId);
  return { ok: true };
}

/**
 * Makes `menuIds` (2–4 menus of one account and size) a tab group in that order; `groupId` null makes a new group.
 * Menus that left the group lose their tab. Each tab's alias points at its live version once published.
 */
export async function saveTabGroup(
  shop: string,
  groupId: string | null,
  input: { lineAccountId: string; menuIds: string[] },
): Promise<{ groupId: string } | { errors: RichMenuErrors }> {
  const parsed = tabGroupSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  const { lineAccountId, menuIds } = parsed.data;
  const menus = await db.richMenu.findMany({
    where: { shop, lineAccountId, id: { in: menuIds }, archivedAt: null },
    select: { id: true, size: true, groupId: true },
  });
  if (menus.length !== menuIds.length || new Set(menus.map((m) => m.size)).size !== 1) return { errors: { menuIds: "richMenus.error.tabMenu" } };
  if (groupId) {
    const existing = await db.richMenu.count({ where: { shop, lineAccountId, groupId } });
    if (!existing) return { errors: { form: "richMenus.error.notFound" } };
  }
  // Alias ids are "<group>-<position>" at LINE: ≤ 32 characters of [A-Za-z0-9_-].
  const group = groupId ?? `g${randomBytes(12).toString("base64url").replace(/[^A-Za-z0-9]/g, "x")}`;
  await db.$transaction([
    db.richMenu.updateMany({ where: { shop, lineAccountId, groupId: group, id: { notIn: menuIds } }, data: { groupId: null, tabPosition: null } }),
    ...menuIds.map((menuId, position) =>
      db.richMenu.updateMany({ where: { id: menuId, shop, lineAccountId }, data: { groupId: group, tabPosition: position } }),
    ),
  ]);
  // Live tabs get their aliases now; tabs still drafts get theirs when published.
  await enqueueRichMenuSync(lineAccountId);
  return { groupId: group };
}

/**
 * Replaces the account's tag rules with `rules` in priority order (first matching wins). Every friend of the account
 * is recomputed (the sync job links those whose menu changed).
 */
export async function saveRules(shop: string, accountId: string, rules: RuleInput[]): Promise<{ ok: true } | { errors: RichMenuErrors }> {
  const parsed = rulesSchema.safeParse(rules);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  const account = await db.lineAccount.findFirst({ where: { id: accountId, shop }, select: { id: true } });
  if (!account) return { errors: { form: "richMenus.error.account" } };
  const list = parsed.data;
  const [tags, menus] = await Promise.all([
    db.tag.findMany({ where: { shop, id: { in: list.map((r) => r.tagId) } }, select: { id: true } }),
    db.richMenu.findMany({ where: { shop, lineAccountId: accountId, archivedAt: null, id: { in: list.map((r) => r.richMenuId) } }, select: { id: true } }),
  ]);
  const errors: RichMenuErrors = {};
  list.forEach((rule, index) => {
    if (!tags.some((t) => t.id === rule.tagId)) errors[`${index}.tagId`] = "richMenus.error.rule";
    if (!menus.some((m) => m.id === rule.richMenuId)) errors[`${index}.richMenuId`] = "richMenus.error.ruleMenu";
  });
  if (Object.keys(errors).length) return { errors };
  const now = new Date();
  await db.$transaction([
    db.richMenuRule.deleteMany({ where: { shop, lineAccountId: accountId } }),
    db.richMenuRule.createMany({ data: list.map((rule, priority) => ({ shop, lineAccountId: accountId, ...rule, priority, createdAt: now })) }),
  ]);
  // Unpublished rule menus are published (a rule's menu must exist at LINE to be linked).
  for (const menuId of new Set(list.map((r) => r.richMenuId))) {
    const live = await db.richMenuVersion.findFirst({ where: { richMenuId: menuId, shop, status: { in: ["live", "creating", "imageUploaded"] } } });
    if (!live) await publishRichMenu(shop, menuId);
  }
  const { markAccountDirty } = await import("./sync.server");
  await markAccountDirty(shop, accountId);
  return { ok: true };
}

/** The account's rules in priority order, with tag and menu names, for the rule page. */
export async function listRules(shop: string, accountId: string) {
  const rules = await db.richMenuRule.findMany({ where: { shop, lineAccountId: accountId }, orderBy: { priority: "asc" } });
  const [tags, menus] = await Promise.all([
    db.tag.findMany({ where: { shop, id: { in: rules.map((r) => r.tagId) } }, select: { id: true, name: true, color: true } }),
    db.richMenu.findMany({ where: { shop, id: { in: rules.map((r) => r.richMenuId) } }, select: { id: true, name: true } }),
  ]);
  return rules.map((rule) => ({
    id: rule.id,
    tagId: rule.tagId,
    richMenuId: rule.richMenuId,
    priority: rule.priority,
    tag: tags.find((t) => t.id === rule.tagId) ?? null,
    menu: menus.find((m) => m.id === rule.richMenuId) ?? null,
  }));
}

/**
 * The menu a friend of the shop sees and why: a tag rule's menu, the default, or none from this app; `linkedAt` is
 * when the app last linked it at LINE (null: not yet, e.g. a change being applied). Null for another shop's friend.
 */
export async function menuOfFriend(
  shop: string,
  friendId: string,
): Promise<{ menu: { id: string; name: string } | null; reason: MenuReason; tag: { id: string; name: string } | null; linkedAt: Date | null; pending: boolean } | null> {
  const friend = await db.friend.findFirst({
    where: { id: friendId, shop },
    select: { id: true, lineAccountId: true, followStatus: true, operatorBlockedAt: true, richMenu: true },
  });
  if (!friend) return null;
  const { computeMenus } = await import("./sync.server");
  const [computed] = await computeMenus(friend.lineAccountId, [friend.id]);
  const state = friend.richMenu;
  const menuId = computed?.richMenuId ?? null;
  const menu = menuId ? await db.richMenu.findFirst({ where: { id: menuId, shop }, select: { id: true, name: true } }) : null;
  const rule = computed?.ruleId ? await db.richMenuRule.findFirst({ where: { id: computed.ruleId, shop }, select: { tagId: true } }) : null;
  const tag = rule ? await db.tag.findFirst({ where: { id: rule.tagId, shop }, select: { id: true, name: true } }) : null;
  const blocked = friend.followStatus === "blocked" || friend.operatorBlockedAt !== null;
  const reason: MenuReason = blocked ? "blocked" : rule ? "rule" : menu ? "default" : "none";
  return {
    menu,
    reason,
    tag,
    linkedAt: state?.linkedAt ?? null,
    pending: !blocked && (state?.dirtyAt != null || (state?.richMenuId ?? null) !== (computed?.ruleMenuId ?? null)),
  };
}

/**
 * Archives a menu: it leaves its tab group and rules, stops being the default, and its LINE versions are retired
 * (friends on it move to what the rules give them, then the versions are deleted at LINE).
 */
export async function archiveRichMenu(shop: string, id: string): Promise<{ ok: true } | { errors: RichMenuErrors }> {
  const menu = await db.richMenu.findFirst({ where: { id, shop }, select: { id: true, lineAccountId: true, archivedAt: true } });
  if (!menu) return { errors: { form: "richMenus.error.notFound" } };
  if (menu.archivedAt) return { ok: true };
  await db.$transaction([
    db.richMenu.updateMany({ where: { id, shop }, data: { archivedAt: new Date(), isDefault: false, groupId: null, tabPosition: null } }),
    db.richMenuRule.deleteMany({ where: { shop, richMenuId: id } }),
  ]);
  const { markAccountDirty } = await import("./sync.server");
  await markAccountDirty(shop, menu.lineAccountId);
  await enqueueRichMenuSync(menu.lineAccountId);
  return { ok: true };
}

/**
 * Statistics of a menu of the shop: LINE's insight for its live version (impressions and clicks per area; LINE has
 * them from the next day and only for menus made through the API, null below its privacy threshold), and the clicks
 * on its tracked links counted by us, per area.
 */
export async function richMenuStats(
  shop: string,
  id: string,
  range?: { from: Date; to: Date },
): Promise<{ insight: MenuInsight | null; linkClicks: { area: number; clicks: number }[]; friends: number } | null> {
  const menu = await db.richMenu.findFirst({ where: { id, shop }, select: { id: true, lineAccountId: true } });
  if (!menu) return null;
  const [version, links, friends] = await Promise.all([
    db.richMenuVersion.findFirst({ where: { richMenuId: id, shop, lineRichMenuId: { not: null } }, orderBy: { createdAt: "desc" }, select: { lineRichMenuId: true, liveAt: true } }),
    db.richMenuLink.groupBy({ by: ["area"], where: { shop, richMenuId: id }, _sum: { clicks: true } }),
    db.friendRichMenu.count({ where: { shop, richMenuId: id } }),
  ]);
  const insight = version?.lineRichMenuId ? await menuInsight(shop, menu.lineAccountId, version.lineRichMenuId, range) : null;
  return {
    insight,
    linkClicks: links.map((l) => ({ area: l.area, clicks: l._sum.clicks ?? 0 })).sort((a, b) => a.area - b.area),
    friends,
  };
}

export { LIMITS };

// Action links, the admin side: create, edit, archive, list with their clicks. Every id from the browser (account,
// tags, menu, the link itself) is checked against the shop in the statement that uses it.
import { randomBytes } from "node:crypto";
import { Prisma, type ActionLink } from "@prisma/client";
import { db } from "../db.server";
import { env } from "../env.server";
import { unlessNotFound } from "../prisma-errors";
import { actionLinkInput, actionsSchema, type ActionLinkActions, type ActionLinkInput } from "./model";

export type ActionLinkErrors = Record<string, string>;
type Result = { ok: true; link: ActionLink } | { ok: false; errors: ActionLinkErrors; status: number };

/** Eleven characters: never one of the tracking links' eight, so `/t/` tells them apart by lookup alone. */
export function newActionLinkCode() {
  return randomBytes(8).toString("base64url");
}

export function actionLinkUrl(code: string) {
  return `${env.SHOPIFY_APP_URL.replace(/\/$/, "")}/t/${code}`;
}

export function storedActions(value: Prisma.JsonValue): ActionLinkActions {
  const parsed = actionsSchema.safeParse(value);
  return parsed.success ? parsed.data : { addTagIds: [], removeTagIds: [], richMenuId: null };
}

async function validate(shop: string, input: unknown) {
  const parsed = actionLinkInput.safeParse(input);
  if (!parsed.success) {
    const errors: ActionLinkErrors = {};
    for (const issue of parsed.error.issues) errors[issue.path.length ? String(issue.path[0]) : "form"] ??= issue.message;
    return { errors };
  }
  const data = parsed.data;
  const tagIds = [...data.addTagIds, ...data.removeTagIds];
  const [account, tags, menu] = await Promise.all([
    db.lineAccount.count({ where: { id: data.lineAccountId, shop } }),
    db.tag.count({ where: { shop, id: { in: tagIds } } }),
    data.richMenuId ? db.richMenu.count({ where: { id: data.richMenuId, shop, lineAccountId: data.lineAccountId, archivedAt: null } }) : 1,
  ]);
  const errors: ActionLinkErrors = {};
  if (account !== 1) errors.lineAccountId = "actionLinks.error.account";
  if (tags !== tagIds.length) errors.addTagIds = "actionLinks.error.tagUnknown";
  if (menu !== 1) errors.richMenuId = "actionLinks.error.menuUnknown";
  return Object.keys(errors).length ? { errors } : { data };
}

function row(data: Exclude<Awaited<ReturnType<typeof validate>>["data"], undefined>) {
  const actions: ActionLinkActions = { addTagIds: data.addTagIds, removeTagIds: data.removeTagIds, richMenuId: data.richMenuId };
  return { name: data.name, lineAccountId: data.lineAccountId, targetUrl: data.targetUrl, actions: actions as Prisma.InputJsonValue };
}

export async function saveActionLink(shop: string, id: string | null, input: ActionLinkInput | unknown): Promise<Result> {
  const checked = await validate(shop, input);
  if (!checked.data) return { ok: false, errors: checked.errors, status: 422 };
  if (id) {
    const link = await unlessNotFound(db.actionLink.update({ where: { id, shop, archivedAt: null }, data: row(checked.data) }));
    return link ? { ok: true, link } : { ok: false, errors: { form: "actionLinks.error.notFound" }, status: 404 };
  }
  for (let attempt = 0; ; attempt += 1) {
    try {
      return { ok: true, link: await db.actionLink.create({ data: { shop, code: newActionLinkCode(), ...row(checked.data) } }) };
    } catch (error) {
      // A code taken already (one in 2^64): draw again.
      if (attempt < 3 && error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") continue;
      throw error;
    }
  }
}

export async function archiveActionLink(shop: string, id: string) {
  const { count } = await db.actionLink.updateMany({ where: { id, shop, archivedAt: null }, data: { archivedAt: new Date() } });
  return count === 1;
}

export async function listActionLinks(shop: string, options: { archived?: boolean } = {}) {
  const links = await db.actionLink.findMany({
    where: { shop, archivedAt: options.archived ? { not: null } : null },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const friends = await db.linkClick.groupBy({
    by: ["sourceId"],
    where: { shop, kind: "action-link", sourceId: { in: links.map((link) => link.id) } },
    _count: { friendId: true },
  });
  const friendCount = new Map(friends.map((entry) => [entry.sourceId, entry._count.friendId]));
  return links.map((link) => ({
    id: link.id,
    code: link.code,
    url: actionLinkUrl(link.code),
    name: link.name,
    lineAccountId: link.lineAccountId,
    targetUrl: link.targetUrl,
    actions: storedActions(link.actions),
    clicks: link.clicks,
    identified: friendCount.get(link.id) ?? 0,
    archivedAt: link.archivedAt?.toISOString() ?? null,
    createdAt: link.createdAt.toISOString(),
  }));
}

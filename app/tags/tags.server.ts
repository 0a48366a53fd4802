// Tags: the shop's labels for friends (segments, campaigns, what a friend tapped). Error values are i18n keys
// (app/i18n/tags.ts). A friend's tags are rows of FriendTag, which keep where the tag came from.
import { Prisma, type Tag } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
import { friendsChanged } from "../friends/changes.server";
import { isNotFound, unlessNotFound } from "../prisma-errors";

/** Polaris Badge tones; a tag's colour is one of them. */
export const TAG_COLORS = ["info", "success", "warning", "critical", "attention", "new"] as const;
export type TagColor = (typeof TAG_COLORS)[number];
export const TAG_NAME_MAX = 50;

export type TagErrors = Record<string, string>;
type Result = { tag: Tag } | { errors: TagErrors };

const name = z.string().trim().min(1, "tags.error.nameRequired").max(TAG_NAME_MAX, "tags.error.nameTooLong");
const color = z.enum(TAG_COLORS, { error: "tags.error.color" });
const createSchema = z.object({ name, color: color.default("info") });
const updateSchema = z.object({ name: name.optional(), color: color.optional() });

function fieldErrors(error: z.ZodError): TagErrors {
  const errors: TagErrors = {};
  for (const issue of error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
  return errors;
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function listTags(shop: string) {
  const [tags, counts] = await Promise.all([
    db.tag.findMany({ where: { shop }, orderBy: { name: "asc" }, select: { id: true, name: true, color: true, mirrorToShopify: true } }),
    db.friendTag.groupBy({ by: ["tagId"], where: { shop }, _count: { _all: true } }),
  ]);
  const countOf = new Map(counts.map((row) => [row.tagId, row._count._all]));
  return tags.map((tag) => ({ ...tag, friendCount: countOf.get(tag.id) ?? 0 }));
}

export async function createTag(shop: string, input: { name: string; color?: string }): Promise<Result> {
  const parsed = createSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  try {
    return { tag: await db.tag.create({ data: { shop, ...parsed.data } }) };
  } catch (error) {
    if (isUniqueViolation(error)) return { errors: { name: "tags.error.nameTaken" } };
    throw error;
  }
}

export async function updateTag(shop: string, id: string, input: { name?: string; color?: string }): Promise<Result> {
  const parsed = updateSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  try {
    const tag = await unlessNotFound(db.tag.update({ where: { id, shop }, data: parsed.data }));
    return tag ? { tag } : { errors: { form: "tags.error.notFound" } };
  } catch (error) {
    if (isUniqueViolation(error)) return { errors: { name: "tags.error.nameTaken" } };
    throw error;
  }
}

/** Friends lose the tag with it (FriendTag cascades). */
export async function deleteTag(shop: string, id: string): Promise<Result> {
  const tag = await db.tag.findFirst({ where: { id, shop } });
  if (!tag) return { errors: { form: "tags.error.notFound" } };
  // deleteMany: a concurrent delete of the same tag is not an error.
  await db.tag.deleteMany({ where: { id, shop } });
  return { tag };
}

/** Idempotent: tagging a friend twice keeps the first link (and its source). False if either is not the shop's. */
export async function addTagToFriend(shop: string, friendId: string, tagId: string, source = "manual") {
  try {
    // Connected through the shop's own friend and tag: another shop's id matches neither, and nothing is written.
    await db.friendTag.create({
      data: { shop, source, friend: { connect: { id: friendId, shop } }, tag: { connect: { id: tagId, shop } } },
    });
  } catch (error) {
    if (isUniqueViolation(error)) return true;
    if (isNotFound(error)) return false;
    throw error;
  }
  await friendsChanged(shop, [friendId], { type: "tagsAdded", tagIds: [tagId], source });
  return true;
}

/** Idempotent: removing a tag the friend does not have succeeds. False if either is not the shop's. */
export async function removeTagFromFriend(shop: string, friendId: string, tagId: string, source = "manual") {
  const [friend, tag] = await Promise.all([
    db.friend.count({ where: { id: friendId, shop } }),
    db.tag.count({ where: { id: tagId, shop } }),
  ]);
  if (friend !== 1 || tag !== 1) return false;
  const { count } = await db.friendTag.deleteMany({ where: { friendId, tagId, shop } });
  if (count) await friendsChanged(shop, [friendId], { type: "tagsRemoved", tagIds: [tagId], source });
  return true;
}

/** Names from outside (postback data, links, forms): trimmed, deduplicated, unusable ones dropped. */
function usableNames(names: string[]) {
  return [...new Set(names.map((n) => n.trim()).filter((n) => n.length > 0 && n.length <= TAG_NAME_MAX))];
}

/**
 * Tags a friend by tag name, creating missing tags (colour "info"). Idempotent; returns the tags now applied and the
 * ids of those the friend did not have. The change is announced unless the caller passes its transaction: then the
 * caller announces `added` after its commit (a listener must not see a change that may still roll back).
 */
export async function addTagsByName(
  friend: { id: string; shop: string },
  names: string[],
  source: string,
  client: Prisma.TransactionClient = db, // a caller's transaction, when the tags belong to a larger write
) {
  const wanted = usableNames(names);
  if (wanted.length === 0) return Object.assign([], { added: [] as string[] });
  // skipDuplicates makes concurrent callers creating the same tag safe (ON CONFLICT DO NOTHING).
  await client.tag.createMany({ data: wanted.map((n) => ({ shop: friend.shop, name: n })), skipDuplicates: true });
  const tags = await client.tag.findMany({ where: { shop: friend.shop, name: { in: wanted } }, orderBy: { name: "asc" } });
  const created = await client.friendTag.createManyAndReturn({
    data: tags.map((tag) => ({ friendId: friend.id, tagId: tag.id, shop: friend.shop, source })),
    skipDuplicates: true,
    select: { tagId: true },
  });
  const added = created.map((row) => row.tagId);
  if (client === db) await friendsChanged(friend.shop, [friend.id], { type: "tagsAdded", tagIds: added, source });
  return Object.assign(tags, { added });
}

/** Removes the named tags from a friend (unknown names are ignored); returns how many links went. */
export async function removeTagsByName(friend: { id: string; shop: string }, names: string[], source = "manual") {
  const wanted = usableNames(names);
  if (wanted.length === 0) return 0;
  const removed = await db.friendTag.findMany({
    where: { friendId: friend.id, shop: friend.shop, tag: { shop: friend.shop, name: { in: wanted } } },
    select: { tagId: true },
  });
  if (!removed.length) return 0;
  const tagIds = removed.map((row) => row.tagId);
  const { count } = await db.friendTag.deleteMany({ where: { friendId: friend.id, shop: friend.shop, tagId: { in: tagIds } } });
  await friendsChanged(friend.shop, [friend.id], { type: "tagsRemoved", tagIds, source });
  return count;
}

/** A friend's tags by name, with where each came from. */
export async function tagsOfFriend(friendId: string) {
  const links = await db.friendTag.findMany({
    where: { friendId },
    include: { tag: { select: { id: true, name: true, color: true } } },
    orderBy: { tag: { name: "asc" } },
  });
  return links.map((link) => ({ ...link.tag, source: link.source, addedAt: link.createdAt }));
}

// The friends list and one friend's record. The list pages by keyset on (createdAt, id), newest first, so a
// deep page costs what the first one costs; the total of the filter is one count beside it. Sorted by the linked customer's
// total spent (in the shop's currency) or last order, it pages by keyset on (that figure, id): friends without
// one come last, in id order.
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
import { friendsWhere, segmentWhere, type FilterCondition } from "../segments/compile.server";
import { getSegment } from "../segments/segments.server";
import { tagsOfFriend } from "../tags/tags.server";
import { friendsChanged } from "./changes.server";

export const FRIEND_STATUSES = ["following", "blocked", "unknown"] as const;
export const PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 100;

/** A query the list cannot answer (a damaged cursor, an unknown status…; 404: no such segment): the route answers `status` with `message`. */
export class FriendQueryError extends Error {
  override name = "FriendQueryError";
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Cursor = { createdAt: Date; id: string };

/** Opaque to the browser: base64url of the last row's creation time (ms) and id. */
export function encodeCursor(friend: Cursor): string {
  return Buffer.from(`${friend.createdAt.getTime()}.${friend.id}`).toString("base64url");
}

export const FRIEND_SORTS = ["newest", "totalSpent", "lastOrder"] as const;
export type FriendSort = (typeof FRIEND_SORTS)[number];

/** A page of a list sorted by a customer figure ends at (figure, id); the figure is -1 for friends without one. */
type KeyCursor = { key: string; id: string };
const KEY_PREFIX = { totalSpent: "s", lastOrder: "o" } as const;

export function encodeKeyCursor(sort: Exclude<FriendSort, "newest">, cursor: KeyCursor): string {
  return Buffer.from(`${KEY_PREFIX[sort]}${cursor.key}.${cursor.id}`).toString("base64url");
}

function decodeKeyCursor(sort: Exclude<FriendSort, "newest">, value: string): KeyCursor | null {
  const match = /^([so])(-1|\d{1,19}(?:\.\d{1,4})?)\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(value, "base64url").toString("utf8"));
  return match && match[1] === KEY_PREFIX[sort] ? { key: match[2], id: match[3] } : null;
}

function decodeCursor(value: string): Cursor | null {
  const match = /^(\d{1,15})\.([A-Za-z0-9_-]{1,64})$/.exec(Buffer.from(value, "base64url").toString("utf8"));
  if (!match) return null;
  const createdAt = new Date(Number(match[1]));
  return Number.isNaN(createdAt.getTime()) ? null : { createdAt, id: match[2] };
}

// Query strings carry "" for a cleared field and "true"/"false" for switches.
const blank = (value: unknown) => (value === "" || value === null ? undefined : value);
const flag = z.preprocess(
  blank,
  z.union([z.boolean(), z.enum(["true", "false"]).transform((value) => value === "true")]).optional(),
);
const id = z.preprocess(blank, z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not an id").optional());

export const friendQuerySchema = z.object({
  q: z.preprocess(blank, z.string().trim().max(100, "search text is longer than 100 characters").optional()),
  status: z.preprocess(blank, z.enum(FRIEND_STATUSES, "status must be following, blocked or unknown").optional()),
  operatorBlocked: flag,
  tagId: id,
  linked: flag,
  lineAccountId: id,
  /** A saved segment: the list shows its friends (and the other filters narrow them further). */
  segment: id,
  sort: z.preprocess(blank, z.enum(FRIEND_SORTS, "sort must be newest, totalSpent or lastOrder").optional()),
  /** Decoded with the sort it was made for (a cursor of another sort is refused). */
  after: z.preprocess(blank, z.string().max(200).optional()),
  limit: z.preprocess(blank, z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional()),
});

export type FriendQuery = z.input<typeof friendQuerySchema>;

const DAMAGED = "Invalid friends query (after: this page link is damaged or out of date)";

export function parseFriendQuery(input: FriendQuery | URLSearchParams) {
  const raw = input instanceof URLSearchParams ? Object.fromEntries(input) : input;
  const result = friendQuerySchema.safeParse(raw);
  if (!result.success) {
    const detail = result.error.issues.map((issue) => `${issue.path.join(".") || "query"}: ${issue.message}`);
    throw new FriendQueryError(`Invalid friends query (${detail.join("; ")})`);
  }
  const { after, sort = "newest", ...rest } = result.data;
  if (!after) return { ...rest, sort, after: undefined, afterKey: undefined };
  if (sort === "newest") {
    const cursor = decodeCursor(after);
    if (!cursor) throw new FriendQueryError(DAMAGED);
    return { ...rest, sort, after: cursor, afterKey: undefined };
  }
  const key = decodeKeyCursor(sort, after);
  if (!key) throw new FriendQueryError(DAMAGED);
  return { ...rest, sort, after: undefined, afterKey: key };
}

/**
 * The figure a list sorted by `sort` is ordered by, never null: the linked customer's net spend in the shop's
 * currency, or last order time in epoch milliseconds; -1 for a friend without one.
 */
function sortKey(shop: string, sort: Exclude<FriendSort, "newest">): Prisma.Sql {
  if (sort === "totalSpent") {
    return Prisma.sql`COALESCE((SELECT cs."totalSpent" FROM "Customer" c JOIN "CustomerSpend" cs ON cs."customerRef" = c."id"
      WHERE c."shop" = ${shop} AND c."customerId" = f."shopifyCustomerId"
        AND cs."currency" = (SELECT s."currency" FROM "Shop" s WHERE s."shop" = ${shop})), -1)`;
  }
  return Prisma.sql`COALESCE((SELECT floor(extract(epoch FROM c."lastOrderAt") * 1000)::numeric FROM "Customer" c
      WHERE c."shop" = ${shop} AND c."customerId" = f."shopifyCustomerId"), -1)`;
}

const listSelect = {
  id: true,
  displayName: true,
  pictureUrl: true,
  followStatus: true,
  operatorBlockedAt: true,
  shopifyCustomerId: true,
  source: true,
  profileUnavailableAt: true,
  createdAt: true,
  lineAccount: { select: { id: true, displayName: true } },
  tags: { select: { tag: { select: { id: true, name: true, color: true } } }, orderBy: { tag: { name: "asc" } } },
} satisfies Prisma.FriendSelect;

/** The linked customer as the list shows it: name, net spend in the shop's currency and last order. */
export type ListCustomer = { name: string | null; totalSpent: string | null; currency: string | null; lastOrderAt: Date | null; importStatus: string };
export type FriendListItem = Prisma.FriendGetPayload<{ select: typeof listSelect }> & { customer: ListCustomer | null; lastMessage: LastMessage | null };

/** The list's filters as conditions of the segment engine: one group, all of them. */
function listConditions(query: ReturnType<typeof parseFriendQuery>): FilterCondition[] {
  const { q, status, operatorBlocked, tagId, linked, lineAccountId } = query;
  const conditions: (FilterCondition | false | "" | undefined)[] = [
    lineAccountId && { field: "account", accountIds: [lineAccountId] },
    status && { field: "followStatus", statuses: [status] },
    operatorBlocked !== undefined && { field: "staffBlocked", blocked: operatorBlocked },
    linked !== undefined && { field: "linked", linked },
    q && { field: "name", contains: q },
    tagId && { field: "tags", match: "any", tagIds: [tagId] },
  ];
  return conditions.filter((condition): condition is FilterCondition => Boolean(condition));
}

/**
 * One page of the shop's friends, newest first, with their tags; `nextCursor` is null on the last page. With
 * `segment`, only that segment's friends (never staff-blocked ones); an id that is not the shop's segment is a 404.
 */
/**
 * The SQL conditions over "Friend" f of the list's filters (and segment), always within `shop`: what the list shows,
 * what "select all matching" acts on and what the CSV export writes.
 */
export async function filterConditions(shop: string, parsed: ReturnType<typeof parseFriendQuery>, now = new Date()) {
  const segment = parsed.segment ? await getSegment(shop, parsed.segment) : null;
  if (parsed.segment && !segment) throw new FriendQueryError("This segment does not exist or was deleted.", 404);
  const conditions = [friendsWhere(shop, { match: "all", groups: [{ match: "all", conditions: listConditions(parsed) }] }, now)];
  if (segment) conditions.push(segmentWhere(shop, segment.definition, now));
  return { conditions, segment };
}

/** How many friends the filter matches (all pages). */
export async function countFriends(shop: string, query: FriendQuery | URLSearchParams = {}) {
  const { conditions } = await filterConditions(shop, parseFriendQuery(query));
  const [row] = await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Friend" f WHERE ${Prisma.join(conditions, " AND ")}`;
  return Number(row?.n ?? 0);
}

export type LastMessage = { direction: string; kind: string; text: string | null; createdAt: Date };

/** The newest message (either way) of each friend, for the list's "last message" column. */
async function lastMessages(shop: string, friendIds: string[]): Promise<Map<string, LastMessage>> {
  if (!friendIds.length) return new Map();
  const rows = await db.$queryRaw<(LastMessage & { friendId: string })[]>`
    SELECT DISTINCT ON (m."friendId") m."friendId", m.direction, m.kind, left(m.text, 120) AS text, m."createdAt"
    FROM "Message" m
    WHERE m."friendId" = ANY(${friendIds}::text[]) AND m.shop = ${shop}
    ORDER BY m."friendId", m."createdAt" DESC, m.id DESC`;
  return new Map(rows.map(({ friendId, ...message }) => [friendId, message]));
}

export async function listFriends(shop: string, query: FriendQuery | URLSearchParams = {}) {
  const parsed = parseFriendQuery(query);
  const { after, afterKey, sort, limit = PAGE_SIZE } = parsed;
  const { conditions, segment } = await filterConditions(shop, parsed);
  let rows: { id: string; key?: string }[];
  if (sort === "newest") {
    // A row comparison is an index condition on (shop, createdAt, id); createdAt is a UTC timestamp(3).
    if (after) {
      const at = after.createdAt.toISOString().replace("Z", "");
      conditions.push(Prisma.sql`(f."createdAt", f."id") < (${at}::timestamp(3), ${after.id})`);
    }
    rows = await db.$queryRaw<{ id: string }[]>`
      SELECT f."id" FROM "Friend" f
      WHERE ${Prisma.join(conditions, " AND ")}
      ORDER BY f."createdAt" DESC, f."id" DESC
      LIMIT ${limit + 1}`;
  } else {
    const page = afterKey ? Prisma.sql`WHERE (s.key, s.id) < (${afterKey.key}::numeric, ${afterKey.id})` : Prisma.empty;
    rows = await db.$queryRaw<{ id: string; key: string }[]>`
      SELECT s.id, s.key::text AS key FROM (
        SELECT f."id", ${sortKey(shop, sort)} AS key FROM "Friend" f WHERE ${Prisma.join(conditions, " AND ")}
      ) s ${page}
      ORDER BY s.key DESC, s.id DESC
      LIMIT ${limit + 1}`;
  }

  const pageIds = rows.slice(0, limit).map((row) => row.id);
  const found = pageIds.length ? await db.friend.findMany({ where: { id: { in: pageIds } }, select: listSelect }) : [];
  const [customers, latest] = await Promise.all([
    listCustomers(shop, found.flatMap((friend) => (friend.shopifyCustomerId ? [friend.shopifyCustomerId] : []))),
    lastMessages(shop, pageIds),
  ]);
  const byId = new Map(found.map((friend) => [friend.id, friend]));
  const friends: FriendListItem[] = pageIds.flatMap((friendId) => {
    const friend = byId.get(friendId);
    if (!friend) return [];
    return [{ ...friend, customer: (friend.shopifyCustomerId && customers.get(friend.shopifyCustomerId)) || null, lastMessage: latest.get(friendId) ?? null }];
  });
  const last = friends.at(-1);
  const lastRow = rows[limit - 1];
  const more = rows.length > limit && last;
  return {
    friends,
    nextCursor: !more ? null : sort === "newest" ? encodeCursor(last) : encodeKeyCursor(sort, { key: lastRow!.key!, id: lastRow!.id }),
    segment: segment && { id: segment.id, name: segment.name },
    sort,
  };
}

/** The shop's stored customers among `customerIds`, with their spend in the shop's currency. */
async function listCustomers(shop: string, customerIds: string[]): Promise<Map<string, ListCustomer>> {
  if (!customerIds.length) return new Map();
  const [rows, shopRow] = await Promise.all([
    db.customer.findMany({
      where: { shop, customerId: { in: customerIds } },
      select: { customerId: true, displayName: true, firstName: true, lastName: true, lastOrderAt: true, importStatus: true, spend: { select: { currency: true, totalSpent: true } } },
    }),
    db.shop.findUnique({ where: { shop }, select: { currency: true } }),
  ]);
  const currency = shopRow?.currency ?? null;
  return new Map(
    rows.map((row) => {
      const spend = row.spend.find((s) => s.currency === currency);
      return [
        row.customerId,
        { name: customerName(row), totalSpent: spend ? spend.totalSpent.toFixed() : null, currency, lastOrderAt: row.lastOrderAt, importStatus: row.importStatus },
      ];
    }),
  );
}

/** Shopify's display name of the customer (written in the store's name order), else first and last name. */
export function customerName(row: { displayName: string | null; firstName: string | null; lastName: string | null }): string | null {
  return row.displayName?.trim() || [row.firstName, row.lastName].filter(Boolean).join(" ").trim() || null;
}

const MESSAGES_SHOWN = 50;

/** A friend of this shop with tags, the latest messages (oldest first) and the account; null if not the shop's. */
export async function getFriend(shop: string, friendId: string) {
  const friend = await db.friend.findFirst({
    where: { id: friendId, shop },
    include: {
      // Never the account's secrets: this goes to the browser.
      lineAccount: { select: { id: true, displayName: true, status: true, botDisplayName: true, botBasicId: true } },
    },
  });
  if (!friend) return null;
  const [tags, latest] = await Promise.all([
    tagsOfFriend(friend.id),
    db.message.findMany({
      where: { friendId: friend.id },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: MESSAGES_SHOWN,
      select: { id: true, direction: true, kind: true, text: true, sentVia: true, sentBy: true, status: true, error: true, createdAt: true },
    }),
  ]);
  return { ...friend, tags, messages: latest.reverse() };
}

export async function friendExists(shop: string, friendId: string): Promise<boolean> {
  return (await db.friend.count({ where: { id: friendId, shop } })) === 1;
}

/** Operator block: nothing is sent to the friend and nothing they send is kept. Keeps the first block time. */
export async function blockFriend(shop: string, friendId: string): Promise<boolean> {
  const found = await db.friend.findFirst({ where: { id: friendId, shop }, select: { id: true } });
  if (!found) return false;
  const { count } = await db.friend.updateMany({ where: { id: friendId, shop, operatorBlockedAt: null }, data: { operatorBlockedAt: new Date() } });
  if (count) await friendsChanged(shop, [friendId], { type: "staffBlocked" });
  return true;
}

export async function unblockFriend(shop: string, friendId: string): Promise<boolean> {
  const result = await db.friend.updateMany({ where: { id: friendId, shop }, data: { operatorBlockedAt: null } });
  return result.count > 0;
}

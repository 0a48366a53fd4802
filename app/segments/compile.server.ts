// The one evaluator of friend conditions: each condition compiles to a boolean SQL expression over `"Friend" f`.
// Segments (counts, broadcasts' audiences) and the friends list's filters all go through friendsWhere.
import { Prisma } from "@prisma/client";
import { db } from "../db.server";
import type { Condition, SegmentDefinition } from "./model";

/** Filters only the friends list offers: a name search, and staff-blocked friends (never in a segment). */
export type ListCondition = { field: "name"; contains: string } | { field: "staffBlocked"; blocked: boolean };
export type FilterCondition = Condition | ListCondition;
export type FilterDefinition = { match: "all" | "any"; groups: { match: "all" | "any"; conditions: FilterCondition[] }[] };

type Context = { shop: string; now: Date };
type Compilers = { [F in FilterCondition["field"]]: (condition: Extract<FilterCondition, { field: F }>, ctx: Context) => Prisma.Sql };

/** A UTC timestamp(3) literal: the columns are `timestamp` holding UTC. */
const at = (date: Date) => Prisma.sql`${date.toISOString().replace("Z", "")}::timestamp(3)`;
const daysBefore = (ctx: Context, days: number) => at(new Date(ctx.now.getTime() - days * 86_400_000));
const list = (values: string[]) => Prisma.join(values.map((value) => Prisma.sql`${value}`));
/** The start of a calendar day in the shop's time zone, as a UTC timestamp (the zone is looked up once per query). */
const startOfDay = (ctx: Context, isoDate: string, plusDays = 0) => Prisma.sql`
  (((${isoDate}::date + ${plusDays}::int)::timestamp AT TIME ZONE
    COALESCE((SELECT s."timeZone" FROM "Shop" s WHERE s."shop" = ${ctx.shop}), 'Asia/Tokyo')) AT TIME ZONE 'UTC')`;
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);
// Uncorrelated IN, not EXISTS: under AND it is the same semi-join, and under OR or NOT PostgreSQL hashes the
// subquery's ids once (index-only on FriendTag(tagId, friendId)) and the scan of Friend stays parallel
// (tests/bench/friends-list.ts, saleOrLinkedNotRare). friendId is never null, so NOT IN means "not among them".
const tagged = (tagIds: string[]) =>
  Prisma.sql`f."id" IN (SELECT ft."friendId" FROM "FriendTag" ft WHERE ft."tagId" IN (${list(tagIds)}))`;

// Shopify customer conditions: the friend's customer (Friend.shopifyCustomerId, within the shop) among the shop's
// Customer rows that satisfy it. Correlated EXISTS, not IN: under AND PostgreSQL turns it into the same semi-join
// (or anti-join for NOT EXISTS), and under OR or NOT it stays a probe of the unique (shop, customerId) index per
// linked friend, whereas an IN over a few hundred thousand customers that does not fit work_mem is re-scanned for
// every friend. A friend who is not linked matches none of them: "not …" conditions also require a stored customer.
const linkedTo = (ctx: Context, alias: string) => Prisma.sql`${Prisma.raw(alias)}."shop" = ${ctx.shop} AND ${Prisma.raw(alias)}."customerId" = f."shopifyCustomerId"`;
const customerExists = (ctx: Context, where: Prisma.Sql) =>
  Prisma.sql`EXISTS (SELECT 1 FROM "Customer" c WHERE ${linkedTo(ctx, "c")} AND ${where})`;
const customerIn = (ctx: Context, where: Prisma.Sql) => Prisma.sql`(f."shopifyCustomerId" IS NOT NULL AND ${customerExists(ctx, where)})`;
const customerNotIn = (ctx: Context, where: Prisma.Sql) =>
  Prisma.sql`(f."shopifyCustomerId" IS NOT NULL AND ${customerExists(ctx, Prisma.sql`TRUE`)} AND NOT ${customerExists(ctx, where)})`;
const shopCurrency = (ctx: Context) => Prisma.sql`(SELECT s."currency" FROM "Shop" s WHERE s."shop" = ${ctx.shop})`;
/** The customer's net spend in the shop's currency compares with amount (CustomerSpend's (customerRef, currency) key). */
const spent = (ctx: Context, compare: Prisma.Sql) => Prisma.sql`EXISTS (
  SELECT 1 FROM "Customer" c JOIN "CustomerSpend" cs ON cs."customerRef" = c."id"
  WHERE ${linkedTo(ctx, "c")} AND cs."shop" = ${ctx.shop} AND cs."currency" = ${shopCurrency(ctx)} AND cs."totalSpent" ${compare})`;
/** An order (not cancelled) of the customer holding one of the products / variants, since `since` when given. */
const bought = (ctx: Context, c: Extract<Condition, { field: "purchased" }>) => {
  const ids = list(c.items.map((item) => item.id));
  const line =
    c.target === "variant"
      ? Prisma.sql`l."variantId" IN (${ids})`
      : c.target === "product"
        ? Prisma.sql`l."productId" IN (${ids})`
        : Prisma.sql`l."productId" IN (SELECT cp."productId" FROM "CollectionProduct" cp WHERE cp."shop" = ${ctx.shop} AND cp."collectionId" IN (${ids}))`;
  const since = c.period === "lastDays" ? Prisma.sql`AND o."processedAt" >= ${daysBefore(ctx, c.days ?? 0)}` : Prisma.empty;
  return Prisma.sql`EXISTS (SELECT 1 FROM "Order" o JOIN "OrderLine" l ON l."orderRef" = o."id"
    WHERE ${linkedTo(ctx, "o")} AND o."cancelledAt" IS NULL ${since} AND l."shop" = ${ctx.shop} AND ${line})`;
};
// LIFF form answers: a correlated EXISTS per friend, served by FormAnswer(friendId, formId, createdAt); the shop
// is in the statement, so another shop's form id never matches.
const answered = (ctx: Context, formId: string, where: Prisma.Sql) => Prisma.sql`EXISTS (
  SELECT 1 FROM "FormAnswer" a WHERE a."friendId" = f."id" AND a."formId" = ${formId} AND a."shop" = ${ctx.shop} AND ${where})`;
const textArray = (values: string[]) => Prisma.sql`ARRAY[${list(values)}]::text[]`;

const compilers: Compilers = {
  account: (c) => Prisma.sql`f."lineAccountId" IN (${list(c.accountIds)})`,
  followStatus: (c) => Prisma.sql`f."followStatus" IN (${list(c.statuses)})`,
  tags: (c) => {
    if (c.match === "none") return Prisma.sql`NOT (${tagged(c.tagIds)})`;
    if (c.match === "any") return tagged(c.tagIds);
    return Prisma.sql`(${Prisma.join(c.tagIds.map((tagId) => tagged([tagId])), " AND ")})`;
  },
  friendSince: (c, ctx) => {
    if (c.mode === "lastDays") return Prisma.sql`f."createdAt" >= ${daysBefore(ctx, c.days ?? 0)}`;
    const bounds = [
      c.from ? Prisma.sql`f."createdAt" >= ${startOfDay(ctx, c.from)}` : null,
      c.to ? Prisma.sql`f."createdAt" < ${startOfDay(ctx, c.to, 1)}` : null,
    ].filter((bound): bound is Prisma.Sql => bound !== null);
    return bounds.length ? Prisma.sql`(${Prisma.join(bounds, " AND ")})` : Prisma.sql`TRUE`;
  },
  source: (c) => {
    const from = Prisma.sql`f."id" IN (SELECT fs."friendId" FROM "FriendSource" fs WHERE fs."trackingLinkId" IN (${list(c.trackingLinkIds)}))`;
    return c.match === "none" ? Prisma.sql`NOT (${from})` : from;
  },
  linked: (c) => (c.linked ? Prisma.sql`f."shopifyCustomerId" IS NOT NULL` : Prisma.sql`f."shopifyCustomerId" IS NULL`),
  lastMessage: (c, ctx) =>
    c.within
      ? Prisma.sql`f."lastMessageAt" >= ${daysBefore(ctx, c.days)}`
      : Prisma.sql`(f."lastMessageAt" IS NULL OR f."lastMessageAt" < ${daysBefore(ctx, c.days)})`,
  // LINE sends tags like "ja" or "zh-Hant"; compared case-insensitively. A friend whose language is unknown has
  // none of the languages.
  language: (c) => {
    const of = Prisma.sql`lower(f."language") IN (${list(c.languages.map((code) => code.toLowerCase()))})`;
    return c.match === "none" ? Prisma.sql`(f."language" IS NULL OR NOT ${of})` : of;
  },
  totalSpent: (c, ctx) => {
    if (c.op === "gte") return Prisma.sql`(f."shopifyCustomerId" IS NOT NULL AND ${spent(ctx, Prisma.sql`>= ${c.amount}::numeric`)})`;
    // ≤: a customer without spend in the currency spent 0.
    return Prisma.sql`(${customerIn(ctx, Prisma.sql`TRUE`)} AND NOT ${spent(ctx, Prisma.sql`> ${c.amount}::numeric`)})`;
  },
  ordersCount: (c, ctx) => customerIn(ctx, c.op === "gte" ? Prisma.sql`c."ordersCount" >= ${c.count}` : Prisma.sql`c."ordersCount" <= ${c.count}`),
  orderDate: (c, ctx) => {
    const column = Prisma.raw(c.which === "first" ? `c."firstOrderAt"` : `c."lastOrderAt"`);
    const within = Prisma.sql`${column} >= ${daysBefore(ctx, c.days)}`;
    return c.within ? customerIn(ctx, within) : customerNotIn(ctx, within);
  },
  purchased: (c, ctx) =>
    c.match === "any"
      ? Prisma.sql`(f."shopifyCustomerId" IS NOT NULL AND ${bought(ctx, c)})`
      : Prisma.sql`(${customerIn(ctx, Prisma.sql`TRUE`)} AND NOT ${bought(ctx, c)})`,
  customerTag: (c, ctx) => {
    if (c.match === "all") return customerIn(ctx, Prisma.sql`c."tags" @> ${textArray(c.tags)}`);
    const any = Prisma.sql`c."tags" && ${textArray(c.tags)}`;
    return c.match === "any" ? customerIn(ctx, any) : customerNotIn(ctx, any);
  },
  marketingConsent: (c, ctx) => {
    const subscribed = Prisma.sql`${Prisma.raw(c.channel === "email" ? `c."emailMarketing"` : `c."smsMarketing"`)} = 'SUBSCRIBED'`;
    return c.subscribed ? customerIn(ctx, subscribed) : customerNotIn(ctx, subscribed);
  },
  location: (c, ctx) => {
    // Shopify's province codes are stored bare ("13") or prefixed with the country ("JP-13"): both are accepted.
    const provinces = c.provinceCodes.flatMap((code) => [code, `${c.countryCode}-${code}`]);
    const place = c.provinceCodes.length
      ? Prisma.sql`c."countryCode" = ${c.countryCode} AND c."provinceCode" IN (${list(provinces)})`
      : Prisma.sql`c."countryCode" = ${c.countryCode}`;
    return c.match === "any" ? customerIn(ctx, place) : customerNotIn(ctx, place);
  },
  answeredForm: (c, ctx) => answered(ctx, c.formId, c.period === "lastDays" ? Prisma.sql`a."createdAt" >= ${daysBefore(ctx, c.days ?? 0)}` : Prisma.sql`TRUE`),
  // A choice answer is a choice id (single, dropdown) or an array of them (multiple): ?| matches either. A text
  // answer is stored trimmed: compared with the trimmed text, ignoring case.
  formAnswer: (c, ctx) =>
    answered(
      ctx,
      c.formId,
      c.kind === "choice"
        ? Prisma.sql`(a."values" -> ${c.fieldId}::text) ?| ${textArray(c.values)}`
        : Prisma.sql`lower(a."values" ->> ${c.fieldId}::text) = lower(${c.values[0].trim()}::text)`,
    ),
  // ILIKE '%…%' is what the trigram index (Friend_displayName_trgm_idx) serves.
  name: (c) => Prisma.sql`f."displayName" ILIKE ${`%${escapeLike(c.contains)}%`}`,
  staffBlocked: (c) => (c.blocked ? Prisma.sql`f."operatorBlockedAt" IS NOT NULL` : Prisma.sql`f."operatorBlockedAt" IS NULL`),
};

export function compileCondition(condition: FilterCondition, ctx: Context): Prisma.Sql {
  const compile = compilers[condition.field] as (c: FilterCondition, ctx: Context) => Prisma.Sql;
  return compile(condition, ctx);
}

function combine(parts: Prisma.Sql[], match: "all" | "any") {
  if (!parts.length) return Prisma.sql`TRUE`;
  return Prisma.sql`(${Prisma.join(parts, match === "all" ? " AND " : " OR ")})`;
}

/**
 * The shop's friends matching the definition, staff-blocked ones included unless a condition says otherwise:
 * the friends list shows them on request. Segments use segmentWhere, which always leaves them out.
 */
export function friendsWhere(shop: string, definition: FilterDefinition, now = new Date()): Prisma.Sql {
  const ctx = { shop, now };
  const groups = definition.groups.map((group) => combine(group.conditions.map((c) => compileCondition(c, ctx)), group.match));
  return Prisma.sql`f."shop" = ${shop} AND ${combine(groups, definition.match)}`;
}

/** A boolean SQL expression over `"Friend" f` for this shop's friends in the segment; never staff-blocked ones. */
export function segmentWhere(shop: string, definition: SegmentDefinition, now = new Date()): Prisma.Sql {
  return Prisma.sql`${friendsWhere(shop, definition, now)} AND f."operatorBlockedAt" IS NULL`;
}

export async function countSegment(shop: string, definition: SegmentDefinition): Promise<number> {
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM "Friend" f WHERE ${segmentWhere(shop, definition)}`;
  return row?.count ?? 0;
}

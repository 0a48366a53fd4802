// Tracking links, the admin side: list with a per-link report, create, edit, archive. Error values are i18n keys
// (app/i18n/tracking-links.ts). The public click is app/sources/tracking-links.server.ts.
import { randomBytes } from "node:crypto";
import { Prisma, type TrackingLink } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
import { env } from "../env.server";
import { isNotFound, unlessNotFound } from "../prisma-errors";
import { expandTemplate, keepsAuthority } from "./postback.server";
import { refuseUrl, type UrlRefusal } from "./safe-url.server";

export const TRACKING_NAME_MAX = 100;
export const TRACKING_TAGS_MAX = 10;
export const TRACKING_TAG_MAX = 50;
export const URL_MAX = 2000;
export const POSTBACK_METHODS = ["GET", "POST"] as const;
/** Filled from the friend, link and click; any other {name} is the click's query parameter of that name. */
export const POSTBACK_VARIABLES = ["now", "customer_id", "line_user_id", "lp_url", "url_id", "click_id"] as const;

export type TrackingLinkInput = {
  name: string;
  lineAccountId: string;
  landingPageUrl?: string | null;
  tagNames?: string[];
  postbackUrl?: string | null;
  postbackMethod?: string;
};
export type TrackingErrors = Record<string, string>;
type Result = { link: TrackingLink } | { errors: TrackingErrors };

export function trackingLinkUrl(code: string) {
  return `${env.SHOPIFY_APP_URL.replace(/\/$/, "")}/t/${code}`;
}

/** 48 random bits, base64url: 8 characters a visitor can type, that nobody can enumerate. */
export function newCode() {
  return randomBytes(6).toString("base64url");
}

const REFUSALS: Record<UrlRefusal, string> = {
  "invalid-url": "trackingLinks.error.postbackInvalid",
  "not-https": "trackingLinks.error.postbackHttps",
  "private-address": "trackingLinks.error.postbackPrivate",
  "variable-host": "trackingLinks.error.postbackHost",
};

const SAMPLE = { customerId: "7012345678901", lineUserId: "U4af4980629f1a2b3c4d5e6f7a8b9c0d1", code: "Ab3dE6gH", clickId: "abc123" };

/** The template filled with sample values; a query-parameter variable shows as "(its name)". */
function sampleExpansion(template: string, link: { code?: string; landingPageUrl?: string | null }, now = new Date()) {
  const params: Record<string, string> = { click_id: SAMPLE.clickId };
  for (const [, name] of template.matchAll(/\{([A-Za-z0-9_]+)\}/g)) {
    if (!(POSTBACK_VARIABLES as readonly string[]).includes(name)) params[name] = `(${name})`;
  }
  return expandTemplate(template, {
    link: { code: link.code || SAMPLE.code, landingPageUrl: link.landingPageUrl || null },
    friend: { lineUserId: SAMPLE.lineUserId, shopifyCustomerId: SAMPLE.customerId },
    click: { id: "sample", params },
    now,
  });
}

/** Why a postback template is refused (an i18n key), or null. Checked on the template with sample values. */
export function postbackTemplateError(template: string): string | null {
  if (template.length > URL_MAX) return "trackingLinks.error.postbackTooLong";
  if (/[{}]/.test(template.replace(/\{[A-Za-z0-9_]+\}/g, ""))) return "trackingLinks.error.postbackVariable";
  const sample = sampleExpansion(template, {});
  const refusal = refuseUrl(sample);
  if (refusal) return REFUSALS[refusal];
  // The server must be fixed: a click's query parameter must never choose where we connect to.
  if (!keepsAuthority(template, sample)) return "trackingLinks.error.postbackHost";
  return null;
}

/** What the UI shows under the template: the URL as it would be sent for a sample friend, or why it is refused. */
export function postbackPreview(template: string, link: { code?: string; landingPageUrl?: string | null } = {}) {
  const trimmed = template.trim();
  if (!trimmed) return { url: null, error: null };
  const error = postbackTemplateError(trimmed);
  return { url: error ? null : sampleExpansion(trimmed, link), error };
}

const optionalUrl = z
  .string()
  .trim()
  .nullish()
  .transform((value) => value || null);

const schema = z
  .object({
    name: z
      .string({ error: "trackingLinks.error.nameRequired" })
      .trim()
      .min(1, "trackingLinks.error.nameRequired")
      .max(TRACKING_NAME_MAX, "trackingLinks.error.nameTooLong"),
    lineAccountId: z.string({ error: "trackingLinks.error.account" }).min(1, "trackingLinks.error.account"),
    landingPageUrl: optionalUrl.refine(
      (value) => value === null || (value.length <= URL_MAX && /^https:\/\/[^/?#\s]+/i.test(value) && URL.canParse(value)),
      "trackingLinks.error.landingPageUrl",
    ),
    tagNames: z
      .array(
        z
          .string()
          .trim()
          .min(1, "trackingLinks.error.tagEmpty")
          .max(TRACKING_TAG_MAX, "trackingLinks.error.tagTooLong"),
      )
      .default([])
      .transform((names) => [...new Set(names)])
      .refine((names) => names.length <= TRACKING_TAGS_MAX, "trackingLinks.error.tagCount"),
    postbackUrl: optionalUrl.superRefine((value, context) => {
      const error = value === null ? null : postbackTemplateError(value);
      if (error) context.addIssue({ code: "custom", message: error });
    }),
    postbackMethod: z.enum(POSTBACK_METHODS, { error: "trackingLinks.error.postbackMethod" }).default("GET"),
  });

/** Every field's first error: "tagNames" for the list, "tagNames.2" for the third tag. */
function validate(input: TrackingLinkInput) {
  const parsed = schema.safeParse(input);
  if (parsed.success) return { data: parsed.data };
  const errors: TrackingErrors = {};
  for (const issue of parsed.error.issues) errors[issue.path.length ? issue.path.join(".") : "form"] ??= issue.message;
  return { errors };
}

async function usableAccount(shop: string, lineAccountId: string) {
  return (await db.lineAccount.count({ where: { id: lineAccountId, shop, status: "connected" } })) === 1;
}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

export async function createTrackingLink(
  shop: string,
  input: TrackingLinkInput,
  options: { generateCode?: () => string } = {},
): Promise<Result> {
  const parsed = validate(input);
  if (!parsed.data) return { errors: parsed.errors };
  if (!(await usableAccount(shop, parsed.data.lineAccountId))) return { errors: { lineAccountId: "trackingLinks.error.account" } };
  const generate = options.generateCode ?? newCode;
  const { lineAccountId, ...fields } = parsed.data;
  for (let attempt = 1; ; attempt += 1) {
    try {
      // Connected through the shop's own account: another shop's account id creates nothing.
      const data = { shop, code: generate(), ...fields, lineAccount: { connect: { id: lineAccountId, shop } } };
      return { link: await db.trackingLink.create({ data }) };
    } catch (error) {
      if (isNotFound(error)) return { errors: { lineAccountId: "trackingLinks.error.account" } };
      // The code is the only unique field we choose; 48 random bits make a second collision unheard of.
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}

/** Replaces the editable fields. The code, and so the URL already in ads, never changes. */
export async function updateTrackingLink(shop: string, id: string, input: TrackingLinkInput): Promise<Result> {
  const existing = await db.trackingLink.findFirst({ where: { id, shop, archivedAt: null } });
  if (!existing) return { errors: { form: "trackingLinks.error.notFound" } };
  const parsed = validate(input);
  if (!parsed.data) return { errors: parsed.errors };
  // A link may stay on an account that was disconnected since; moving it needs a connected one.
  const accountChanged = parsed.data.lineAccountId !== existing.lineAccountId;
  if (accountChanged && !(await usableAccount(shop, parsed.data.lineAccountId))) {
    return { errors: { lineAccountId: "trackingLinks.error.account" } };
  }
  const { lineAccountId, ...fields } = parsed.data;
  const link = await unlessNotFound(
    db.trackingLink.update({
      where: { id, shop, archivedAt: null },
      data: { ...fields, lineAccount: { connect: { id: lineAccountId, shop } } },
    }),
  );
  return link ? { link } : { errors: { form: "trackingLinks.error.notFound" } };
}

/** The URL stops answering (recordClick refuses archived links); clicks, sources and the report are kept. */
export async function archiveTrackingLink(shop: string, id: string): Promise<Result> {
  const [link] = await db.trackingLink.updateManyAndReturn({ where: { id, shop, archivedAt: null }, data: { archivedAt: new Date() } });
  return link ? { link } : { errors: { form: "trackingLinks.error.notFound" } };
}

export type Revenue = { currency: string; amount: string };
export type TrackingReport = {
  clicks: number;
  linked: number;
  friends: number;
  blocked: number;
  orders: number;
  revenue: Revenue[];
  postbacksSent: number;
  postbacksFailed: number;
  postbacksPending: number;
};

const EMPTY_REPORT: TrackingReport = {
  clicks: 0, linked: 0, friends: 0, blocked: 0, orders: 0, revenue: [], postbacksSent: 0, postbacksFailed: 0, postbacksPending: 0,
};

/** Calendar days (YYYY-MM-DD, both included) in the shop's time zone. */
export type ReportPeriod = { from: string; to: string; timeZone: string };

/** `AND column's day (in the shop's zone) is in the period`, or nothing without a period. */
function within(column: string, period: ReportPeriod | undefined) {
  if (!period) return Prisma.empty;
  // Timestamps are UTC timestamp(3) columns: read them as UTC, then as wall time in the shop's zone.
  return Prisma.sql`AND ((${Prisma.raw(column)} AT TIME ZONE 'UTC') AT TIME ZONE ${period.timeZone})::date BETWEEN ${period.from}::date AND ${period.to}::date`;
}

/**
 * Every link's numbers in one query, all time or for a period. Orders count when the customer linked to a source
 * friend placed them after the source was recorded; an order counts once per link even when two of its friends
 * share the customer. In a period: the clicks of the period, the friends added in it (blocked: of those, blocked
 * since), their postbacks, and the orders placed in it (by friends who came through the link at any time before).
 */
async function reports(shop: string, period?: ReportPeriod): Promise<Map<string, TrackingReport>> {
  const rows = await db.$queryRaw<({ id: string } & TrackingReport)[]>`
    WITH c AS (
      SELECT "trackingLinkId" AS id, count(*)::int AS clicks, count("linkedAt")::int AS linked
      FROM "TrackingClick" WHERE shop = ${shop} ${within(`"createdAt"`, period)} GROUP BY 1
    ), s AS (
      SELECT fs."trackingLinkId" AS id, count(*)::int AS friends,
             (count(*) FILTER (WHERE f."followStatus" = 'blocked'))::int AS blocked
      FROM "FriendSource" fs JOIN "Friend" f ON f.id = fs."friendId"
      WHERE fs.shop = ${shop} ${within(`fs."createdAt"`, period)} GROUP BY 1
    ), p AS (
      SELECT fs."trackingLinkId" AS id,
             (count(*) FILTER (WHERE pd.status = 'sent'))::int AS sent,
             (count(*) FILTER (WHERE pd.status = 'failed'))::int AS failed,
             (count(*) FILTER (WHERE pd.status = 'pending'))::int AS pending
      FROM "PostbackDelivery" pd JOIN "FriendSource" fs ON fs.id = pd."friendSourceId"
      WHERE pd.shop = ${shop} ${within(`fs."createdAt"`, period)} GROUP BY 1
    ), lo AS (
      SELECT DISTINCT fs."trackingLinkId" AS id, o.id AS "orderId", o.currency, o."totalPrice"
      FROM "FriendSource" fs
      JOIN "Friend" f ON f.id = fs."friendId" AND f."shopifyCustomerId" IS NOT NULL
      JOIN "Order" o ON o.shop = fs.shop AND o."customerId" = f."shopifyCustomerId" AND o."processedAt" > fs."createdAt"
      WHERE fs.shop = ${shop} ${within(`o."processedAt"`, period)}
    ), oc AS (
      -- Amounts are stored at scale 4: written with the decimals they have (KWD three), and at least two.
      SELECT id, currency, count(*)::int AS orders,
             round(sum("totalPrice"), greatest(2, scale(trim_scale(sum("totalPrice")))))::text AS amount
      FROM lo GROUP BY 1, 2
    ), o AS (
      SELECT id, sum(orders)::int AS orders,
             jsonb_agg(jsonb_build_object('currency', currency, 'amount', amount) ORDER BY currency) AS revenue
      FROM oc GROUP BY 1
    )
    SELECT l.id,
           coalesce(c.clicks, 0) AS clicks, coalesce(c.linked, 0) AS linked,
           coalesce(s.friends, 0) AS friends, coalesce(s.blocked, 0) AS blocked,
           coalesce(o.orders, 0) AS orders, coalesce(o.revenue, '[]'::jsonb) AS revenue,
           coalesce(p.sent, 0) AS "postbacksSent", coalesce(p.failed, 0) AS "postbacksFailed",
           coalesce(p.pending, 0) AS "postbacksPending"
    FROM "TrackingLink" l
    LEFT JOIN c ON c.id = l.id LEFT JOIN s ON s.id = l.id LEFT JOIN p ON p.id = l.id LEFT JOIN o ON o.id = l.id
    WHERE l.shop = ${shop}`;
  return new Map(rows.map(({ id, ...report }) => [id, report]));
}

/** The shop's links, newest first, with their report (all time, or for `period`). */
export async function listTrackingLinks(shop: string, options: { archived?: boolean; period?: ReportPeriod } = {}) {
  const [links, numbers] = await Promise.all([
    db.trackingLink.findMany({
      where: { shop, archivedAt: options.archived ? { not: null } : null },
      include: { lineAccount: { select: { displayName: true, status: true } } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    }),
    reports(shop, options.period),
  ]);
  return links.map((link) => ({
    id: link.id,
    code: link.code,
    url: trackingLinkUrl(link.code),
    name: link.name,
    lineAccountId: link.lineAccountId,
    accountName: link.lineAccount.displayName,
    accountConnected: link.lineAccount.status === "connected",
    landingPageUrl: link.landingPageUrl,
    tagNames: Array.isArray(link.tagNames) ? link.tagNames.filter((n): n is string => typeof n === "string") : [],
    postbackUrl: link.postbackUrl,
    postbackMethod: link.postbackMethod === "POST" ? ("POST" as const) : ("GET" as const),
    archivedAt: link.archivedAt,
    createdAt: link.createdAt,
    report: numbers.get(link.id) ?? EMPTY_REPORT,
  }));
}

/** One of the shop's links (archived too), or null: another shop's id finds nothing. */
export function findTrackingLink(shop: string, id: string) {
  return db.trackingLink.findFirst({ where: { id, shop } });
}

export function countArchivedTrackingLinks(shop: string) {
  return db.trackingLink.count({ where: { shop, archivedAt: { not: null } } });
}

export type TrackingLinkRow = Awaited<ReturnType<typeof listTrackingLinks>>[number];

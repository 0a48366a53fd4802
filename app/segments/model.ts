// The segment condition model (client-safe: the editor validates with the same schema the server saves with).
// A condition is a discriminated union on `field`; app/segments/compile.server.ts has one compiler per field in a
// table, so a new kind of condition (Shopify orders, customers…) is one schema here and one entry there.
// Error messages are i18n keys (app/i18n/segments.ts).
import { z } from "zod";

export const FOLLOW_STATUSES = ["following", "blocked", "unknown"] as const;
export const SEGMENT_NAME_MAX = 100;
export const MAX_GROUPS = 10;
export const MAX_CONDITIONS = 20;
export const MAX_IDS = 100;
export const MAX_DAYS = 3650;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "segments.error.id");
const ids = z.array(id).min(1, "segments.error.pickOne").max(MAX_IDS, "segments.error.tooMany");
const days = z.number("segments.error.days").int("segments.error.days").min(1, "segments.error.days").max(MAX_DAYS, "segments.error.days");
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "segments.error.date")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "segments.error.date");
/** LINE reports a friend's language as a BCP 47 tag: ja, en, zh-Hant, zh-Hans, th, ko, id… */
const language = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$/, "segments.error.language");

export const accountCondition = z.object({ field: z.literal("account"), accountIds: ids });
export const followStatusCondition = z.object({
  field: z.literal("followStatus"),
  statuses: z.array(z.enum(FOLLOW_STATUSES, "segments.error.status")).min(1, "segments.error.pickOne"),
});
export const tagsCondition = z.object({ field: z.literal("tags"), match: z.enum(["any", "all", "none"]), tagIds: ids });
/** Dates are calendar days in the shop's time zone, both ends included; or the last `days` × 24 hours. */
export const friendSinceCondition = z
  .object({
    field: z.literal("friendSince"),
    mode: z.enum(["dates", "lastDays"]),
    from: isoDate.nullish(),
    to: isoDate.nullish(),
    days: days.nullish(),
  })
  .superRefine((value, ctx) => {
    if (value.mode === "lastDays" && value.days == null) ctx.addIssue({ code: "custom", path: ["days"], message: "segments.error.days" });
    if (value.mode === "dates" && !value.from && !value.to) ctx.addIssue({ code: "custom", path: ["from"], message: "segments.error.dateRange" });
    if (value.mode === "dates" && value.from && value.to && value.from > value.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "segments.error.dateOrder" });
    }
  });
export const sourceCondition = z.object({ field: z.literal("source"), match: z.enum(["any", "none"]), trackingLinkIds: ids });
export const linkedCondition = z.object({ field: z.literal("linked"), linked: z.boolean() });
/** The friend's last message to the account (Friend.lastMessageAt) is within the last `days` × 24 hours, or not. */
export const lastMessageCondition = z.object({ field: z.literal("lastMessage"), within: z.boolean(), days });
export const languageCondition = z.object({
  field: z.literal("language"),
  match: z.enum(["any", "none"]),
  languages: z.array(language).min(1, "segments.error.pickOne").max(MAX_IDS, "segments.error.tooMany"),
});

// ── Shopify customer conditions: they match linked friends (Friend.shopifyCustomerId) through the shop's stored
// Customer rows; a friend who is not linked matches none of them. Products, variants and collections are named by
// Shopify's numeric ids (checked for format: they are the store's, not rows of this app), with the title the
// picker showed, kept for the editor.
const MONEY_MAX = 1_000_000_000_000;
const COUNT_MAX = 1_000_000;
const shopifyId = z.string().regex(/^[1-9][0-9]{0,19}$/, "segments.error.shopifyId");
const picked = z.object({ id: shopifyId, title: z.string().max(255, "segments.error.tooLong") });
const compare = z.enum(["gte", "lte"]);

/** Net spend (refunds less, cancelled orders out) in the shop's currency (Shop.currency): ≥ or ≤ `amount`. */
export const totalSpentCondition = z.object({
  field: z.literal("totalSpent"),
  op: compare,
  amount: z.number("segments.error.amount").finite("segments.error.amount").min(0, "segments.error.amount").max(MONEY_MAX, "segments.error.amount"),
});
export const ordersCountCondition = z.object({
  field: z.literal("ordersCount"),
  op: compare,
  count: z.number("segments.error.count").int("segments.error.count").min(0, "segments.error.count").max(COUNT_MAX, "segments.error.count"),
});
/** The customer's first or last order is within the last `days` × 24 hours, or not (no order at all: not within). */
export const orderDateCondition = z.object({ field: z.literal("orderDate"), which: z.enum(["first", "last"]), within: z.boolean(), days });
/** Bought (or never bought) any of the products / variants / products of the collections, ever or in the last N days. */
export const purchasedCondition = z
  .object({
    field: z.literal("purchased"),
    match: z.enum(["any", "none"]),
    target: z.enum(["product", "variant", "collection"]),
    items: z.array(picked).min(1, "segments.error.pickOne").max(MAX_IDS, "segments.error.tooMany"),
    period: z.enum(["ever", "lastDays"]),
    days: days.nullish(),
  })
  .superRefine((value, ctx) => {
    if (value.period === "lastDays" && value.days == null) ctx.addIssue({ code: "custom", path: ["days"], message: "segments.error.days" });
  });
const customerTag = z.string().trim().min(1, "segments.error.customerTag").max(255, "segments.error.customerTag");
export const customerTagCondition = z.object({
  field: z.literal("customerTag"),
  match: z.enum(["any", "all", "none"]),
  tags: z.array(customerTag).min(1, "segments.error.pickOne").max(MAX_IDS, "segments.error.tooMany"),
});
export const MARKETING_CHANNELS = ["email", "sms"] as const;
/** Shopify's marketing state SUBSCRIBED, or anything else (not subscribed, unsubscribed, pending, unknown). */
export const marketingConsentCondition = z.object({ field: z.literal("marketingConsent"), channel: z.enum(MARKETING_CHANNELS), subscribed: z.boolean() });
/** The default address: a country (ISO 3166-1 alpha-2) and, optionally, provinces of it (Shopify's codes: "13", "CA"). */
export const locationCondition = z.object({
  field: z.literal("location"),
  match: z.enum(["any", "none"]),
  countryCode: z.string().regex(/^[A-Z]{2}$/, "segments.error.country"),
  provinceCodes: z.array(z.string().regex(/^[A-Z0-9-]{1,8}$/, "segments.error.province")).max(MAX_IDS, "segments.error.tooMany"),
});

// ── LIFF form conditions (FormAnswer rows of the friend). The form must be the shop's, and the question one of it:
// checked against the stored form when the segment is saved or counted (app/segments/segments.server.ts).
const formRef = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "segments.error.pickForm");
const formQuestionId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "segments.error.formField");
/** Answered the form (any answer), ever or within the last `days` × 24 hours. */
export const answeredFormCondition = z
  .object({ field: z.literal("answeredForm"), formId: formRef, period: z.enum(["ever", "lastDays"]), days: days.nullish() })
  .superRefine((value, ctx) => {
    if (value.period === "lastDays" && value.days == null) ctx.addIssue({ code: "custom", path: ["days"], message: "segments.error.days" });
  });
/**
 * An answer to question `fieldId` of the form is V. kind "choice" (single, multiple, dropdown): the answer picked one
 * of `values` (choice ids). kind "text" (short and long text): the answer equals `values[0]`, trimmed, ignoring case.
 */
export const formAnswerCondition = z
  .object({
    field: z.literal("formAnswer"),
    formId: formRef,
    fieldId: formQuestionId,
    kind: z.enum(["choice", "text"]),
    values: z.array(z.string().trim().min(1, "segments.error.answerValue").max(500, "segments.error.answerValue")).min(1, "segments.error.pickOne").max(MAX_IDS, "segments.error.tooMany"),
  })
  .superRefine((value, ctx) => {
    if (value.kind === "text" && value.values.length !== 1) ctx.addIssue({ code: "custom", path: ["values"], message: "segments.error.answerValue" });
  });

export const conditionSchema = z.discriminatedUnion("field", [
  accountCondition,
  followStatusCondition,
  tagsCondition,
  friendSinceCondition,
  sourceCondition,
  linkedCondition,
  lastMessageCondition,
  languageCondition,
  totalSpentCondition,
  ordersCountCondition,
  orderDateCondition,
  purchasedCondition,
  customerTagCondition,
  marketingConsentCondition,
  locationCondition,
  answeredFormCondition,
  formAnswerCondition,
]);
export type Condition = z.infer<typeof conditionSchema>;
export type ConditionField = Condition["field"];
export const CONDITION_FIELDS = conditionSchema.options.map((option) => option.shape.field.value) as ConditionField[];

const match = z.enum(["all", "any"]);
const groupSchema = z.object({
  match,
  conditions: z.array(conditionSchema).min(1, "segments.error.emptyGroup").max(MAX_CONDITIONS, "segments.error.tooMany"),
});

export type SegmentDefinition = { match: "all" | "any"; groups: { match: "all" | "any"; conditions: Condition[] }[] };
/** No groups: every friend of the shop (staff-blocked friends are never in a segment). */
export const segmentDefinitionSchema: z.ZodType<SegmentDefinition> = z.object({
  match,
  groups: z.array(groupSchema).max(MAX_GROUPS, "segments.error.tooMany"),
});

export const segmentNameSchema = z
  .string("segments.error.nameRequired")
  .trim()
  .min(1, "segments.error.nameRequired")
  .max(SEGMENT_NAME_MAX, "segments.error.nameTooLong");

/** Where each problem is ("name", "definition", "groups.0.conditions.1.days"…) → its i18n key; the first per path. */
export function issuesByPath(error: z.ZodError, prefix: string[] = []): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) errors[[...prefix, ...issue.path.map(String)].join(".") || "form"] ??= issue.message;
  return errors;
}

/** The accounts, tags, tracking links and forms a definition names: all must be the shop's when it is saved or counted. */
export function referencedIds(definition: SegmentDefinition) {
  const conditions = definition.groups.flatMap((group) => group.conditions);
  const pick = <F extends ConditionField>(field: F, key: keyof Extract<Condition, { field: F }>) =>
    [...new Set(conditions.flatMap((c) => (c.field === field ? ((c as Record<string, unknown>)[key as string] as string[]) : [])))];
  return {
    accountIds: pick("account", "accountIds"),
    tagIds: pick("tags", "tagIds"),
    trackingLinkIds: pick("source", "trackingLinkIds"),
    /** Collections the segment names: their products are read from Shopify when it is saved (CollectionProduct). */
    collectionIds: [...new Set(conditions.flatMap((c) => (c.field === "purchased" && c.target === "collection" ? c.items.map((item) => item.id) : [])))],
    formIds: [...new Set(conditions.flatMap((c) => (c.field === "answeredForm" || c.field === "formAnswer" ? [c.formId] : [])))],
    /** The questions and answers the "answer is V" conditions name: checked against the stored forms. */
    formAnswers: conditions.filter((c): c is Extract<Condition, { field: "formAnswer" }> => c.field === "formAnswer"),
  };
}

/** A condition of `field` as the editor adds it (ids still to pick). */
export function newCondition(field: ConditionField): Condition {
  switch (field) {
    case "account":
      return { field, accountIds: [] };
    case "followStatus":
      return { field, statuses: ["following"] };
    case "tags":
      return { field, match: "any", tagIds: [] };
    case "friendSince":
      return { field, mode: "lastDays", days: 30, from: null, to: null };
    case "source":
      return { field, match: "any", trackingLinkIds: [] };
    case "linked":
      return { field, linked: true };
    case "lastMessage":
      return { field, within: true, days: 30 };
    case "language":
      return { field, match: "any", languages: ["ja"] };
    case "totalSpent":
      return { field, op: "gte", amount: 10000 };
    case "ordersCount":
      return { field, op: "gte", count: 2 };
    case "orderDate":
      return { field, which: "last", within: true, days: 90 };
    case "purchased":
      return { field, match: "any", target: "product", items: [], period: "ever", days: null };
    case "customerTag":
      return { field, match: "any", tags: [] };
    case "marketingConsent":
      return { field, channel: "email", subscribed: true };
    case "location":
      return { field, match: "any", countryCode: "JP", provinceCodes: [] };
    case "answeredForm":
      return { field, formId: "", period: "ever", days: null };
    case "formAnswer":
      return { field, formId: "", fieldId: "", kind: "choice", values: [] };
  }
}

export const EMPTY_DEFINITION: SegmentDefinition = { match: "all", groups: [] };

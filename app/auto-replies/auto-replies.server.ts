// Auto-reply rules: keyword (exact / contains) or regex rules per LINE account, answered with 1–5 text
// messages. Error values are i18n keys (app/i18n/auto-replies.ts); matching itself lives in match.ts.
import type { AutoReplyRule as RuleRow } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
import { unlessNotFound } from "../prisma-errors";
import { MATCH_TYPES, MAX_PATTERN_LENGTH, matchRule, regexProblem, type MatchType } from "./match";

export const RULE_MAX_MESSAGES = 5;
export const RULE_MAX_LENGTH = 5000;
export const RULE_NAME_MAX = 100;
export const PRIORITY_MAX = 9999;

export type RuleErrors = Record<string, string>;
export type AutoReplyRule = Omit<RuleRow, "matchType" | "messages"> & { matchType: MatchType; messages: string[] };
export type RuleInput = {
  name: string;
  matchType: string;
  pattern: string;
  messages: string[];
  priority?: number;
  enabled?: boolean;
};
type Result = { rule: AutoReplyRule } | { errors: RuleErrors };

const ruleSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "autoReplies.error.nameRequired")
      .max(RULE_NAME_MAX, "autoReplies.error.nameTooLong"),
    matchType: z.enum(MATCH_TYPES as [MatchType, ...MatchType[]], { error: "autoReplies.error.matchType" }),
    // Keywords are compared trimmed; a regex is kept exactly as written (its spaces may matter).
    pattern: z
      .string()
      .max(MAX_PATTERN_LENGTH, "autoReplies.error.patternTooLong")
      .refine((pattern) => pattern.trim() !== "", "autoReplies.error.patternRequired"),
    messages: z
      .array(
        z
          .string()
          .trim()
          .min(1, "autoReplies.error.messageRequired")
          .max(RULE_MAX_LENGTH, "autoReplies.error.messageTooLong"),
      )
      .min(1, "autoReplies.error.messageCount")
      .max(RULE_MAX_MESSAGES, "autoReplies.error.messageCount"),
    priority: z
      .number({ error: "autoReplies.error.priority" })
      .int("autoReplies.error.priority")
      .min(0, "autoReplies.error.priority")
      .max(PRIORITY_MAX, "autoReplies.error.priority")
      .default(100),
    enabled: z.boolean().default(true),
  })
  // Keywords are compared trimmed; a regex is kept exactly as written (its spaces may matter).
  .transform((rule) => ({ ...rule, pattern: rule.matchType === "regex" ? rule.pattern : rule.pattern.trim() }));

/** Every field's first error at once: "messages" for the list, "messages.2" for the third message. */
function validate(input: RuleInput) {
  const parsed = ruleSchema.safeParse(input);
  const errors: RuleErrors = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      errors[issue.path.length ? issue.path.join(".") : "form"] ??= issue.message;
  }
  // Checked here rather than in the schema so it is reported alongside the other fields' errors.
  const problem =
    !errors.pattern && input.matchType === "regex" && typeof input.pattern === "string"
      ? regexProblem(input.pattern)
      : null;
  if (problem) errors.pattern = problem === "invalid" ? "autoReplies.error.regex" : "autoReplies.error.regexUnsupported";
  return parsed.success && Object.keys(errors).length === 0 ? { data: parsed.data } : { errors };
}

export function toRule(row: RuleRow): AutoReplyRule {
  const messages = Array.isArray(row.messages) ? row.messages.filter((m): m is string => typeof m === "string") : [];
  return { ...row, matchType: row.matchType as MatchType, messages };
}

const ORDER = [{ priority: "asc" as const }, { createdAt: "asc" as const }, { id: "asc" as const }];

export async function listRules(shop: string, lineAccountId?: string): Promise<AutoReplyRule[]> {
  const rows = await db.autoReplyRule.findMany({
    where: { shop, ...(lineAccountId ? { lineAccountId } : {}) },
    orderBy: ORDER,
  });
  return rows.map(toRule);
}

export async function createRule(shop: string, lineAccountId: string, input: RuleInput): Promise<Result> {
  const parsed = validate(input);
  if (!parsed.data) return { errors: parsed.errors };
  // Connected through the shop's own account: another shop's account id creates nothing.
  const row = await unlessNotFound(
    db.autoReplyRule.create({ data: { shop, ...parsed.data, lineAccount: { connect: { id: lineAccountId, shop } } } }),
  );
  return row ? { rule: toRule(row) } : { errors: { form: "autoReplies.error.account" } };
}

/** Replaces the rule's editable fields (a priority or on/off left out keeps the stored value). */
export async function updateRule(shop: string, id: string, input: RuleInput): Promise<Result> {
  const existing = await db.autoReplyRule.findFirst({ where: { id, shop } });
  if (!existing) return { errors: { form: "autoReplies.error.notFound" } };
  const parsed = validate({
    ...input,
    priority: input.priority ?? existing.priority,
    enabled: input.enabled ?? existing.enabled,
  });
  if (!parsed.data) return { errors: parsed.errors };
  return ruleOrNotFound(await unlessNotFound(db.autoReplyRule.update({ where: { id, shop }, data: parsed.data })));
}

export async function setRuleEnabled(shop: string, id: string, enabled: boolean): Promise<Result> {
  return ruleOrNotFound(await unlessNotFound(db.autoReplyRule.update({ where: { id, shop }, data: { enabled } })));
}

function ruleOrNotFound(row: RuleRow | null): Result {
  return row ? { rule: toRule(row) } : { errors: { form: "autoReplies.error.notFound" } };
}

export async function deleteRule(shop: string, id: string): Promise<Result> {
  const rule = await db.autoReplyRule.findFirst({ where: { id, shop } });
  if (!rule) return { errors: { form: "autoReplies.error.notFound" } };
  await db.autoReplyRule.deleteMany({ where: { id, shop } });
  return { rule: toRule(rule) };
}

/**
 * Sets the account's order of evaluation: the rules in `orderedIds` get priorities 10, 20, 30… in that order.
 * Every id must be one of this shop's rules for that account, and every such rule must be listed.
 */
export async function reorderRules(
  shop: string,
  lineAccountId: string,
  orderedIds: string[],
): Promise<{ rules: AutoReplyRule[] } | { errors: RuleErrors }> {
  const current = await db.autoReplyRule.findMany({ where: { shop, lineAccountId }, select: { id: true } });
  const known = new Set(current.map((rule) => rule.id));
  const unique = new Set(orderedIds);
  if (unique.size !== orderedIds.length || unique.size !== known.size || orderedIds.some((id) => !known.has(id))) {
    return { errors: { form: "autoReplies.error.reorder" } };
  }
  const done = await unlessNotFound(
    db.$transaction(
      orderedIds.map((id, index) =>
        db.autoReplyRule.update({
          where: { id, shop, lineAccountId },
          data: { priority: Math.min((index + 1) * 10, PRIORITY_MAX) },
        }),
      ),
    ),
  );
  // A rule deleted meanwhile: nothing was changed (one transaction), the page reloads the list.
  if (!done) return { errors: { form: "autoReplies.error.reorder" } };
  return { rules: await listRules(shop, lineAccountId) };
}

/** The reply for a received text message: the first enabled matching rule's messages, or null. */
export async function findAutoReply(
  lineAccountId: string,
  text: string,
): Promise<{ ruleId: string; messages: string[] } | null> {
  const rows = await db.autoReplyRule.findMany({ where: { lineAccountId, enabled: true }, orderBy: ORDER });
  const rule = matchRule(rows.map(toRule), text);
  if (!rule || rule.messages.length === 0) return null;
  return { ruleId: rule.id, messages: rule.messages };
}

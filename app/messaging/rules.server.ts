// The sending rules, in one place: nothing goes out from a disconnected account or for a shop that uninstalled the
// app, and nothing to a LINE user who does not follow the account (blocked it, never followed, unknown to it) or
// whom staff blocked. The pipeline applies them to every delivery at send time, on the rows as they are then;
// pages and domains ask `refusalFor` before they make a delivery (to say why one cannot be sent).
import { sql } from "../db.server";
import type { SkipReason } from "./types";

/** The columns the rules read: the account's, the shop's and the friend's (null when LINE user is unknown). */
export type RuleInputs = {
  accountStatus: string | null;
  uninstalledAt: Date | null;
  followStatus: string | null;
  operatorBlockedAt: Date | null;
};

/** Why nothing may be sent from this account at all, or null. */
export function accountRefusal(row: Pick<RuleInputs, "accountStatus" | "uninstalledAt">): SkipReason | null {
  if (row.accountStatus !== "connected") return "account-disconnected";
  if (row.uninstalledAt) return "shop-uninstalled";
  return null;
}

/** Why nothing may be sent to this friend, or null. readUnderRules holds its SQL form, for a multicast's recipients. */
export function friendRefusal(row: Pick<RuleInputs, "followStatus" | "operatorBlockedAt">): SkipReason | null {
  if (row.operatorBlockedAt) return "operator-blocked";
  if (row.followStatus !== "following") return "not-following";
  return null;
}

export function refusal(row: RuleInputs): SkipReason | null {
  return accountRefusal(row) ?? friendRefusal(row);
}

/** Why a send from this account to this LINE user would be refused now, or null when it may go. */
export async function refusalFor(lineAccountId: string, lineUserId: string): Promise<SkipReason | null> {
  const [row] = await sql<RuleInputs>`
    SELECT a.status AS "accountStatus", s."uninstalledAt", f."followStatus", f."operatorBlockedAt"
    FROM "LineAccount" a
    LEFT JOIN "Shop" s ON s.shop = a.shop
    LEFT JOIN "Friend" f ON f."lineAccountId" = a.id AND f."lineUserId" = ${lineUserId}
    WHERE a.id = ${lineAccountId}`;
  return row ? refusal(row) : "account-disconnected";
}

/** A delivery as the sender reads it: the rules' inputs for its first recipient, and which recipients may receive. */
export type DeliveryUnderRules = RuleInputs & {
  id: string;
  shop: string;
  lineAccountId: string;
  channel: "push" | "multicast" | "reply";
  status: string;
  recipients: string[];
  /** Multicast: the recipients who follow the account and whom staff did not block, in the delivery's order. */
  allowed: string[];
  /** The messages as stored, as JSON text: sent to LINE as they are, never parsed on the way. */
  messagesJson: string;
  retryKey: string | null;
  replyToken: string | null;
  /** customAggregationUnits of the request (a broadcast's unit), for LINE's statistics. */
  aggregationUnit: string | null;
  claimedAt: Date | null;
  quotaCost: number;
};

/** One statement for a batch: each delivery, its account and shop, its first recipient's friend row, and the recipients allowed. */
export async function readUnderRules(ids: string[]): Promise<Map<string, DeliveryUnderRules>> {
  const rows = await sql<DeliveryUnderRules>`
    SELECT d.id, d.shop, d."lineAccountId", d.channel, d.status, d.recipients, d.messages::text AS "messagesJson", d."retryKey", d."replyToken",
           d."aggregationUnit", d."claimedAt", d."quotaCost",
           a.status AS "accountStatus", s."uninstalledAt", f."followStatus", f."operatorBlockedAt",
           -- friendMayReceive: following, and not blocked by staff (a push or reply is judged on its friend row, f)
           CASE WHEN d.channel = 'multicast' THEN
             ARRAY(SELECT r.uid FROM unnest(d.recipients) WITH ORDINALITY AS r(uid, ord)
                   JOIN "Friend" fr ON fr."lineAccountId" = d."lineAccountId" AND fr."lineUserId" = r.uid
                   WHERE fr."followStatus" = 'following' AND fr."operatorBlockedAt" IS NULL
                   ORDER BY r.ord)
           ELSE '{}'::text[] END AS allowed
    FROM "Delivery" d
    LEFT JOIN "LineAccount" a ON a.id = d."lineAccountId"
    LEFT JOIN "Shop" s ON s.shop = d.shop
    LEFT JOIN "Friend" f ON f."lineAccountId" = d."lineAccountId" AND f."lineUserId" = d.recipients[1]
    WHERE d.id = ANY(${ids}::text[])`;
  return new Map(rows.map((row) => [row.id, row]));
}

/**
 * The rules over a delivery read by readUnderRules: a refusal, or the recipients to send to and how many the rules
 * removed. A multicast goes to those who may still receive; a push or reply names its one friend's refusal.
 */
export function judge(row: DeliveryUnderRules): { refusal: SkipReason } | { recipients: string[]; excluded: number } {
  const account = accountRefusal(row);
  if (account) return { refusal: account };
  if (row.channel !== "multicast") {
    const friend = friendRefusal(row);
    return friend ? { refusal: friend } : { recipients: row.recipients.slice(0, 1), excluded: 0 };
  }
  if (!row.allowed.length) return { refusal: "no-recipients" };
  return { recipients: row.allowed, excluded: row.recipients.length - row.allowed.length };
}

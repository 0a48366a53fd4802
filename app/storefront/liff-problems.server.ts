// Recording and clearing the merchant-only problems the LIFF page reports (app/storefront/liff-problems.ts).
// The page proves it was served for this account with a token its loader gave it (an HMAC of the account and its
// shop), so an account id alone, or one shop's page, cannot write to another shop's account.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { LineAccount } from "@prisma/client";
import { db } from "../db.server";
import { env } from "../env.server";
import type { LiffProblem } from "./liff-problems";

export function liffProblemToken(account: Pick<LineAccount, "id" | "shop">): string {
  return createHmac("sha256", env.SHOPIFY_API_SECRET).update(`liff-problem\n${account.id}\n${account.shop}`).digest("base64url");
}

function sameToken(given: string, expected: string) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Stores the problem on the account; false when the account is unknown or the token is not this account's.
 * Idempotent: the same code again changes nothing (liffProblemAt stays when it was first seen).
 */
export async function recordLiffProblem(accountId: string, token: string, code: LiffProblem, now = new Date()): Promise<boolean> {
  const account = await db.lineAccount.findUnique({ where: { id: accountId }, select: { id: true, shop: true } });
  if (!account || !sameToken(token, liffProblemToken(account))) return false;
  await db.lineAccount.updateMany({
    where: { id: account.id, shop: account.shop, OR: [{ liffProblem: null }, { liffProblem: { not: code } }] },
    data: { liffProblem: code, liffProblemAt: now },
  });
  return true;
}

/** A LIFF login went through: whatever was reported is fixed. */
export async function clearLiffProblem(account: Pick<LineAccount, "id" | "shop">) {
  await db.lineAccount.updateMany({
    where: { id: account.id, shop: account.shop, liffProblem: { not: null } },
    data: { liffProblem: null, liffProblemAt: null },
  });
}

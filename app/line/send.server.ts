// Sending to one friend. Every send path goes through here so the rules hold everywhere: nothing goes to a
// friend who blocked the account or whom staff blocked, nothing from a disconnected account or uninstalled shop.
import { createHash } from "node:crypto";
import type { messagingApi } from "@line/bot-sdk";
import type { Friend, LineAccount } from "@prisma/client";
import { db } from "../db.server";
import { callLine } from "./client.server";

export type LineMessage = messagingApi.Message;

/** Why a send must not happen, or null when it may. */
export async function sendBlockedReason(account: LineAccount, friend: Friend): Promise<string | null> {
  // The shop is read only when nothing else already forbids the send.
  const reason = blockedReason(account, friend, null);
  if (reason) return reason;
  const shop = await db.shop.findUnique({ where: { shop: account.shop }, select: { uninstalledAt: true } });
  return blockedReason(account, friend, shop);
}

/** The same rules over rows a caller already read (the cart reminder reads them in one statement). */
export function blockedReason(
  account: Pick<LineAccount, "status">,
  friend: Pick<Friend, "operatorBlockedAt" | "followStatus">,
  shop: { uninstalledAt: Date | null } | null,
): string | null {
  if (account.status !== "connected") return "account-disconnected";
  if (friend.operatorBlockedAt) return "operator-blocked";
  if (friend.followStatus !== "following") return "not-following";
  if (shop?.uninstalledAt) return "shop-uninstalled";
  return null;
}

export function textMessages(texts: string[]): LineMessage[] {
  return texts.map((text) => ({ type: "text", text }));
}

/** Reply API: free of quota, one use per reply token, within about a minute of the event. */
export async function replyTo(account: LineAccount, replyToken: string, messages: LineMessage[]) {
  await callLine(account, ({ messaging }) => messaging.replyMessage({ replyToken, messages }));
}

/**
 * Push API: counts against the monthly quota. The retry key makes a retried push (after a timeout or a crash
 * between LINE's answer and our bookkeeping) a 409 instead of a second message; a 409 is therefore a success.
 */
export async function pushTo(account: LineAccount, to: string, messages: LineMessage[], retryKey: string) {
  try {
    await callLine(account, ({ messaging }) => messaging.pushMessage({ to, messages }, retryKey));
  } catch (error) {
    if ((error as { status?: number }).status === 409) return "already-accepted" as const;
    throw error;
  }
  return "accepted" as const;
}

/** A UUID (the form LINE wants for X-Line-Retry-Key) derived from a stable name, e.g. a database row id. */
export function retryKeyFor(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16], 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

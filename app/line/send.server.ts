// Sending to one friend. Every send path goes through here so the rules hold everywhere: nothing goes to a
// friend who blocked the account or whom staff blocked, nothing from a disconnected account or uninstalled shop.
// replyTo and pushTo apply the rules themselves, on rows read at the moment of sending, so no caller can skip them.
import { createHash } from "node:crypto";
import type { messagingApi } from "@line/bot-sdk";
import type { Friend, LineAccount } from "@prisma/client";
import { db, sql } from "../db.server";
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

/** A send the rules forbid; nothing reached LINE. `reason` is one of blockedReason's. */
export class SendRefusedError extends Error {
  override name = "SendRefusedError";
  constructor(readonly reason: string) {
    super(`not sent: ${reason}`);
  }
}

/**
 * The rules over the rows as they are now, in one statement: it runs before every send (event, reminder and chat
 * paths), and the account row a caller holds may come from a cache. A recipient unknown to the account is refused.
 */
async function refusal(accountId: string, lineUserId: string): Promise<string | null> {
  const [row] = await sql<{ status: string; operatorBlockedAt: Date | null; followStatus: string | null; uninstalledAt: Date | null }>`
    SELECT a.status, f."operatorBlockedAt", f."followStatus", s."uninstalledAt"
    FROM "LineAccount" a
    LEFT JOIN "Friend" f ON f."lineAccountId" = a.id AND f."lineUserId" = ${lineUserId}
    LEFT JOIN "Shop" s ON s.shop = a.shop
    WHERE a.id = ${accountId}`;
  if (!row) return "account-disconnected";
  return blockedReason(row, { operatorBlockedAt: row.operatorBlockedAt, followStatus: row.followStatus ?? "unknown" }, row);
}

async function ensureAllowed(account: Pick<LineAccount, "id">, to: string) {
  const reason = await refusal(account.id, to);
  if (reason) throw new SendRefusedError(reason);
}

export function textMessages(texts: string[]): LineMessage[] {
  return texts.map((text) => ({ type: "text", text }));
}

/**
 * Reply API: free of quota, one use per reply token, within about a minute of the event. `to` is the friend the
 * token belongs to. Throws SendRefusedError when the rules forbid the send.
 */
export async function replyTo(account: LineAccount, to: string, replyToken: string, messages: LineMessage[]) {
  await ensureAllowed(account, to);
  await callLine(account, ({ messaging }) => messaging.replyMessage({ replyToken, messages }));
}

/** LINE's answer to a reply whose token was used already (or has expired). */
export function isInvalidReplyToken(error: unknown): boolean {
  const { status, body } = error as { status?: number; body?: unknown };
  return status === 400 && typeof body === "string" && /invalid reply token/i.test(body);
}

/**
 * Push API: counts against the monthly quota. The retry key makes a retried push (after a timeout or a crash
 * between LINE's answer and our bookkeeping) a 409 instead of a second message; a 409 is therefore a success.
 * Throws SendRefusedError when the rules forbid the send.
 */
export async function pushTo(account: LineAccount, to: string, messages: LineMessage[], retryKey: string) {
  await ensureAllowed(account, to);
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

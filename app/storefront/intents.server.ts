// Link intents: what the store (through Shopify's signed app proxy) or a tracking link knew about the shopper
// when they asked to link. Single use, 15 minutes, consumed atomically.
import { randomBytes } from "node:crypto";
import type { LinkIntent } from "@prisma/client";
import { db } from "../db.server";
import { env } from "../env.server";

export const INTENT_TTL_MS = 15 * 60_000;

/** Only a path on the store itself: "/products/tea?x=1", never "//evil.example" or "https://…". */
export function safeReturnPath(value: string | null | undefined): string | null {
  if (!value || !value.startsWith("/") || value.startsWith("//") || value.includes("\\")) return null;
  if (value.length > 1_000 || /[\u0000-\u001f]/.test(value)) return null;
  return value;
}

/** Cart tokens are Shopify's opaque ids; anything else is dropped rather than stored. */
export function safeCartToken(value: string | null | undefined): string | null {
  return value && /^[A-Za-z0-9_-]{8,128}$/.test(value) ? value : null;
}

export async function createIntent(input: {
  shop: string;
  lineAccountId: string;
  customerId?: string | null;
  cartToken?: string | null;
  returnPath?: string | null;
  trackingClickId?: string | null;
  actionLinkId?: string | null;
}): Promise<LinkIntent> {
  return db.linkIntent.create({
    data: {
      id: randomBytes(24).toString("base64url"),
      shop: input.shop,
      lineAccountId: input.lineAccountId,
      customerId: input.customerId || null,
      cartToken: safeCartToken(input.cartToken),
      returnPath: safeReturnPath(input.returnPath),
      trackingClickId: input.trackingClickId ?? null,
      actionLinkId: input.actionLinkId ?? null,
      expiresAt: new Date(Date.now() + INTENT_TTL_MS),
    },
  });
}

export function liffUrl(liffId: string, intentId: string) {
  return `${env.LIFF_URL_BASE.replace(/\/$/, "")}/${liffId}?intent=${encodeURIComponent(intentId)}`;
}

export type IntentError = "intent-unknown" | "intent-expired" | "intent-used";
export type ConsumeResult = { intent: LinkIntent } | { error: IntentError };

/** Why the intent cannot be consumed now, or null when it can. A read only: consumeIntent is the guard. */
export async function intentError(id: string, lineAccountId: string): Promise<IntentError | null> {
  const existing = await db.linkIntent.findFirst({ where: { id, lineAccountId } });
  if (!existing) return "intent-unknown";
  if (existing.consumedAt) return "intent-used";
  return existing.expiresAt.getTime() <= Date.now() ? "intent-expired" : null;
}

/** Marks the intent used, once: two concurrent requests with the same intent cannot both succeed. */
export async function consumeIntent(id: string, lineAccountId: string): Promise<ConsumeResult> {
  const consumed = await db.linkIntent.updateManyAndReturn({
    where: { id, lineAccountId, consumedAt: null, expiresAt: { gt: new Date() } },
    data: { consumedAt: new Date() },
  });
  if (consumed[0]) return { intent: consumed[0] };
  return { error: (await intentError(id, lineAccountId)) ?? "intent-expired" };
}

// What broadcasts use of the send pipeline (app/messaging), segments (app/segments) and messages (app/messages),
// in one place. Until those modules are merged, the minimum broadcasts need stands in for each, with the
// contract's signatures (/work/briefs/contracts.md); the merge replaces this file by re-exports.
import type { LineAccount } from "@prisma/client";
import { Prisma } from "@prisma/client";
import type { messagingApi } from "@line/bot-sdk";
import { z } from "zod";
import { db } from "../db.server";

export type LineMessage = messagingApi.Message;

// ---------------------------------------------------------------- pipeline (app/messaging)
export type DeliveryKind = "cart-reminder" | "broadcast" | "broadcast-test" | "chat" | "greeting" | "auto-reply" | "test";
export type NewDelivery = {
  shop: string;
  lineAccountId: string;
  kind: DeliveryKind;
  channel: "push" | "multicast";
  sourceId: string;
  recipients: string[];
  friendId?: string | null;
  messages: LineMessage[];
  dueAt?: Date;
  retryKey?: string;
};
export type QuotaStatus = {
  type: "none" | "limited";
  limit: number | null;
  used: number;
  remaining: number | null;
  exhausted: boolean;
  checkedAt: Date | null;
};

export async function createDeliveries(rows: NewDelivery[]): Promise<string[]> {
  const created = await db.delivery.createManyAndReturn({
    data: rows.map((row) => ({
      shop: row.shop,
      lineAccountId: row.lineAccountId,
      kind: row.kind,
      channel: row.channel,
      sourceId: row.sourceId,
      recipients: row.recipients,
      friendId: row.friendId ?? null,
      messages: row.messages as unknown as Prisma.InputJsonValue,
      quotaCost: row.recipients.length,
      dueAt: row.dueAt ?? new Date(),
    })),
    select: { id: true },
  });
  return created.map((row) => row.id);
}

export async function queueDeliveries(_rows: { id: string; channel: "push" | "multicast"; dueAt: Date }[]): Promise<void> {}

export async function cancelDeliveries(shop: string, kind: DeliveryKind, sourceId: string): Promise<number> {
  const { count } = await db.delivery.updateMany({ where: { shop, kind, sourceId, status: "scheduled" }, data: { status: "cancelled" } });
  return count;
}

export async function quotaStatus(lineAccountId: string, _options?: { refresh?: boolean }): Promise<QuotaStatus> {
  const row = await db.lineQuota.findUnique({ where: { lineAccountId } });
  if (!row || row.type === "none") return { type: "none", limit: null, used: 0, remaining: null, exhausted: false, checkedAt: row?.checkedAt ?? null };
  const used = row.usedAtCheck + row.sentSince;
  const remaining = Math.max(0, (row.monthlyLimit ?? 0) - used);
  return { type: "limited", limit: row.monthlyLimit, used, remaining, exhausted: remaining === 0, checkedAt: row.checkedAt };
}

// ---------------------------------------------------------------- segments (app/segments)
export type SegmentDefinition = { match: "all" | "any"; groups: { match: "all" | "any"; conditions: unknown[] }[] };

export function segmentWhere(shop: string, _definition: SegmentDefinition): Prisma.Sql {
  return Prisma.sql`(f.shop = ${shop} AND f."operatorBlockedAt" IS NULL)`;
}

export async function getSegment(_shop: string, _id: string): Promise<{ id: string; name: string; definition: SegmentDefinition } | null> {
  return null;
}

export async function listSegments(_shop: string): Promise<{ id: string; name: string }[]> {
  return [];
}

// ---------------------------------------------------------------- messages (app/messages)
export type ComposedMessage =
  | { type: "text"; text: string }
  | { type: "image"; url: string; previewUrl: string }
  | { type: "products"; products: { productId: string; title: string; price: string; currency: string; imageUrl: string | null; url: string }[]; buttonLabel: string };

export const composedMessagesSchema: z.ZodType<ComposedMessage[]> = z
  .array(
    z.discriminatedUnion("type", [
      z.object({ type: z.literal("text"), text: z.string().trim().min(1).max(5000) }),
      z.object({ type: z.literal("image"), url: z.string().url(), previewUrl: z.string().url() }),
      z.object({
        type: z.literal("products"),
        products: z.array(
          z.object({ productId: z.string(), title: z.string(), price: z.string(), currency: z.string(), imageUrl: z.string().nullable(), url: z.string() }),
        ),
        buttonLabel: z.string(),
      }),
    ]),
  )
  .min(1)
  .max(5);

export type BuildContext = { displayName?: string | null; utm?: Record<string, string>; trackLink?: (url: string, index: number) => string };

const URL_IN_TEXT = /https?:\/\/[^\s]+/g;

export function buildLineMessages(composed: ComposedMessage[], ctx: BuildContext): LineMessage[] {
  let index = 0;
  const link = (url: string) => (ctx.trackLink ? ctx.trackLink(url, index++) : url);
  return composed.map((message): LineMessage => {
    if (message.type === "text") {
      const text = message.text.replaceAll("{displayName}", ctx.displayName ?? "").replace(URL_IN_TEXT, (url) => link(url));
      return { type: "text", text };
    }
    if (message.type === "image") return { type: "image", originalContentUrl: message.url, previewImageUrl: message.previewUrl };
    return {
      type: "template",
      altText: message.products.map((p) => p.title).join(", ").slice(0, 400) || "products",
      template: {
        type: "carousel",
        columns: message.products.map((p) => ({
          title: p.title.slice(0, 40),
          text: p.price,
          actions: [{ type: "uri", label: message.buttonLabel.slice(0, 20), uri: link(p.url) }],
        })),
      },
    };
  });
}

export function isPersonalised(composed: ComposedMessage[]): boolean {
  return composed.some((message) => message.type === "text" && message.text.includes("{displayName}"));
}

export async function validateWithLine(_account: LineAccount, _messages: LineMessage[], _channel: "push" | "multicast"): Promise<string[]> {
  return [];
}

// Links in a broadcast go through /r/:code (counted per link), on to their target with the broadcast's UTM
// parameters. The codes derive from the broadcast and the link's position, so building twice makes the same ones.
import { createHash } from "node:crypto";
import type { Broadcast } from "@prisma/client";
import { withQueryParams } from "../abandoned-cart/links";
import { markerQuery } from "../customers/marker";
import { db, sql } from "../db.server";
import { env } from "../env.server";
import { buildLineMessages, type LineMessage } from "../messages/build";
import { composedMessagesSchema, type ComposedMessage } from "../messages/model";

function linkCode(broadcastId: string, position: number) {
  return createHash("sha256").update(`broadcast:${broadcastId}:${position}`).digest("base64url").slice(0, 16);
}

/** The UTM string as the builder's `utm` map. */
function utmMap(utmParams: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(utmParams));
}

export function composedOf(broadcast: Pick<Broadcast, "messages">): ComposedMessage[] {
  return composedMessagesSchema.parse(broadcast.messages);
}

type Tracked = { code: string; position: number; targetUrl: string };

// An http(s) link in a text, up to the first space or a character that rarely ends a URL in Japanese prose.
const TEXT_URL = /https?:\/\/[^\s\u3000「」（）()<>"']+/g;

/**
 * The messages as LINE receives them for `displayName` (undefined: not personalised), every link replaced by its
 * tracked short link; and the links, to be recorded before the messages are sent.
 */
export function trackedMessages(
  broadcast: Pick<Broadcast, "id" | "messages" | "utmParams">,
  displayName?: string | null,
): { messages: LineMessage[]; links: Tracked[] } {
  const links: Tracked[] = [];
  const track = (url: string, position: number) => {
    const code = linkCode(broadcast.id, position);
    // The broadcast's UTM parameters, and our marker naming it: an order's landing site then names the broadcast
    // even when the merchant changed the UTM parameters or the buyer is not linked.
    const query = `${broadcast.utmParams}&${markerQuery("broadcast", broadcast.id)}`;
    if (!links.some((link) => link.position === position)) links.push({ code, position, targetUrl: withQueryParams(url, query) });
    return `${env.SHOPIFY_APP_URL}/r/${code}`;
  };
  const built = buildLineMessages(composedOf(broadcast), { displayName, utm: utmMap(broadcast.utmParams), trackLink: track });
  // The builder tracks the product cards' links; links written in a text are tracked here, numbered after them.
  // The text's links are found in the composed text, so a friend's name can never become a tracked link.
  let next = links.length;
  const composed = composedOf(broadcast);
  const messages = built.map((message, index) => {
    const source = composed[index];
    if (message.type !== "text" || source?.type !== "text") return message;
    const urls = [...new Set(source.text.match(TEXT_URL) ?? [])].sort((a, b) => b.length - a.length);
    let text = message.text;
    for (const url of urls) text = text.split(url).join(track(url, next++));
    return { ...message, text };
  });
  return { messages, links };
}

/** Records the links (one statement; a repeat finds them there). */
export async function saveLinks(shop: string, broadcastId: string, links: Tracked[]) {
  if (!links.length) return;
  await sql`
    INSERT INTO "BroadcastLink" (code, shop, "broadcastId", position, "targetUrl", "createdAt")
    SELECT link.code, ${shop}, ${broadcastId}, link.position, link.url, ${new Date()}::timestamp
    FROM unnest(${links.map((l) => l.code)}::text[], ${links.map((l) => l.position)}::int[], ${links.map((l) => l.targetUrl)}::text[])
      AS link(code, position, url)
    ON CONFLICT DO NOTHING`;
}

/** Counts a click on a broadcast's link; returns where to send the shopper, or null for an unknown code. */
export async function followBroadcastLink(code: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{8,32}$/.test(code)) return null;
  const [link] = await db.broadcastLink.updateManyAndReturn({ where: { code }, data: { clicks: { increment: 1 } }, select: { targetUrl: true } });
  return link?.targetUrl ?? null;
}

// Links in a step's messages go through /r/:code, one code per friend, run step and link: counted, recorded as a
// LinkClick (kind "step", sourceId = the step, the friend), then on to the target with the scenario's UTM
// parameters and `lc=<code>` (the click's id, which an order's landing site carries back). The codes derive from
// the run, the step and the link's position, so building the messages again makes the same ones.
import { createHash } from "node:crypto";
import { withQueryParams } from "../abandoned-cart/links";
import { sql } from "../db.server";
import { env } from "../env.server";
import { buildLineMessages, type LineMessage } from "../messages/build";
import type { ComposedMessage } from "../messages/model";

export type StepLink = { code: string; position: number; targetUrl: string };

export function stepLinkCode(runId: string, stepId: string, position: number): string {
  return createHash("sha256").update(`step:${runId}:${stepId}:${position}`).digest("base64url").slice(0, 16);
}

// An http(s) link in a text, up to the first space or a character that rarely ends a URL in Japanese prose.
const TEXT_URL = /https?:\/\/[^\s\u3000「」（）()<>"']+/g;

/**
 * The step's messages as LINE receives them for this friend (their name in {displayName}), every link replaced
 * by the friend's tracked short link; and the links, to be recorded with the delivery. Throws MessageBuildError
 * when a link cannot be sent as LINE requires.
 */
export function stepMessages(
  composed: ComposedMessage[],
  context: { runId: string; stepId: string; utmParams: string; displayName: string | null; locale?: "ja" | "en" },
): { messages: LineMessage[]; links: StepLink[] } {
  const links: StepLink[] = [];
  const track = (url: string, position: number) => {
    const code = stepLinkCode(context.runId, context.stepId, position);
    if (!links.some((link) => link.position === position)) {
      links.push({ code, position, targetUrl: withQueryParams(withQueryParams(url, context.utmParams), `lc=${code}`) });
    }
    return `${env.SHOPIFY_APP_URL}/r/${code}`;
  };
  const built = buildLineMessages(composed, { displayName: context.displayName, trackLink: (url, index) => track(url, index), locale: context.locale });
  // The builder tracks the product cards' links; links written in a text are tracked here, numbered after them.
  // They are found in the composed text, so a friend's name can never become a tracked link.
  let next = links.length;
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

export type StepLinkRow = StepLink & { shop: string; stepId: string; friendId: string; deliveryId: string };

/** Records the links of a batch of step deliveries (one statement; a repeat finds them there). */
export async function saveStepLinks(rows: StepLinkRow[]) {
  if (!rows.length) return;
  const now = new Date();
  await sql`
    INSERT INTO "MessageLink" (code, shop, kind, "sourceId", "friendId", "deliveryId", "targetUrl", "createdAt")
    SELECT l.code, l.shop, 'step', l.step, l.friend, l.delivery, l.url, ${now}::timestamp
    FROM unnest(${rows.map((r) => r.code)}::text[], ${rows.map((r) => r.shop)}::text[], ${rows.map((r) => r.stepId)}::text[],
                ${rows.map((r) => r.friendId)}::text[], ${rows.map((r) => r.deliveryId)}::text[], ${rows.map((r) => r.targetUrl)}::text[])
      AS l(code, shop, step, friend, delivery, url)
    ON CONFLICT (code) DO NOTHING`;
}

/** Counts a click on a step's link and records who clicked; returns where to send them, or null for an unknown code. */
export async function followStepLink(code: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{8,32}$/.test(code)) return null;
  const now = new Date();
  const [link] = await sql<{ targetUrl: string }>`
    WITH link AS (
      UPDATE "MessageLink" SET clicks = clicks + 1 WHERE code = ${code} AND kind = 'step'
      RETURNING shop, "sourceId", "friendId", "deliveryId", "targetUrl"
    ), click AS (
      INSERT INTO "LinkClick" (id, shop, "friendId", kind, "sourceId", "deliveryId", "clickedAt")
      SELECT gen_random_uuid()::text, shop, "friendId", 'step', "sourceId", "deliveryId", ${now}::timestamp FROM link
    )
    SELECT "targetUrl" FROM link`;
  return link?.targetUrl ?? null;
}

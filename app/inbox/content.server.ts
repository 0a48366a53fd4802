// Images friends send, kept for staff to see. LINE serves a received message's content from its data API for a
// limited time only, so the worker fetches each image once when it arrives (a job per message) and keeps the bytes
// in PostgreSQL for CONTENT_KEEP_DAYS; the sweeper then deletes them. The admin reads them through a route whose
// URL the authenticated inbox page signs (shop, message, expiry), so an <img> needs no session header.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Readable } from "node:stream";
import { HTTPFetchError } from "@line/bot-sdk";
import { db } from "../db.server";
import { env } from "../env.server";
import { callLine, classifyLineError, lineErrorMessage } from "../line/client.server";

/** Kinds whose content is fetched: images (videos, audio and files are shown as what they are, not played). */
export const FETCHED_KINDS = new Set(["image"]);
import { CONTENT_KEEP_DAYS_SHOWN } from "./content-days";

export const CONTENT_KEEP_DAYS = CONTENT_KEEP_DAYS_SHOWN;
/** LINE's images are at most 10 MB; anything larger is not kept. */
export const CONTENT_MAX_BYTES = 10 * 1024 * 1024;
/** How long a signed content URL given to the page works. */
const URL_TTL_MS = 60 * 60_000;

export type FetchOutcome = "stored" | "gone" | "failed" | "not-pending";

/** The pending row for a received media message (the worker's job fills it). */
export async function recordPendingContent(message: { id: string; shop: string; lineAccountId: string }) {
  await db.messageContent.createMany({
    data: [{ messageId: message.id, shop: message.shop, lineAccountId: message.lineAccountId }],
    skipDuplicates: true,
  });
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > CONTENT_MAX_BYTES) {
      stream.destroy();
      throw new TooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

class TooLarge extends Error {}

/** Fetches one message's content from LINE. Throws on errors worth retrying (5xx, 429, timeouts). */
export async function fetchContent(messageId: string, now = new Date()): Promise<FetchOutcome> {
  const row = await db.messageContent.findUnique({
    where: { messageId },
    include: { message: { select: { lineMessageId: true } } },
  });
  if (!row || row.status !== "pending") return "not-pending";
  const account = await db.lineAccount.findFirst({ where: { id: row.lineAccountId, shop: row.shop } });
  const lineMessageId = row.message.lineMessageId;
  if (!account || account.status !== "connected" || !lineMessageId) return settle(messageId, "failed", "account disconnected");
  try {
    const { bytes, contentType } = await callLine(account, async ({ blob }) => {
      const answer = await blob.getMessageContentWithHttpInfo(lineMessageId);
      return { bytes: await readAll(answer.body), contentType: answer.httpResponse.headers.get("content-type") ?? "application/octet-stream" };
    });
    const expiresAt = new Date(now.getTime() + CONTENT_KEEP_DAYS * 86_400_000);
    const { count } = await db.messageContent.updateMany({
      where: { messageId, shop: row.shop, status: "pending" },
      data: { status: "stored", bytes: new Uint8Array(bytes), size: bytes.length, contentType, fetchedAt: now, expiresAt, error: null },
    });
    return count ? "stored" : "not-pending";
  } catch (error) {
    if (error instanceof TooLarge) return settle(messageId, "failed", `larger than ${CONTENT_MAX_BYTES} bytes`);
    // LINE no longer has it (or never had it): nothing to retry.
    if (error instanceof HTTPFetchError && error.status === 404) return settle(messageId, "gone", lineErrorMessage(error));
    if (classifyLineError(error) === "permanent") return settle(messageId, "failed", lineErrorMessage(error));
    throw error;
  }
}

/** The job gave up (its last attempt failed): the row says so instead of staying pending. */
export async function recordContentFailure(messageId: string, reason: string) {
  await db.messageContent.updateMany({ where: { messageId, status: "pending" }, data: { status: "failed", error: reason } });
}

async function settle(messageId: string, outcome: "gone" | "failed", error: string): Promise<FetchOutcome> {
  await db.messageContent.updateMany({ where: { messageId, status: "pending" }, data: { status: "failed", error } });
  return outcome;
}

/** Deletes the bytes of content past its time; the row stays, "expired", so the thread says so. */
export async function expireContent(now = new Date()) {
  const { count } = await db.messageContent.updateMany({
    where: { status: "stored", expiresAt: { lte: now } },
    data: { status: "expired", bytes: null },
  });
  return count;
}

function signature(shop: string, messageId: string, expires: number) {
  return createHmac("sha256", `inbox-content:${env.SHOPIFY_API_SECRET}`).update(`${shop}\n${messageId}\n${expires}`).digest("base64url");
}

/** The URL the inbox page puts in an <img>: valid for one to two hours, for this shop and message only. */
export function signedContentUrl(shop: string, messageId: string, now = Date.now()) {
  // Whole hours, so the page polling for new messages keeps the same URL (and the browser its cached image).
  const expires = (Math.floor(now / URL_TTL_MS) + 2) * (URL_TTL_MS / 1000);
  const query = new URLSearchParams({ shop, e: String(expires), s: signature(shop, messageId, expires) });
  return `/inbox-content/${encodeURIComponent(messageId)}?${query}`;
}

/** The stored content a signed URL names, or null (bad or old signature, another shop's message, expired). */
export async function contentForUrl(messageId: string, params: URLSearchParams, now = Date.now()) {
  const shop = params.get("shop") ?? "";
  const expires = Number(params.get("e"));
  const given = Buffer.from(params.get("s") ?? "");
  const expected = Buffer.from(signature(shop, messageId, expires));
  if (!Number.isInteger(expires) || expires * 1000 < now) return null;
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const row = await db.messageContent.findFirst({
    where: { messageId, shop, status: "stored", expiresAt: { gt: new Date(now) } },
    select: { bytes: true, contentType: true },
  });
  return row?.bytes ? { bytes: Buffer.from(row.bytes), contentType: row.contentType ?? "application/octet-stream" } : null;
}

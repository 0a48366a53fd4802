// Tracking links: the public click (GET /t/:code). The admin side (create, edit, report) builds on this file.
import type { Prisma } from "@prisma/client";
import { db } from "../db.server";
import { createIntent, liffUrl } from "../storefront/intents.server";
import { withinLimit } from "../storefront/rate-limit.server";

const MAX_PARAMS = 30;

/** The click's query, bounded: ad networks add their ids and UTM tags; nothing else is needed. */
export function clickParams(url: URL): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (Object.keys(params).length >= MAX_PARAMS) break;
    if (/^[A-Za-z0-9_.-]{1,64}$/.test(key)) params[key] = value.slice(0, 500);
  }
  return params;
}

type ClickOutcome = { location: string } | { status: number; message: string };

/** `client` is the visitor's address key (client-address.server.ts), never a header. */
export async function recordClick(code: string, request: Request, client: string): Promise<ClickOutcome> {
  const link = await db.trackingLink.findUnique({ where: { code }, include: { lineAccount: true } });
  if (!link || link.archivedAt || link.lineAccount.status !== "connected") {
    return { status: 404, message: "このリンクは無効です。 / This link is no longer valid." };
  }
  if (!(await withinLimit("tracking-click", client, 60, 60))) {
    return { status: 429, message: "しばらくしてから再度お試しください。 / Please try again in a minute." };
  }
  const click = await db.trackingClick.create({
    data: { shop: link.shop, trackingLinkId: link.id, params: clickParams(new URL(request.url)) as Prisma.InputJsonValue },
  });
  const account = link.lineAccount;
  // Without LIFF the click still counts, but the visitor goes straight to the friend-add page, unattributed.
  if (!account.liffId || !account.loginChannelId) {
    return account.friendAddUrl ? { location: account.friendAddUrl } : { status: 404, message: "LINE is not set up." };
  }
  const intent = await createIntent({ shop: link.shop, lineAccountId: account.id, trackingClickId: click.id });
  return { location: liffUrl(account.liffId, intent.id) };
}

// The per-file LINE fake (started by setup-file.ts before any app module reads its base URL), and helpers to
// connect an account to it and to sign webhook deliveries the way LINE does.
import { createHmac, randomUUID } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import { channelId as newChannelId, channelSecret as newChannelSecret, createLineAccount, lineUserId } from "./factories";
import type { LineFake } from "./line-fake";
import { db } from "~/db.server";
import { lineEventQueue } from "../../jobs/queues";

declare global {
  var lineFakeForFile: LineFake | undefined;
}

export function lineFake(): LineFake {
  if (!globalThis.lineFakeForFile) throw new Error("the LINE fake is started by tests/support/setup-file.ts");
  return globalThis.lineFakeForFile;
}

/** A channel known to the fake and an account in the database holding its (encrypted) credentials. */
export async function connectedAccount(
  db: PrismaClient,
  shop: string,
  options: { displayName?: string; followers?: string[]; accessToken?: boolean; loginChannelId?: string; liffId?: string } = {},
) {
  const channelId = newChannelId();
  const channelSecret = newChannelSecret();
  const botUserId = lineUserId();
  const channel = lineFake().addChannel({
    channelId,
    channelSecret,
    bot: { userId: botUserId, basicId: "@123abcde", displayName: options.displayName ?? "Tokyo Tea", chatMode: "bot" },
    followers: options.followers,
    loginChannelId: options.loginChannelId,
  });
  const account = await createLineAccount(db, shop, {
    displayName: options.displayName,
    channelId,
    channelSecret,
    botUserId,
    accessToken: options.accessToken ? channel.longLivedToken : undefined,
    loginChannelId: options.loginChannelId,
    liffId: options.liffId,
  });
  return { account, channel, channelSecret };
}

/** A webhook delivery signed with the channel secret (x-line-signature = base64 HMAC-SHA256 of the raw body). */
export function lineWebhookRequest(accountId: string, channelSecret: string, body: unknown, signatureSecret = channelSecret) {
  const raw = typeof body === "string" ? body : JSON.stringify(body);
  const signature = createHmac("sha256", signatureSecret).update(raw).digest("base64");
  return new Request(`https://my-test-app.myshopify.io/webhooks/line/${accountId}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-line-signature": signature },
    body: raw,
  });
}

type EventOptions = { userId: string; timestamp?: number; webhookEventId?: string; replyToken?: string; redelivery?: boolean };

function base(type: string, options: EventOptions) {
  return {
    type,
    mode: "active",
    timestamp: options.timestamp ?? Date.now(),
    source: { type: "user", userId: options.userId },
    webhookEventId: options.webhookEventId ?? `01${randomUUID().replace(/-/g, "").slice(0, 24).toUpperCase()}`,
    deliveryContext: { isRedelivery: options.redelivery ?? false },
    ...(options.replyToken ? { replyToken: options.replyToken } : {}),
  };
}

/** Webhook event objects shaped as LINE sends them. */
export const lineEvents = {
  follow: (options: EventOptions & { isUnblocked?: boolean }) => ({
    ...base("follow", options),
    follow: { isUnblocked: options.isUnblocked ?? false },
  }),
  unfollow: (options: EventOptions) => base("unfollow", options),
  text: (options: EventOptions & { text: string; messageId?: string }) => ({
    ...base("message", options),
    message: { type: "text", id: options.messageId ?? String(Date.now()), quoteToken: "q", text: options.text },
  }),
  sticker: (options: EventOptions) => ({
    ...base("message", options),
    message: { type: "sticker", id: String(Date.now()), packageId: "446", stickerId: "1988", stickerResourceType: "STATIC" },
  }),
  postback: (options: EventOptions & { data: string }) => ({ ...base("postback", options), postback: { data: options.data } }),
};

export function webhookBody(botUserId: string, events: unknown[]) {
  return { destination: botUserId, events };
}

/** Before each LINE webhook test: no events, messages, friends or accounts, an empty event queue, a fresh fake. */
export async function resetLineState() {
  await db.lineEvent.deleteMany();
  await db.message.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  await lineEventQueue().obliterate({ force: true });
  lineFake().reset();
}

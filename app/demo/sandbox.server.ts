// The LINE side of the local demo (development only): the tests' LINE fake (tests/support/line-fake.ts) runs inside
// the web process on LINE_SANDBOX_PORT, and both LINE base URLs point at it, so the app's sends (from the web process
// and the worker) reach it for real. The sandbox page reads what each demo user received from it, and plays the
// users: follow, block, message, postback, delivered as signed webhooks through the real route.
import { createHmac, randomUUID } from "node:crypto";
import type { messagingApi } from "@line/bot-sdk";
import { decryptSecret } from "../crypto.server";
import { db } from "../db.server";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { startLineFake, type LineFake } from "../../tests/support/line-fake";
import { DEMO_SHOP, demoEnabled, requireDemo } from "./demo.server";
import { demoUsers, type DemoUser } from "./seed.server";

declare global {
  var lineSandbox: Promise<LineFake> | undefined;
}

/** The sandbox's LINE fake, started once per web process (null when the sandbox is off). */
export function lineSandbox(): Promise<LineFake> | null {
  if (!demoEnabled() || !env.LINE_SANDBOX_PORT) return null;
  globalThis.lineSandbox ??= startLineFake({ port: env.LINE_SANDBOX_PORT }).then(
    (fake) => {
      logger.info("LINE sandbox ready", { url: fake.url });
      return fake;
    },
    (error: unknown) => {
      globalThis.lineSandbox = undefined;
      throw error;
    },
  );
  return globalThis.lineSandbox;
}

// Started with the web process, so the worker's sends find it even before anyone opens the demo.
if (demoEnabled() && env.LINE_SANDBOX_PORT) {
  void lineSandbox()
    ?.then(() => syncSandbox())
    .catch((error: unknown) => logger.warn("LINE sandbox not started", { error: (error as Error).message }));
}

export type SandboxAccount = { id: string; channelId: string; channelSecret: string; botUserId: string; displayName: string };

/** The demo shop's accounts made known to the fake (channel, token, profiles); returns the first one. */
export async function syncSandbox(): Promise<SandboxAccount | null> {
  const fake = await lineSandbox();
  if (!fake) return null;
  const accounts = await db.lineAccount.findMany({ where: { shop: DEMO_SHOP }, orderBy: { createdAt: "asc" } });
  const known: SandboxAccount[] = [];
  for (const account of accounts) {
    const channelSecret = decryptSecret(account.channelSecret);
    const botUserId = account.botUserId ?? "";
    let channel;
    try {
      channel = fake.channel(account.channelId);
    } catch {
      channel = fake.addChannel({
        channelId: account.channelId,
        channelSecret,
        longLivedToken: account.accessToken ? decryptSecret(account.accessToken) : undefined,
        bot: { userId: botUserId, basicId: account.botBasicId ?? "@demo", displayName: account.botDisplayName ?? account.displayName, chatMode: "bot" },
      });
      for (const user of demoUsers()) fake.setProfile(account.channelId, { ...user, language: "ja" });
    }
    const following = await db.friend.findMany({
      where: { lineAccountId: account.id, followStatus: "following" },
      select: { lineUserId: true },
    });
    channel.followers = following.map((friend) => friend.lineUserId);
    known.push({ id: account.id, channelId: account.channelId, channelSecret, botUserId, displayName: account.displayName });
  }
  return known[0] ?? null;
}

export type PhoneEntry =
  | { id: string; from: "user"; at: number; text: string }
  | { id: string; from: "bot"; at: number; kind: string; message: messagingApi.Message };

type UserLog = { id: string; userId: string; at: number; text: string };
declare global {
  var lineSandboxUserLog: UserLog[] | undefined;
}
const userLog = () => (globalThis.lineSandboxUserLog ??= []);

/** What a demo user's phone shows: what they did, and every message LINE delivered to them, in order. */
export async function phoneTimeline(channelId: string, userId: string): Promise<PhoneEntry[]> {
  const fake = await lineSandbox();
  if (!fake) return [];
  const received: PhoneEntry[] = [];
  for (const [index, request] of fake.requests.entries()) {
    if (request.status !== 200 || request.channelId !== channelId || request.method !== "POST") continue;
    const kind = /\/v2\/bot\/message\/(push|reply|multicast|broadcast)$/.exec(request.path)?.[1];
    if (!kind) continue;
    const body = request.body as { to?: string | string[]; replyToken?: string; messages?: messagingApi.Message[] };
    const to = kind === "reply" ? replyTarget(fake, request) : kind === "broadcast" ? userId : body.to;
    if (!(Array.isArray(to) ? to.includes(userId) : to === userId)) continue;
    for (const [position, message] of (body.messages ?? []).entries()) {
      received.push({ id: `${index}-${position}`, from: "bot", at: request.at, kind, message });
    }
  }
  const sent: PhoneEntry[] = userLog()
    .filter((entry) => entry.userId === userId)
    .map((entry) => ({ id: entry.id, from: "user", at: entry.at, text: entry.text }));
  return [...sent, ...received].sort((a, b) => a.at - b.at);
}

// A reply names its reply token, which the sandbox issued for one user's event.
const replyTokens = new Map<string, string>();
function replyTarget(_fake: LineFake, request: { body: unknown }) {
  const token = (request.body as { replyToken?: string }).replyToken;
  return token ? replyTokens.get(token) : undefined;
}

export type SandboxAction =
  | { type: "follow"; userId: string }
  | { type: "unfollow"; userId: string }
  | { type: "message"; userId: string; text: string }
  | { type: "postback"; userId: string; data: string };

/** Plays one user action as LINE would: an event signed with the channel secret, POSTed to the real webhook route. */
export async function playAction(origin: string, action: SandboxAction): Promise<{ status: number }> {
  requireDemo();
  const account = await syncSandbox();
  const fake = await lineSandbox();
  if (!account || !fake) return { status: 404 };
  const { userId } = action;
  const replyToken = action.type === "unfollow" ? undefined : fake.issueReplyToken(account.channelId, userId, { ttlMs: 60_000 });
  if (replyToken) replyTokens.set(replyToken, userId);
  const event: Record<string, unknown> = {
    type: action.type,
    mode: "active",
    timestamp: Date.now(),
    source: { type: "user", userId },
    webhookEventId: `01${randomUUID().replace(/-/g, "").slice(0, 24).toUpperCase()}`,
    deliveryContext: { isRedelivery: false },
    ...(replyToken ? { replyToken } : {}),
  };
  if (action.type === "follow") event.follow = { isUnblocked: false };
  if (action.type === "message") {
    const id = String(Date.now());
    event.message = { type: "text", id, quoteToken: randomUUID(), text: action.text, markAsReadToken: fake.issueMarkAsReadToken(account.channelId, userId) };
    userLog().push({ id: `u${id}`, userId, at: Date.now(), text: action.text });
  }
  if (action.type === "postback") event.postback = { data: action.data };
  const channel = fake.channel(account.channelId);
  if (action.type === "follow" && !channel.followers.includes(userId)) channel.followers.push(userId);
  if (action.type === "unfollow") channel.followers = channel.followers.filter((id) => id !== userId);
  const raw = JSON.stringify({ destination: account.botUserId, events: [event] });
  const signature = createHmac("sha256", account.channelSecret).update(raw).digest("base64");
  const response = await fetch(`${origin}/webhooks/line/${encodeURIComponent(account.id)}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-line-signature": signature },
    body: raw,
  });
  return { status: response.status };
}

export type SandboxUser = DemoUser & { status: "following" | "blocked" | "none" };

/** The demo users and whether each is the account's friend now (from the app's own records). */
export async function sandboxUsers(accountId: string): Promise<SandboxUser[]> {
  const friends = await db.friend.findMany({ where: { lineAccountId: accountId, shop: DEMO_SHOP }, select: { lineUserId: true, followStatus: true } });
  const status = new Map(friends.map((friend) => [friend.lineUserId, friend.followStatus]));
  return demoUsers().map((user) => {
    const value = status.get(user.userId);
    return { ...user, status: value === "following" ? "following" : value === "blocked" ? "blocked" : "none" };
  });
}

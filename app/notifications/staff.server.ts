// Staff members, their channels and event toggles, the LINE link code and test sends: what the settings page
// (/app/notifications) reads and writes. Every write carries the shop; another shop's ids are "not found".
import { createHash, randomInt } from "node:crypto";
import { z } from "zod";
import { enqueueNotifications } from "../../jobs/queues";
import { encryptSecret, lastFour } from "../crypto.server";
import { db } from "../db.server";
import { isAllowlisted, refuseUrl } from "../sources/safe-url.server";
import { CHANNEL_TYPES, DIGEST_CHOICES, EVENT_TYPES, type ChannelType, type EventToggle } from "./events";

export const LINK_CODE_TTL_MS = 15 * 60_000;
const LINK_CODE_PATTERN = /^\s*(\d{6})\s*$/;

export type StaffErrors = Partial<Record<string, string>>;

export type ChannelView = {
  type: ChannelType;
  enabled: boolean;
  target: string;
  secretLast4: string | null;
  events: EventToggle[];
  linked: boolean;
};

export type StaffView = {
  id: string;
  name: string;
  email: string;
  language: "ja" | "en";
  digestMinutes: number;
  quotaThreshold: number;
  channels: ChannelView[];
};

const eventList = z.array(z.enum(EVENT_TYPES)).default([]);

/** The form the page posts (as JSON in one field): every channel with its toggles. */
export const staffInput = z.object({
  name: z.string().trim().min(1, "notifications.error.name").max(100, "notifications.error.name"),
  email: z.string().trim().max(254).default(""),
  language: z.enum(["ja", "en"]).default("ja"),
  digestMinutes: z.coerce.number().refine((value) => (DIGEST_CHOICES as readonly number[]).includes(value)).default(0),
  quotaThreshold: z.coerce.number({ message: "notifications.error.threshold" }).int("notifications.error.threshold").min(0, "notifications.error.threshold"),
  channels: z
    .object({
      email: z.object({ enabled: z.boolean(), events: eventList }),
      chatwork: z.object({ enabled: z.boolean(), events: eventList, room: z.string().trim().default(""), token: z.string().trim().default("") }),
      slack: z.object({ enabled: z.boolean(), events: eventList, url: z.string().trim().default("") }),
      line: z.object({ enabled: z.boolean(), events: eventList }),
    })
    .partial()
    .default({}),
});
export type StaffInput = z.input<typeof staffInput>;

const EMAIL = z.email();

export async function listStaff(shop: string): Promise<StaffView[]> {
  const members = await db.staffMember.findMany({ where: { shop }, orderBy: { createdAt: "asc" }, include: { channels: true } });
  return members.map((member) => ({
    id: member.id,
    name: member.name,
    email: member.email ?? "",
    language: member.language === "en" ? "en" : "ja",
    digestMinutes: member.digestMinutes,
    quotaThreshold: member.quotaThreshold,
    channels: CHANNEL_TYPES.map((type) => {
      const row = member.channels.find((channel) => channel.type === type);
      return {
        type,
        enabled: Boolean(row && row.events.length),
        target: type === "chatwork" ? (row?.target ?? "") : "",
        secretLast4: row?.secretLast4 ?? null,
        events: (row?.events ?? []).filter((event): event is EventToggle => (EVENT_TYPES as readonly string[]).includes(event)),
        linked: type === "line" ? Boolean(row?.target) : false,
      };
    }),
  }));
}

type Saved = { ok: true; id: string } | { ok: false; errors: StaffErrors; status: number };

/** Creates (id null) or updates a staff member and their channels. A secret left empty keeps the stored one. */
export async function saveStaff(shop: string, id: string | null, raw: unknown): Promise<Saved> {
  const parsed = staffInput.safeParse(raw);
  if (!parsed.success) {
    const errors: StaffErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message.startsWith("notifications.") ? issue.message : `notifications.error.${String(issue.path[0])}`;
    return { ok: false, errors, status: 422 };
  }
  const input = parsed.data;
  const errors: StaffErrors = {};
  if (input.email && !EMAIL.safeParse(input.email).success) errors.email = "notifications.error.email";
  if (input.channels.email?.enabled && !input.email) errors.email = "notifications.error.email";
  const existing = id
    ? await db.staffMember.findFirst({ where: { id, shop }, include: { channels: true } })
    : null;
  if (id && !existing) return { ok: false, errors: { form: "notifications.error.notFound" }, status: 404 };
  const stored = (type: ChannelType) => existing?.channels.find((channel) => channel.type === type);
  const chatwork = input.channels.chatwork;
  if (chatwork?.enabled) {
    if (!/^\d{1,20}$/.test(chatwork.room)) errors.chatworkRoom = "notifications.error.chatworkRoom";
    if (!chatwork.token && !stored("chatwork")?.secret) errors.chatworkToken = "notifications.error.chatworkToken";
  }
  const slack = input.channels.slack;
  if (slack?.enabled) {
    if (slack.url ? !validSlackUrl(slack.url) : !stored("slack")?.secret) errors.slackUrl = "notifications.error.slackUrl";
  }
  if (Object.keys(errors).length) return { ok: false, errors, status: 422 };

  const data = {
    name: input.name,
    email: input.email || null,
    language: input.language,
    digestMinutes: input.digestMinutes,
    quotaThreshold: input.quotaThreshold,
  };
  return db.$transaction(async (tx) => {
    const member = existing
      ? await tx.staffMember.update({ where: { id: existing.id }, data })
      : await tx.staffMember.create({ data: { shop, ...data } });
    for (const type of CHANNEL_TYPES) {
      const channel = input.channels[type];
      if (!channel) continue;
      const events = channel.enabled ? [...new Set(channel.events)] : [];
      const fields: { target?: string; secret?: string; secretLast4?: string } = {};
      if (type === "email") fields.target = input.email;
      if (type === "chatwork" && chatwork) {
        fields.target = chatwork.room;
        if (chatwork.token) Object.assign(fields, { secret: encryptSecret(chatwork.token), secretLast4: lastFour(chatwork.token) });
      }
      if (type === "slack" && slack?.url) Object.assign(fields, { secret: encryptSecret(slack.url), secretLast4: lastFour(slack.url) });
      await tx.staffChannel.upsert({
        where: { staffMemberId_type: { staffMemberId: member.id, type } },
        // The LINE channel's target (the staff member's LINE user id) is set by linking only.
        create: { shop, staffMemberId: member.id, type, events, ...fields },
        update: { events, ...fields },
      });
    }
    return { ok: true as const, id: member.id };
  });
}

function validSlackUrl(raw: string) {
  if (refuseUrl(raw)) return false;
  if (isAllowlisted(raw)) return true;
  const url = new URL(raw);
  return url.hostname === "hooks.slack.com" && url.pathname.startsWith("/services/");
}

export async function deleteStaff(shop: string, id: string) {
  const { count } = await db.staffMember.deleteMany({ where: { id, shop } });
  return count === 1;
}

const hashCode = (code: string) => createHash("sha256").update(code).digest("hex");

/** A fresh six-digit code for the member (the previous one stops working); null when the member is not the shop's. */
export async function createLinkCode(shop: string, id: string, now = new Date()): Promise<{ code: string; expiresAt: Date } | null> {
  const expiresAt = new Date(now.getTime() + LINK_CODE_TTL_MS);
  for (let attempt = 0; attempt < 5; attempt++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    try {
      const { count } = await db.staffMember.updateMany({ where: { id, shop }, data: { linkCodeHash: hashCode(code), linkCodeExpiresAt: expiresAt } });
      return count ? { code, expiresAt } : null;
    } catch (error) {
      // A live code of another member is the same six digits: draw again.
      if ((error as { code?: string }).code !== "P2002") throw error;
    }
  }
  throw new Error("could not draw a unique link code");
}

/**
 * A text message sent to a shop's bot: when it is a live link code of that shop, links the sender's LINE to the
 * staff member (the code is spent) and returns their name; otherwise null and the message is an ordinary one.
 */
export async function redeemLinkCode(shop: string, lineAccountId: string, lineUserId: string, text: string, now = new Date()) {
  const match = LINK_CODE_PATTERN.exec(text);
  if (!match) return null;
  const hash = hashCode(match[1]);
  return db.$transaction(async (tx) => {
    const member = await tx.staffMember.findFirst({ where: { shop, linkCodeHash: hash, linkCodeExpiresAt: { gt: now } }, select: { id: true, name: true } });
    if (!member) return null;
    // Spent in the same statement that checks it: of two messages with the code, one links.
    const spent = await tx.staffMember.updateMany({ where: { id: member.id, linkCodeHash: hash }, data: { linkCodeHash: null, linkCodeExpiresAt: null } });
    if (!spent.count) return null;
    await tx.staffChannel.upsert({
      where: { staffMemberId_type: { staffMemberId: member.id, type: "line" } },
      create: { shop, staffMemberId: member.id, type: "line", target: lineUserId, lineAccountId, events: [...EVENT_TYPES] },
      update: { target: lineUserId, lineAccountId },
    });
    return member;
  });
}

/** A test notification on each enabled channel of the member. */
export async function sendTest(shop: string, id: string): Promise<{ ok: true; count: number } | { ok: false; error: string; status: number }> {
  const member = await db.staffMember.findFirst({ where: { id, shop }, include: { channels: true } });
  if (!member) return { ok: false, error: "notifications.error.notFound", status: 404 };
  const channels = member.channels.filter((channel) => channel.events.length > 0);
  if (!channels.length) return { ok: false, error: "notifications.error.noChannel", status: 422 };
  const rows = await db.notification.createManyAndReturn({
    data: channels.map((channel) => ({ shop, channelId: channel.id, event: "test", payload: { type: "test" } })),
    select: { id: true },
  });
  await enqueueNotifications(rows.map((row) => row.id));
  return { ok: true, count: rows.length };
}

export type RecentNotification = { id: string; createdAt: string; staff: string; channel: string; event: string; status: string; error: string | null };

export async function recentNotifications(shop: string, take = 20): Promise<RecentNotification[]> {
  const rows = await db.notification.findMany({
    where: { shop },
    orderBy: { createdAt: "desc" },
    take,
    include: { channel: { select: { type: true, staffMember: { select: { name: true } } } } },
  });
  return rows.map((row) => ({
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    staff: row.channel.staffMember.name,
    channel: row.channel.type,
    event: row.event,
    status: row.status,
    error: row.error,
  }));
}

// The inbox page's data and actions, so the route stays thin. Staff are Shopify users (session token `sub`) and the
// shop's staff members (app/notifications); a conversation is assigned to either.
import { z } from "zod";
import { replyModeFor, retryStaffMessage, sendStaffLineMessages, sendStaffMessage, type SendResult } from "../chat/chat.server";
import { db } from "../db.server";
import { buildLineMessages } from "../messages/build";
import { composedMessageErrors, composedMessagesSchema } from "../messages/model";
import { assignConversation } from "./assign.server";
import { formatCursor, listConversations, parseCursor } from "./conversations.server";
import { markRead } from "./read.server";
import { createSavedReply, deleteSavedReply, listSavedReplies, updateSavedReply } from "./saved-replies.server";
import { threadPage } from "./thread.server";

export type StaffOption = { value: string; label: string | null; labelKey?: "inbox.assign.me" };

export const userAssignee = (userId: string) => `user:${userId}`;

export async function inboxPage(shop: string, userId: string | null, url: URL, locale: string) {
  const params = url.searchParams;
  const selected = params.get("c");
  const mine = params.get("mine") === "1" && userId ? userAssignee(userId) : null;
  const filters = {
    unread: params.get("unread") === "1",
    accountId: params.get("account") || null,
    tagId: params.get("tag") || null,
    assigneeId: mine,
    query: params.get("q"),
    before: parseCursor(params.get("before")),
  };
  // Opening a thread marks it read first, so the list shows it read.
  if (selected) await markRead(shop, selected);
  const [list, accounts, tags, savedReplies, staffMembers] = await Promise.all([
    listConversations(shop, filters),
    db.lineAccount.findMany({ where: { shop }, select: { id: true, displayName: true }, orderBy: { createdAt: "asc" } }),
    db.tag.findMany({ where: { shop }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    listSavedReplies(shop),
    db.staffMember.findMany({ where: { shop }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  const staff: StaffOption[] = [
    ...(userId ? [{ value: userAssignee(userId), label: null, labelKey: "inbox.assign.me" as const }] : []),
    ...staffMembers.map((member) => ({ value: `staff:${member.id}`, label: member.name })),
  ];
  return {
    filters: { unread: filters.unread, mine: Boolean(mine), account: filters.accountId, tag: filters.tagId, q: filters.query ?? "" },
    conversations: list.conversations,
    nextCursor: list.next ? formatCursor({ at: list.next.at, id: list.next.id }) : null,
    accounts,
    tags,
    savedReplies,
    staff,
    thread: selected ? await threadFor(shop, selected, locale) : null,
  };
}

async function threadFor(shop: string, friendId: string, _locale: string) {
  const friend = await db.friend.findFirst({
    where: { id: friendId, shop },
    include: { lineAccount: { select: { displayName: true } }, conversation: true },
  });
  if (!friend) return null;
  const page = await threadPage(shop, friendId);
  if (!page) return null;
  return {
    friend: { id: friend.id, displayName: friend.displayName, pictureUrl: friend.pictureUrl, accountName: friend.lineAccount.displayName },
    assigneeId: friend.conversation?.assigneeId ?? null,
    assigneeName: friend.conversation?.assigneeName ?? null,
    reply: await replyModeFor(friend),
    // Oldest first, as the thread is drawn.
    items: [...page.items].reverse(),
    olderCursor: page.next ? formatCursor(page.next) : null,
  };
}

/** Older items of a thread as the scroll area asks for them (oldest first). */
export async function olderItems(shop: string, friendId: string, before: string | null) {
  const cursor = parseCursor(before);
  if (!cursor) return null;
  const page = await threadPage(shop, friendId, cursor);
  if (!page) return null;
  return { items: [...page.items].reverse(), olderCursor: page.next ? formatCursor(page.next) : null };
}

const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("send"), friendId: z.string().min(1), text: z.string().default("") }),
    z.object({ intent: z.literal("sendRich"), friendId: z.string().min(1), messages: z.string().default("[]") }),
    z.object({ intent: z.literal("retry"), friendId: z.string().min(1), messageId: z.string().min(1) }),
    z.object({ intent: z.literal("assign"), friendId: z.string().min(1), assignee: z.string().default("") }),
    z.object({ intent: z.literal("savedCreate"), title: z.string().default(""), text: z.string().default("") }),
    z.object({ intent: z.literal("savedUpdate"), id: z.string().min(1), title: z.string().default(""), text: z.string().default("") }),
    z.object({ intent: z.literal("savedDelete"), id: z.string().min(1) }),
  ],
  { error: "inbox.error.invalid" },
);

export type InboxActionData = { ok: boolean; intent: string; errors?: Record<string, string>; detail?: string; sentVia?: string };
type Answer = { data: InboxActionData; status: number };

function sendAnswer(intent: string, result: SendResult): Answer {
  if (result.ok) return { data: { ok: true, intent, sentVia: result.sentVia }, status: 200 };
  const field = /error\.(empty|tooLong)$/.test(result.reason) ? "text" : "form";
  const status = result.reason === "friends.error.notFound" ? 404 : 422;
  return { data: { ok: false, intent, errors: { [field]: result.reason }, detail: result.detail }, status };
}

export async function inboxAction(shop: string, userId: string | null, form: FormData, locale: "ja" | "en"): Promise<Answer> {
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) return { data: { ok: false, intent: "invalid", errors: { form: "inbox.error.invalid" } }, status: 422 };
  const input = parsed.data;
  const staff = userId ? `staff:${userId}` : "staff";
  switch (input.intent) {
    case "send":
      return sendAnswer(input.intent, await sendStaffMessage(shop, input.friendId, input.text, staff));
    case "retry":
      return sendAnswer(input.intent, await retryStaffMessage(shop, input.messageId));
    case "sendRich": {
      let raw: unknown;
      try {
        raw = JSON.parse(input.messages);
      } catch {
        raw = null;
      }
      const composed = composedMessagesSchema.safeParse(raw);
      if (!composed.success) return { data: { ok: false, intent: input.intent, errors: composedMessageErrors(composed.error) }, status: 422 };
      const friend = await db.friend.findFirst({ where: { id: input.friendId, shop }, select: { displayName: true } });
      if (!friend) return { data: { ok: false, intent: input.intent, errors: { form: "friends.error.notFound" } }, status: 404 };
      const messages = buildLineMessages(composed.data, { displayName: friend.displayName, locale, utm: { utm_source: "line", utm_medium: "chat" } });
      const summary = composed.data.map((m) => (m.type === "text" ? m.text : m.type === "image" ? "[image]" : m.products.map((p) => p.title).join(", "))).join("\n");
      return sendAnswer(input.intent, await sendStaffLineMessages(shop, input.friendId, messages, summary, staff));
    }
    case "assign": {
      const assignee = await assigneeOf(shop, userId, input.assignee);
      if (assignee === undefined) return { data: { ok: false, intent: input.intent, errors: { form: "inbox.error.invalid" } }, status: 422 };
      const done = await assignConversation(shop, input.friendId, assignee);
      return done ? { data: { ok: true, intent: input.intent }, status: 200 } : { data: { ok: false, intent: input.intent, errors: { form: "inbox.error.notFound" } }, status: 404 };
    }
    case "savedCreate":
    case "savedUpdate":
    case "savedDelete": {
      const result =
        input.intent === "savedCreate"
          ? await createSavedReply(shop, input)
          : input.intent === "savedUpdate"
            ? await updateSavedReply(shop, input.id, input)
            : await deleteSavedReply(shop, input.id);
      return result.ok ? { data: { ok: true, intent: input.intent }, status: 200 } : { data: { ok: false, intent: input.intent, errors: result.errors }, status: result.status };
    }
  }
}

/** "" → nobody; "user:<me>" → the signed-in user; "staff:<id>" → one of the shop's staff members; else undefined. */
async function assigneeOf(shop: string, userId: string | null, value: string) {
  if (value === "") return null;
  if (userId && value === userAssignee(userId)) return { id: value, name: `#${userId}` };
  const staffId = /^staff:(.+)$/.exec(value)?.[1];
  if (!staffId) return undefined;
  const member = await db.staffMember.findFirst({ where: { id: staffId, shop }, select: { name: true } });
  return member ? { id: value, name: member.name } : undefined;
}

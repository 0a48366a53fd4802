// The text of a notification, in the staff member's language, read from the rows its ids name (payloads carry ids
// only). A row that has gone (a deleted broadcast) still gives a readable text.
import { db } from "../db.server";
import { env } from "../env.server";
import { resolveLocale, translate, type Locale } from "../i18n/messages";
import type { NotificationEvent } from "./events";

export type StoredPayload = NotificationEvent | { type: "test" };

const MAX_PREVIEW = 100;

function adminUrl(shop: string, path: string) {
  return `https://${shop}/admin/apps/${env.SHOPIFY_API_KEY}${path}`;
}

async function friendName(shop: string, friendId: string, locale: Locale) {
  const friend = await db.friend.findFirst({ where: { id: friendId, shop }, select: { displayName: true } });
  return friend?.displayName || translate(locale, "notify.friendUnknown");
}

async function accountName(shop: string, lineAccountId: string) {
  const account = await db.lineAccount.findFirst({ where: { id: lineAccountId, shop }, select: { displayName: true, botDisplayName: true } });
  return account?.botDisplayName || account?.displayName || lineAccountId;
}

export type Rendered = { text: string; url: string | null };

export async function renderNotification(shop: string, language: string, payload: StoredPayload): Promise<Rendered> {
  const locale = resolveLocale(language);
  const t = (key: Parameters<typeof translate>[1], values?: Record<string, string | number>) => translate(locale, key, values);
  switch (payload.type) {
    case "test":
      return { text: t("notify.test"), url: null };
    case "newMessage": {
      const message = await db.message.findFirst({ where: { id: payload.messageId, shop }, select: { text: true } });
      const text = message?.text ? message.text.slice(0, MAX_PREVIEW) + (message.text.length > MAX_PREVIEW ? "…" : "") : t("notify.nonText");
      return { text: t("notify.newMessage", { friend: await friendName(shop, payload.friendId, locale), text }), url: adminUrl(shop, `/app/friends/${payload.friendId}`) };
    }
    case "formAnswered": {
      const answer = await db.formAnswer.findFirst({ where: { id: payload.answerId, shop }, select: { friendId: true, form: { select: { title: true } } } });
      const friend = answer ? await friendName(shop, answer.friendId, locale) : t("notify.friendUnknown");
      return { text: t("notify.formAnswered", { form: answer?.form.title ?? "", friend }), url: adminUrl(shop, `/app/forms/${payload.formId}/answers`) };
    }
    case "quotaLow":
      return { text: t("notify.quotaLow", { account: await accountName(shop, payload.lineAccountId), remaining: payload.remaining }), url: adminUrl(shop, "/app") };
    case "quotaExhausted":
      return { text: t("notify.quotaExhausted", { account: await accountName(shop, payload.lineAccountId) }), url: adminUrl(shop, "/app") };
    case "broadcastFinished": {
      const broadcast = await db.broadcast.findFirst({ where: { id: payload.broadcastId, shop }, select: { name: true } });
      const key = payload.status === "sent" ? "notify.broadcastSent" : "notify.broadcastFailed";
      return { text: t(key, { broadcast: broadcast?.name ?? "" }), url: adminUrl(shop, `/app/broadcasts/${payload.broadcastId}/results`) };
    }
    case "accountAttention":
      return { text: t(`notify.attention.${payload.reason}`, { account: await accountName(shop, payload.lineAccountId) }), url: adminUrl(shop, "/app/accounts") };
  }
}

/** One text for the new messages of a digest window: how many, and from whom (each friend once, in order). */
export async function renderDigest(shop: string, language: string, friendIds: string[], count: number): Promise<Rendered> {
  const locale = resolveLocale(language);
  const unique = [...new Set(friendIds)];
  const friends = await db.friend.findMany({ where: { shop, id: { in: unique } }, select: { id: true, displayName: true } });
  const names = unique.map((id) => friends.find((friend) => friend.id === id)?.displayName || translate(locale, "notify.friendUnknown"));
  return { text: translate(locale, "notify.digest", { count, friends: names.join(locale === "ja" ? "、" : ", ") }), url: adminUrl(shop, "/app/friends") };
}

export function fullText(language: string, rendered: Rendered) {
  return rendered.url ? `${rendered.text}\n${translate(resolveLocale(language), "notify.open", { url: rendered.url })}` : rendered.text;
}

export function subjectOf(language: string, rendered: Rendered) {
  const firstLine = rendered.text.split("\n")[0].slice(0, 120);
  return translate(resolveLocale(language), "notify.subject", { text: firstLine });
}

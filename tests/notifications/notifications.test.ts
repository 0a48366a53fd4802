// Operator notifications end to end: notifyStaff records one row per subscribed channel, the real worker sends them
// to a real SMTP server, Chatwork and Slack fakes and (through the send pipeline) the LINE fake; digests, retries,
// failures, LINE linking by code, and another shop's ids.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decryptSecret } from "~/crypto.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { closeMailer } from "~/notifications/channels.server";
import { deliverDigest } from "~/notifications/deliver.server";
import { digestWindowEnd } from "~/notifications/events";
import { notifyStaff } from "~/notifications/notify.server";
import { createLinkCode, deleteStaff, LINK_CODE_TTL_MS, redeemLinkCode, saveStaff, sendTest, type StaffInput } from "~/notifications/staff.server";
import { action as lineWebhook } from "~/routes/webhooks.line.$accountId";
import { notificationQueue } from "../../jobs/queues";
import { startChatworkFake, startSlackFake, type ChatFake } from "../support/chat-fakes";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineFake, lineWebhookRequest, webhookBody } from "../support/line";
import { startSmtpFake, type SmtpFake } from "../support/smtp-server";
import { waitUntil, withWorkers } from "../support/worker";

const CHATWORK_TOKEN = "cw-token-0123456789abcdef";
let smtp: SmtpFake;
let chatwork: ChatFake;
let slack: ChatFake;
const saved = { host: env.SMTP_HOST, port: env.SMTP_PORT, chatwork: env.CHATWORK_API_BASE_URL };

beforeAll(async () => {
  [smtp, chatwork, slack] = await Promise.all([startSmtpFake(), startChatworkFake(CHATWORK_TOKEN), startSlackFake()]);
  env.SMTP_HOST = "127.0.0.1";
  env.SMTP_PORT = smtp.port;
  env.CHATWORK_API_BASE_URL = chatwork.url;
  env.POSTBACK_ALLOW_HOSTS.push(chatwork.host, slack.host); // the test-only allowlist of the SSRF guard
  closeMailer();
});

afterAll(async () => {
  closeMailer();
  Object.assign(env, { SMTP_HOST: saved.host, SMTP_PORT: saved.port, CHATWORK_API_BASE_URL: saved.chatwork });
  await Promise.all([smtp.close(), chatwork.close(), slack.close()]);
});

beforeEach(async () => {
  // Jobs a test queued without running the worker must not reach the next test's fakes.
  await notificationQueue().obliterate({ force: true });
  smtp.mails.length = 0;
  chatwork.requests.length = 0;
  slack.requests.length = 0;
  smtp.refuseNext(0, 0);
  chatwork.failNext(0, 0);
  slack.failNext(0, 0);
});

const ALL = ["newMessage", "formAnswered", "quotaLow", "broadcastFinished", "accountAttention"] as const;

function staff(overrides: Partial<StaffInput> = {}): StaffInput {
  return {
    name: "Sato",
    email: "sato@tokyo-tea.example",
    language: "ja",
    digestMinutes: 0,
    quotaThreshold: 1000,
    channels: {
      email: { enabled: true, events: [...ALL] },
      chatwork: { enabled: true, events: [...ALL], room: "123456", token: CHATWORK_TOKEN },
      slack: { enabled: true, events: [...ALL], url: `${slack.url}/services/T000/B000/XXXX` },
      line: { enabled: false, events: [] },
    },
    ...overrides,
  };
}

async function shopWithStaff(input: StaffInput = staff()) {
  const { shop } = await createShop(db);
  const connected = await connectedAccount(db, shop, { displayName: "東京ティー" });
  const result = await saveStaff(shop, null, input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { shop, ...connected, staffId: result.id };
}

async function broadcastOf(shop: string, lineAccountId: string, name = "春のセール") {
  return db.broadcast.create({ data: { shop, lineAccountId, name, messages: [], audience: { type: "all" }, utmParams: "", customAggregationUnit: `u${Math.random().toString(36).slice(2, 12)}` } });
}

const rowsOf = (shop: string) => db.notification.findMany({ where: { shop }, include: { channel: true }, orderBy: { createdAt: "asc" } });

describe("settings", () => {
  it("stores the Chatwork token and the Slack URL encrypted, and keeps them when saved empty", async () => {
    const w = await shopWithStaff();
    const channels = await db.staffChannel.findMany({ where: { staffMemberId: w.staffId } });
    const chatworkRow = channels.find((c) => c.type === "chatwork")!;
    const slackRow = channels.find((c) => c.type === "slack")!;
    expect(chatworkRow.secret).not.toContain(CHATWORK_TOKEN);
    expect(decryptSecret(chatworkRow.secret!)).toBe(CHATWORK_TOKEN);
    expect(slackRow.secret).not.toContain("/services/");
    const input = staff();
    input.channels!.chatwork!.token = "";
    input.channels!.slack!.url = "";
    expect(await saveStaff(w.shop, w.staffId, input)).toEqual({ ok: true, id: w.staffId });
    const after = await db.staffChannel.findFirstOrThrow({ where: { staffMemberId: w.staffId, type: "chatwork" } });
    expect(decryptSecret(after.secret!)).toBe(CHATWORK_TOKEN);
  });

  it("refuses bad input field by field, and a Slack URL that is not a Slack webhook or points inside", async () => {
    const { shop } = await createShop(db);
    const bad = staff({ name: "", email: "not-an-address", quotaThreshold: -1 });
    const result = await saveStaff(shop, null, bad);
    expect(result).toMatchObject({ ok: false, status: 422, errors: { name: "notifications.error.name", quotaThreshold: "notifications.error.threshold" } });
    const fields = await saveStaff(shop, null, staff({ email: "not-an-address" }));
    expect(fields).toMatchObject({ ok: false, errors: { email: "notifications.error.email" } });
    for (const url of ["https://example.com/services/x", "http://10.0.0.1/services/x", "https://127.0.0.1/services/x"]) {
      const input = staff();
      input.channels!.slack!.url = url;
      expect(await saveStaff(shop, null, input), url).toMatchObject({ ok: false, errors: { slackUrl: "notifications.error.slackUrl" } });
    }
    const input = staff();
    input.channels!.chatwork!.room = "room-1";
    expect(await saveStaff(shop, null, input)).toMatchObject({ ok: false, errors: { chatworkRoom: "notifications.error.chatworkRoom" } });
  });

  it("treats another shop's staff ids as not found", async () => {
    const mine = await shopWithStaff();
    const other = await createShop(db);
    expect(await saveStaff(other.shop, mine.staffId, staff({ name: "Intruder" }))).toMatchObject({ ok: false, status: 404 });
    expect(await deleteStaff(other.shop, mine.staffId)).toBe(false);
    expect(await sendTest(other.shop, mine.staffId)).toMatchObject({ ok: false, status: 404 });
    expect(await createLinkCode(other.shop, mine.staffId)).toBeNull();
    expect((await db.staffMember.findUniqueOrThrow({ where: { id: mine.staffId } })).name).toBe("Sato");
  });
});

describe("sending", () => {
  it("sends each event on e-mail, Chatwork and Slack, in the staff member's language, and records each as sent", async () => {
    const w = await shopWithStaff();
    const broadcast = await broadcastOf(w.shop, w.account.id);
    await withWorkers(async () => {
      await notifyStaff(w.shop, { type: "broadcastFinished", broadcastId: broadcast.id, status: "sent" });
      await notifyStaff(w.shop, { type: "accountAttention", lineAccountId: w.account.id, reason: "chat-mode" });
      await notifyStaff(w.shop, { type: "quotaExhausted", lineAccountId: w.account.id });
      await waitUntil(async () => (await rowsOf(w.shop)).every((row) => row.status === "sent") && smtp.mails.length === 3);
    });
    const rows = await rowsOf(w.shop);
    expect(rows).toHaveLength(9);
    expect(rows.map((row) => row.status)).toEqual(Array(9).fill("sent"));
    const subjects = smtp.mails.map((mail) => mail.subject).sort();
    expect(subjects).toContain("[LINE CRM] 一斉配信「春のセール」の送信が完了しました。");
    expect(smtp.mails.every((mail) => mail.to[0] === "sato@tokyo-tea.example")).toBe(true);
    const chatworkBodies = chatwork.requests.map((r) => new URLSearchParams(r.body).get("body")!);
    expect(chatwork.requests.every((r) => r.path === "/v2/rooms/123456/messages")).toBe(true);
    expect(chatworkBodies.some((body) => body.includes("東京ティー：チャットモードがオン"))).toBe(true);
    const slackTexts = slack.requests.map((r) => JSON.parse(r.body).text as string);
    expect(slackTexts.some((text) => text.includes("東京ティー：今月の配信数の上限に達しました"))).toBe(true);
    expect(slackTexts.some((text) => text.includes(`/app/broadcasts/${broadcast.id}/results`))).toBe(true);
  });

  it("speaks English to an English-speaking member, and reaches only the channels subscribed to the event", async () => {
    const input = staff({ language: "en" });
    input.channels!.chatwork!.events = ["formAnswered"];
    input.channels!.slack!.enabled = false;
    const w = await shopWithStaff(input);
    const broadcast = await broadcastOf(w.shop, w.account.id, "Spring sale");
    await withWorkers(async () => {
      await notifyStaff(w.shop, { type: "broadcastFinished", broadcastId: broadcast.id, status: "failed" });
      await waitUntil(async () => smtp.mails.length === 1);
    });
    expect(smtp.mails[0].subject).toBe("[LINE CRM] The broadcast “Spring sale” failed.");
    const rows = await rowsOf(w.shop);
    expect(rows.map((row) => row.channel.type)).toEqual(["email"]);
    expect(chatwork.requests).toHaveLength(0);
    expect(slack.requests).toHaveLength(0);
  });

  it("tells about a low quota only the members whose threshold is above what is left", async () => {
    const w = await shopWithStaff(staff({ quotaThreshold: 1000 }));
    const low = staff({ name: "Tanaka", email: "tanaka@tokyo-tea.example", quotaThreshold: 100 });
    low.channels = { email: { enabled: true, events: ["quotaLow"] } };
    await saveStaff(w.shop, null, low);
    await notifyStaff(w.shop, { type: "quotaLow", lineAccountId: w.account.id, remaining: 500 });
    const rows = await rowsOf(w.shop);
    expect(rows.map((row) => row.channel.staffMemberId)).toEqual(Array(3).fill(w.staffId));
  });

  it("sends a broadcast's end once, from the run that closes it", async () => {
    const w = await shopWithStaff();
    const broadcast = await db.broadcast.create({
      data: { shop: w.shop, lineAccountId: w.account.id, name: "Closing", messages: [], audience: { type: "all" }, status: "sending", utmParams: "", customAggregationUnit: "closing1" },
    });
    const { finishBroadcast } = await import("~/broadcasts/run.server");
    await finishBroadcast(broadcast.id);
    await finishBroadcast(broadcast.id);
    const rows = await rowsOf(w.shop);
    expect(rows).toHaveLength(3);
    expect(rows[0].payload).toEqual({ type: "broadcastFinished", broadcastId: broadcast.id, status: "sent" });
  });

  it("retries a channel that fails for a while, and records a failure no retry can fix with its reason", async () => {
    const input = staff();
    input.channels!.email!.enabled = false;
    const w = await shopWithStaff(input);
    chatwork.failNext(2, 503);
    slack.failNext(1, 403);
    await withWorkers(async () => {
      await notifyStaff(w.shop, { type: "accountAttention", lineAccountId: w.account.id, reason: "token-revoked" });
      await waitUntil(async () => (await rowsOf(w.shop)).every((row) => row.status !== "queued"), 60_000);
    });
    const rows = await rowsOf(w.shop);
    const byType = Object.fromEntries(rows.map((row) => [row.channel.type, row]));
    expect(byType.chatwork, JSON.stringify(byType.chatwork)).toMatchObject({ status: "sent", attempts: 3, error: null });
    expect(byType.slack).toMatchObject({ status: "failed", attempts: 1 });
    expect(byType.slack.error).toContain("HTTP 403");
  });

  it("records e-mail as failed when the mail server refuses the address for good", async () => {
    const input = staff();
    input.channels = { email: { enabled: true, events: [...ALL] } };
    const w = await shopWithStaff(input);
    smtp.refuseNext(1, 550);
    await withWorkers(async () => {
      await notifyStaff(w.shop, { type: "quotaExhausted", lineAccountId: w.account.id });
      await waitUntil(async () => (await rowsOf(w.shop)).every((row) => row.status === "failed"));
    });
    expect((await rowsOf(w.shop))[0].error).toMatch(/^smtp: .*550/);
    expect(smtp.mails).toHaveLength(0);
  });
});

describe("new 1:1 messages", () => {
  async function friendWithMessage(shop: string, lineAccountId: string, name: string, text: string) {
    const friend = await db.friend.create({ data: { shop, lineAccountId, lineUserId: lineUserId(), displayName: name, followStatus: "following" } });
    const message = await db.message.create({ data: { shop, lineAccountId, friendId: friend.id, direction: "in", kind: "text", text } });
    return { friendId: friend.id, messageId: message.id };
  }

  it("sends each message at once to a member without a digest, with the friend's name and text", async () => {
    const input = staff();
    input.channels = { slack: input.channels!.slack };
    const w = await shopWithStaff(input);
    const m = await friendWithMessage(w.shop, w.account.id, "花子", "在庫はありますか？");
    await withWorkers(async () => {
      await notifyStaff(w.shop, { type: "newMessage", ...m });
      await waitUntil(async () => slack.requests.length === 1);
    });
    expect(JSON.parse(slack.requests[0].body).text).toContain("花子さんから新着メッセージ：在庫はありますか？");
  });

  it("gathers a busy window into one digest listing the friends, due at the window's end", async () => {
    const input = staff({ digestMinutes: 15 });
    input.channels = { slack: input.channels!.slack };
    const w = await shopWithStaff(input);
    const hanako = await friendWithMessage(w.shop, w.account.id, "花子", "one");
    const taro = await friendWithMessage(w.shop, w.account.id, "太郎", "two");
    const before = new Date();
    await notifyStaff(w.shop, { type: "newMessage", ...hanako });
    await notifyStaff(w.shop, { type: "newMessage", ...taro });
    await notifyStaff(w.shop, { type: "newMessage", ...hanako });
    const rows = await rowsOf(w.shop);
    expect(rows.map((row) => row.status)).toEqual(["pending", "pending", "pending"]);
    const until = rows[0].dueAt;
    expect(until.getTime()).toBeGreaterThan(before.getTime());
    expect(until.getTime() % (15 * 60_000)).toBe(0);
    // One delayed job for the window, whatever the number of messages.
    const job = await notificationQueue().getJob(`notification-digest-${rows[0].channelId}-${until.getTime()}`);
    expect(await job?.getState()).toBe("delayed");
    // The job's work, run now rather than waiting out the window.
    expect(await deliverDigest(rows[0].channelId, until)).toBe("sent");
    expect(slack.requests).toHaveLength(1);
    expect(JSON.parse(slack.requests[0].body).text).toContain("新着メッセージ3件：花子、太郎");
    expect((await rowsOf(w.shop)).map((row) => row.status)).toEqual(["sent", "sent", "sent"]);
    expect(await deliverDigest(rows[0].channelId, until)).toBe("empty");
    await job?.remove();
  });

  it("aligns digest windows so every message of one window shares its end", () => {
    const at = new Date("2026-11-30T10:07:00Z");
    expect(digestWindowEnd(at, 15).toISOString()).toBe("2026-11-30T10:15:00.000Z");
    expect(digestWindowEnd(new Date("2026-11-30T10:15:00Z"), 15).toISOString()).toBe("2026-11-30T10:30:00.000Z");
    expect(digestWindowEnd(at, 60).toISOString()).toBe("2026-11-30T11:00:00.000Z");
  });
});

describe("LINE", () => {
  it("links a staff member's LINE by the one-time code sent to the bot, then pushes through the pipeline", async () => {
    const input = staff();
    input.channels = { line: { enabled: true, events: [...ALL] } };
    const w = await shopWithStaff(input);
    const link = await createLinkCode(w.shop, w.staffId);
    const staffUser = lineUserId();
    const broadcast = await broadcastOf(w.shop, w.account.id);
    await withWorkers(async () => {
      const events = [
        lineEvents.follow({ userId: staffUser }),
        lineEvents.text({ userId: staffUser, text: link!.code, replyToken: "reply-link-1" }),
      ];
      for (const event of events) {
        const response = await lineWebhook({ request: lineWebhookRequest(w.account.id, w.channelSecret, webhookBody(w.account.botUserId!, [event])), params: { accountId: w.account.id }, context: {} });
        expect(response.status).toBe(200);
        await waitUntil(async () => (await db.lineEvent.count({ where: { webhookEventId: event.webhookEventId, processedAt: { not: null } } })) === 1);
      }
      const channel = await db.staffChannel.findFirstOrThrow({ where: { staffMemberId: w.staffId, type: "line" } });
      expect(channel).toMatchObject({ target: staffUser, lineAccountId: w.account.id });
      // The confirmation is the reply; no auto-reply runs for the code.
      const replies = lineFake().requests.filter((r) => r.path === "/v2/bot/message/reply");
      expect(replies).toHaveLength(1);
      expect(JSON.stringify(replies[0].body)).toContain("このLINEを連携しました");
      await notifyStaff(w.shop, { type: "broadcastFinished", broadcastId: broadcast.id, status: "sent" });
      await waitUntil(async () => lineFake().sent(w.channel.channelId).some((d) => d.kind === "push"));
    });
    const push = lineFake().sent(w.channel.channelId).find((d) => d.kind === "push")!;
    expect(push.to).toEqual([staffUser]);
    const delivery = await db.delivery.findFirstOrThrow({ where: { shop: w.shop, kind: "notification" } });
    expect(delivery.status).toBe("sent");
    expect((await db.staffMember.findUniqueOrThrow({ where: { id: w.staffId } })).linkCodeHash).toBeNull();
  });

  it("spends a code once, refuses it after expiry, and never links across shops", async () => {
    const w = await shopWithStaff();
    const other = await shopWithStaff();
    const now = new Date();
    const link = (await createLinkCode(w.shop, w.staffId, now))!;
    expect(link.code).toMatch(/^\d{6}$/);
    expect(await redeemLinkCode(other.shop, other.account.id, "Uother", link.code, now)).toBeNull();
    const first = await redeemLinkCode(w.shop, w.account.id, "Ufirst", ` ${link.code} `, now);
    expect(first?.id).toBe(w.staffId);
    expect(await redeemLinkCode(w.shop, w.account.id, "Usecond", link.code, now)).toBeNull();
    const late = (await createLinkCode(w.shop, w.staffId, now))!;
    expect(await redeemLinkCode(w.shop, w.account.id, "Ulate", late.code, new Date(now.getTime() + LINK_CODE_TTL_MS + 1))).toBeNull();
    expect(await redeemLinkCode(w.shop, w.account.id, "Uany", "hello", now)).toBeNull();
    const channel = await db.staffChannel.findFirstOrThrow({ where: { staffMemberId: w.staffId, type: "line" } });
    expect(channel.target).toBe("Ufirst");
  });

  it("does not record notifications for a LINE channel that is not linked yet", async () => {
    const input = staff();
    input.channels = { line: { enabled: true, events: [...ALL] } };
    const w = await shopWithStaff(input);
    await notifyStaff(w.shop, { type: "quotaExhausted", lineAccountId: w.account.id });
    expect(await rowsOf(w.shop)).toHaveLength(0);
  });
});

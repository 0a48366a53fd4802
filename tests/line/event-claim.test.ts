// The claim is the guard: two jobs given the same LINE events (the sweeper re-queues events that waited long
// under a backlog, as a new job) never both process one.
import type { Job } from "bullmq";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action } from "~/routes/webhooks.line.$accountId";
import { sweepLineEvents } from "../../jobs/processors/maintenance";
import { processLineEvents, recordLineEventFailure } from "../../jobs/processors/line-event";
import { lineEventQueue, type LineEventJob } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineFake, lineWebhookRequest, resetLineState, webhookBody } from "../support/line";
import { waitUntil } from "../support/worker";

const SHOP = "line-event-claim.myshopify.com";

beforeEach(resetLineState);

/** A job of the line-events queue as the worker hands it to the processor. */
function job(id: string, eventIds: string[], attemptsMade = 0) {
  return { id, queueName: "line-events", data: { eventIds }, attemptsMade, opts: { attempts: 8 } } as unknown as Job<LineEventJob>;
}

/** A follow to greet and a message to auto-reply to, stored through the webhook (their own jobs are never run). */
async function storedEvents() {
  await createShop(db, { shop: SHOP });
  const { account, channel, channelSecret } = await connectedAccount(db, SHOP);
  const fake = lineFake();
  await db.greetingMessage.create({ data: { lineAccountId: account.id, shop: SHOP, enabled: true, messages: ["ようこそ！"] } });
  await db.autoReplyRule.create({
    data: { shop: SHOP, lineAccountId: account.id, name: "hours", matchType: "contains", pattern: "営業時間", messages: ["10時〜19時です"] },
  });
  const [follower, writer] = [lineUserId(), lineUserId()];
  const events = [
    lineEvents.follow({ userId: follower, replyToken: fake.issueReplyToken(channel.channelId, follower) }),
    lineEvents.text({ userId: writer, text: "営業時間は？", replyToken: fake.issueReplyToken(channel.channelId, writer) }),
  ];
  const request = lineWebhookRequest(account.id, channelSecret, webhookBody("Ubot", events));
  expect((await action({ request, params: { accountId: account.id }, context: {} })).status).toBe(200);
  // The queue stamp lands just after the answer; the tests below rewrite it.
  await waitUntil(async () => (await db.lineEvent.count({ where: { enqueuedAt: { not: null } } })) === 2);
  const ids = (await db.lineEvent.findMany({ select: { id: true } })).map((event) => event.id);
  return { ids, channel, fake, follower, writer };
}

describe("LINE event claim", () => {
  it("lets one of two jobs run at once on the same events process them; each side effect happens once", async () => {
    const { ids, channel, fake, writer } = await storedEvents();
    // LINE answers slowly, so the two jobs are inside the handlers at the same time.
    fake.delayNext(4, 200, { path: /^\/v2\/bot\/profile\// });
    fake.delayNext(4, 200, { path: "/v2/bot/message/reply" });

    const results = await Promise.all([processLineEvents(job("events-first", ids)), processLineEvents(job("events-swept", ids))]);

    const replies = fake.requests.filter((request) => request.path === "/v2/bot/message/reply");
    expect(replies).toHaveLength(1 + 1); // one greeting, one auto-reply
    expect(fake.sent(channel.channelId).map((delivery) => delivery.messages).sort()).toEqual([
      [{ type: "text", text: "10時〜19時です" }],
      [{ type: "text", text: "ようこそ！" }],
    ]);
    expect(fake.requests.filter((request) => request.path.startsWith("/v2/bot/profile/"))).toHaveLength(1);
    const outbound = await db.message.findMany({ where: { direction: "out" }, select: { text: true, status: true }, orderBy: { text: "asc" } });
    expect(outbound).toEqual([
      { text: "10時〜19時です", status: "sent" },
      { text: "ようこそ！", status: "sent" },
    ]);
    expect(await db.message.count({ where: { direction: "in", friend: { lineUserId: writer } } })).toBe(1);
    const stored = await db.lineEvent.findMany({ select: { attempts: true, processedAt: true, claimedBy: true } });
    expect(stored.map((event) => [event.attempts, event.processedAt !== null, event.claimedBy])).toEqual([
      [1, true, null],
      [1, true, null],
    ]);
    expect(results.sort()).toEqual(["already-processed-or-held", "processed 2"]);

    // Once done, any further job (a late sweep, a retry) finds nothing to do.
    expect(await processLineEvents(job("events-late", ids))).toBe("already-processed-or-held");
    expect(fake.requests.filter((request) => request.path === "/v2/bot/message/reply")).toHaveLength(2);
  });

  it("leaves events another job holds to it, until its claim has run out", async () => {
    const { ids, fake } = await storedEvents();
    const now = Date.now();
    const holder = "line-events/events-holder";
    await db.lineEvent.updateMany({ data: { claimedBy: holder, claimedUntil: new Date(now + 60_000), enqueuedAt: new Date(now - 20 * 60_000) } });

    // Neither swept, nor processed, nor failed by another job's last attempt.
    expect(await sweepLineEvents(new Date(now))).toEqual({ found: 0, queued: 0 });
    expect(await processLineEvents(job("events-other", ids))).toBe("already-processed-or-held");
    await recordLineEventFailure(job("events-other", ids, 8), new Error("gave up"));
    expect(await db.lineEvent.count({ where: { failedAt: null, processedAt: null, attempts: 0 } })).toBe(2);
    expect(fake.requests).toEqual([]);

    // The holder's own next attempt takes them back at once.
    expect(await processLineEvents(job("events-holder", ids))).toBe("processed 2");

    // A claim whose job is gone runs out; then the sweeper re-queues and another job processes.
    await db.lineEvent.updateMany({ data: { processedAt: null, claimedBy: holder, claimedUntil: new Date(now - 1) } });
    expect(await sweepLineEvents(new Date(now))).toEqual({ found: 2, queued: 2 });
    expect(await processLineEvents(job("events-other", ids))).toBe("processed 2");
  });
});

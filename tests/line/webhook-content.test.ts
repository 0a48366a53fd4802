// A correctly signed delivery is answered 200 whatever one of its events holds: content PostgreSQL cannot hold is
// stored in a form it can and restored when read; an event that is not a valid LINE event is stored as invalid
// with the reason and never processed; its siblings are stored and processed either way.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { payloadOf, type StoredEvent } from "~/line/events/types";
import { restoreJson } from "~/stored-json";
import { action } from "~/routes/webhooks.line.$accountId";
import { lineEventQueue } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineFake, lineWebhookRequest, resetLineState, webhookBody } from "../support/line";
import { waitUntil, withWorkers } from "../support/worker";

const SHOP = "line-webhook-content.myshopify.com";

async function setup() {
  await createShop(db, { shop: SHOP });
  const connected = await connectedAccount(db, SHOP);
  return { ...connected, fake: lineFake() };
}

async function deliverRaw(accountId: string, secret: string, raw: string) {
  return action({ request: lineWebhookRequest(accountId, secret, raw), params: { accountId }, context: {} });
}

const allProcessed = () =>
  waitUntil(async () => (await db.lineEvent.count({ where: { processedAt: null, failedAt: null } })) === 0);

beforeEach(resetLineState);

describe("content PostgreSQL cannot hold as it is", () => {
  it("stores a message with U+0000 among other users' follows and messages, and keeps its character", async () => {
    const { account, channelSecret, channel, fake } = await setup();
    const [follower, writer, nul, lone, lateFollower] = Array.from({ length: 5 }, () => lineUserId());
    await db.autoReplyRule.create({
      data: { shop: SHOP, lineAccountId: account.id, name: "nul", matchType: "regex", pattern: "nul \\x00 inside", messages: ["受け取りました"] },
    });
    const nulText = "nul \u0000 inside";
    const loneText = "half a pair \ud83d here";
    const events = [
      lineEvents.follow({ userId: follower }),
      lineEvents.text({ userId: writer, text: "こんにちは" }),
      lineEvents.text({ userId: nul, text: nulText, replyToken: fake.issueReplyToken(channel.channelId, nul) }),
      lineEvents.text({ userId: lone, text: loneText }),
      lineEvents.follow({ userId: lateFollower }),
    ];
    const response = await deliverRaw(account.id, channelSecret, JSON.stringify(webhookBody("Ubot", events)));
    expect(response.status).toBe(200);
    expect(await db.lineEvent.count({ where: { invalidReason: null } })).toBe(5);

    await withWorkers(allProcessed);
    expect(await db.lineEvent.count({ where: { processedAt: { not: null }, failedAt: null } })).toBe(5);
    expect(await db.friend.count({ where: { lineUserId: { in: [follower, lateFollower] }, followStatus: "following" } })).toBe(2);

    const inbound = async (userId: string) =>
      db.message.findFirstOrThrow({ where: { direction: "in", friend: { lineUserId: userId } } });
    expect(await inbound(writer)).toMatchObject({ text: "こんにちは" });
    // The exact message is kept in the payload and restored when read; the text column shows a replacement.
    const nulMessage = await inbound(nul);
    expect(restoreJson<{ text: string }>(nulMessage.payload).text).toBe(nulText);
    expect(nulMessage.text).toBe("nul \uFFFD inside");
    const loneMessage = await inbound(lone);
    expect(restoreJson<{ text: string }>(loneMessage.payload).text).toBe(loneText);
    expect(loneMessage.text).toBe("half a pair \uFFFD here");
    // The stored event reads back as LINE sent it, and the auto-reply matched the character itself.
    const stored = await db.lineEvent.findFirstOrThrow({ where: { lineUserId: nul }, include: { lineAccount: true } });
    expect(payloadOf(stored as StoredEvent)).toEqual(events[2]);
    expect(fake.sent(channel.channelId).map((delivery) => delivery.messages)).toEqual([[{ type: "text", text: "受け取りました" }]]);
  });
});

describe("postback data PostgreSQL cannot hold as it is", () => {
  it("tags the friend with the replacement character, and the friend's later event is processed", async () => {
    const { account, channelSecret } = await setup();
    const userId = lineUserId();
    const t = Date.now();
    const events = [
      lineEvents.postback({ userId, data: "action=tag-add&tag=V%00IP&tag=VIP", timestamp: t }),
      lineEvents.text({ userId, text: "あとから", timestamp: t + 1 }),
    ];
    expect((await deliverRaw(account.id, channelSecret, JSON.stringify(webhookBody("Ubot", events)))).status).toBe(200);
    await withWorkers(allProcessed);
    expect(await db.lineEvent.count({ where: { processedAt: { not: null }, failedAt: null } })).toBe(2);
    const tags = await db.friendTag.findMany({ where: { friend: { lineUserId: userId } }, include: { tag: true } });
    expect(tags.map((friendTag) => friendTag.tag.name).sort()).toEqual(["VIP", "V\uFFFDIP"]);
    expect(await db.message.count({ where: { friend: { lineUserId: userId }, text: "あとから" } })).toBe(1);
  });
});

const deep = (levels: number) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
const validEvent = (userId: string, extra: Record<string, unknown>) => JSON.stringify({ ...lineEvents.follow({ userId }), ...extra });

describe("events that are not valid LINE events", () => {
  const cases: { name: string; event: (userId: string) => string; reason: RegExp }[] = [
    { name: "a null event", event: () => "null", reason: /not an object \(null\)/ },
    { name: "an event that is a number", event: () => "42", reason: /not an object \(number\)/ },
    { name: "a timestamp of 1e20", event: (userId) => validEvent(userId, { timestamp: 1e20 }), reason: /timestamp/ },
    { name: "a negative timestamp", event: (userId) => validEvent(userId, { timestamp: -5 }), reason: /timestamp/ },
    { name: "a timestamp that is a string", event: (userId) => validEvent(userId, { timestamp: "yesterday" }), reason: /timestamp/ },
    { name: "no webhookEventId", event: (userId) => validEvent(userId, { webhookEventId: undefined }), reason: /webhookEventId/ },
    { name: "a webhookEventId of 5 kB", event: (userId) => validEvent(userId, { webhookEventId: "A".repeat(5_000) }), reason: /webhookEventId/ },
    { name: "a user id of 5 kB", event: () => validEvent("U".repeat(5_000), {}), reason: /userId/ },
    {
      name: "a message whose text is a number",
      event: (userId) => JSON.stringify({ ...lineEvents.text({ userId, text: "" }), message: { type: "text", id: "1", text: 5 } }),
      reason: /message\.text/,
    },
    { name: "U+0000 in the user id", event: () => validEvent("U\u0000x", {}), reason: /userId/ },
    {
      // JSON.parse accepts it; JSON.stringify throws RangeError on it.
      name: "nesting 100 000 levels deep",
      event: (userId) => validEvent(userId, { extra: "DEEP" }).replace('"DEEP"', deep(100_000)),
      reason: /nested deeper/,
    },
    {
      name: "a deeply nested array in place of an event",
      event: () => deep(100_000),
      reason: /not an object \(array\)/,
    },
  ];

  it.each(cases)("stores $name as invalid, answers 200 and processes its siblings", async ({ event, reason }) => {
    const { account, channelSecret } = await setup();
    const [before, bad, after] = [lineUserId(), lineUserId(), lineUserId()];
    const raw = `{"destination":"Ubot","events":[${JSON.stringify(lineEvents.follow({ userId: before }))},${event(bad)},${JSON.stringify(
      lineEvents.text({ userId: after, text: "届いてますか" }),
    )}]}`;
    expect((await deliverRaw(account.id, channelSecret, raw)).status).toBe(200);
    // The same body again (LINE redelivering) stores nothing twice.
    expect((await deliverRaw(account.id, channelSecret, raw)).status).toBe(200);
    expect(await db.lineEvent.count()).toBe(3);

    await withWorkers(allProcessed);
    const invalid = await db.lineEvent.findFirstOrThrow({ where: { invalidReason: { not: null } } });
    expect(invalid.invalidReason).toMatch(reason);
    expect(invalid).toMatchObject({ processedAt: null, attempts: 0, enqueuedAt: null });
    expect(invalid.failedAt).not.toBeNull();
    expect(await db.lineEvent.count({ where: { processedAt: { not: null } } })).toBe(2);
    expect(await db.friend.findFirstOrThrow({ where: { lineUserId: before } })).toMatchObject({ followStatus: "following" });
    expect(await db.message.findFirstOrThrow({ where: { friend: { lineUserId: after } } })).toMatchObject({ text: "届いてますか" });
  });
});

describe("content PostgreSQL refuses although every event was checked", () => {
  it("keeps the refused event without its payload, and stores and processes the rest of every delivery", async () => {
    const { account, channelSecret } = await setup();
    // A stand-in for whatever PostgreSQL may refuse that the checks do not foresee: a data exception on one event.
    await db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_marked_event() RETURNS trigger AS $$
      BEGIN
        IF NEW.payload ? 'refuseMe' THEN RAISE EXCEPTION 'refused for the test' USING ERRCODE = '22023'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_marked_event BEFORE INSERT ON "LineEvent" FOR EACH ROW EXECUTE FUNCTION refuse_marked_event()`);
    try {
      expect((await deliverRaw(account.id, channelSecret, JSON.stringify(webhookBody("Ubot", [])))).status).toBe(200); // account cached
      const [before, refused, after, other] = Array.from({ length: 4 }, () => lineUserId());
      const deliveries = [
        [lineEvents.follow({ userId: before }), { ...lineEvents.text({ userId: refused, text: "x" }), refuseMe: true }, lineEvents.follow({ userId: after })],
        [lineEvents.follow({ userId: other })],
      ];
      // Delivered together, so they share a write first and are tried alone after it fails.
      const responses = await Promise.all(
        deliveries.map((events) => deliverRaw(account.id, channelSecret, JSON.stringify(webhookBody("Ubot", events)))),
      );
      expect(responses.map((response) => response.status)).toEqual([200, 200]);
      const kept = await db.lineEvent.findFirstOrThrow({ where: { lineUserId: refused } });
      expect(kept).toMatchObject({ payload: null, invalidReason: expect.stringMatching(/^not storable: .*refused for the test/) });

      await withWorkers(allProcessed);
      expect(await db.friend.count({ where: { lineUserId: { in: [before, after, other] }, followStatus: "following" } })).toBe(3);
      expect(await db.friend.count({ where: { lineUserId: refused } })).toBe(0);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS refuse_marked_event ON "LineEvent"`);
      await db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS refuse_marked_event()`);
    }
  });
});

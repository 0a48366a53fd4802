// Friend-add source tracking end to end: /t/:code → LIFF link → follow event → source, tags, one postback.
import { createServer, type Server } from "node:http";
import type { Job } from "bullmq";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { action as lineWebhook } from "~/routes/webhooks.line.$accountId";
import { action as linkAction } from "~/routes/liff.$accountId_.link";
import { loader as trackingClick } from "~/routes/t.$code";
import { expandTemplate, sendPostback } from "~/sources/postback.server";
import { isPublicAddress, publicOnlyLookup, refuseUrl } from "~/sources/safe-url.server";
import { processPostback, recordPostbackFailure } from "../../jobs/processors/postback";
import type { PostbackJob } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineFake, lineWebhookRequest, webhookBody } from "../support/line";
import { TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const LOGIN_CHANNEL = "2000000001";

// A conversion receiver on loopback that fails as many times as told, then accepts.
let receiver: Server;
let receiverHost = "";
let failuresLeft = 0;
const received: string[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    response.statusCode = failuresLeft > 0 ? 503 : 200;
    if (failuresLeft > 0) failuresLeft -= 1;
    response.end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverHost = `127.0.0.1:${(receiver.address() as { port: number }).port}`;
  env.POSTBACK_ALLOW_HOSTS.push(receiverHost); // the test-only allowlist, as POSTBACK_ALLOW_HOSTS would set it
});

afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

beforeEach(async () => {
  received.length = 0;
  failuresLeft = 0;
  lineFake().reset();
});

async function world() {
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
  const connected = await connectedAccount(db, TEST_SHOP_DOMAIN, { loginChannelId: LOGIN_CHANNEL, liffId: `${LOGIN_CHANNEL}-AbCdEfGh` });
  const link = await db.trackingLink.create({
    data: {
      shop: TEST_SHOP_DOMAIN,
      lineAccountId: connected.account.id,
      code: `ad${Date.now().toString(36)}`,
      name: "Instagram spring ad",
      landingPageUrl: "https://tokyo-tea.example/lp/spring",
      tagNames: ["広告流入", "spring"],
      postbackUrl: `http://${receiverHost}/cv?cid={click_id}&uid={line_user_id}&lp={lp_url}&u={url_id}&campaign={utm_campaign}&t={now}`,
      postbackMethod: "GET",
    },
  });
  return { ...connected, link };
}

async function clickAndLink(accountId: string, code: string, sub: string) {
  const click = await trackingClick({
    request: new Request(`https://my-test-app.myshopify.io/t/${code}?gclid=G-123&utm_campaign=spring`),
    params: { code },
    context: {},
  });
  expect(click.status).toBe(302);
  const intent = new URL(click.headers.get("location")!).searchParams.get("intent")!;
  const idToken = lineFake().issueIdToken({ loginChannelId: LOGIN_CHANNEL, sub });
  const request = new Request(`https://my-test-app.myshopify.io/liff/${accountId}/link`, {
    method: "POST",
    body: JSON.stringify({ intent, idToken }),
  });
  expect((await linkAction({ request, params: { accountId }, context: {} })).status).toBe(200);
}

const job = (deliveryId: string, attemptsMade: number) =>
  ({ data: { deliveryId }, attemptsMade, opts: { attempts: 6 } }) as unknown as Job<PostbackJob>;

describe("friend-add source tracking", () => {
  it("records the source once when the linked visitor follows, adds its tags and sends one postback", async () => {
    const { account, channelSecret, link } = await world();
    const sub = lineUserId();
    await clickAndLink(account.id, link.code, sub);
    expect(await db.friendSource.count()).toBe(0); // not a friend yet

    const follow = (timestamp: number) =>
      lineWebhook({
        request: lineWebhookRequest(account.id, channelSecret, webhookBody("Ubot", [lineEvents.follow({ userId: sub, timestamp })])),
        params: { accountId: account.id },
        context: {},
      });
    failuresLeft = 2; // the receiver is down for the first two tries
    await follow(Date.now());
    // The worker processes the follow and makes the first postback attempt (503); BullMQ would retry in 10 s.
    await withWorkers(() =>
      waitUntil(async () => (await db.postbackDelivery.findFirst({ where: { attempts: 1, lastError: "HTTP 503" } })) !== null),
    );

    const source = await db.friendSource.findFirstOrThrow({ include: { postback: true, friend: { include: { tags: { include: { tag: true } } } } } });
    expect(source.params).toEqual({ gclid: "G-123", utm_campaign: "spring" });
    expect(source.friend.source).toBe("Instagram spring ad");
    expect(source.friend.tags.map((t) => t.tag.name).sort()).toEqual(["spring", "広告流入"]);
    const delivery = source.postback!;
    expect(delivery.url).toContain(`cid=G-123&uid=${sub}&lp=${encodeURIComponent("https://tokyo-tea.example/lp/spring")}&u=${link.code}&campaign=spring&t=`);

    // The retries, run the way BullMQ runs them: 503 again, then accepted; then never again.
    await expect(processPostback(job(delivery.id, 1))).rejects.toThrow("HTTP 503");
    expect(await processPostback(job(delivery.id, 2))).toBe("sent");
    expect(await processPostback(job(delivery.id, 3))).toBe("not-pending");
    expect(received).toHaveLength(3);
    expect(await db.postbackDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "sent", attempts: 3, responseStatus: 200 });

    // Following again (unblock) or linking again does not record the source twice.
    await follow(Date.now() + 1_000);
    await clickAndLink(account.id, link.code, sub);
    await withWorkers(() => waitUntil(async () => (await db.lineEvent.count({ where: { processedAt: null } })) === 0));
    expect(await db.friendSource.count()).toBe(1);
    expect(await db.postbackDelivery.count()).toBe(1);
  });

  it("records the source at link time for a visitor who already follows", async () => {
    const { account, link } = await world();
    const sub = lineUserId();
    await db.friend.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, lineUserId: sub, followStatus: "following" } });
    await clickAndLink(account.id, link.code, sub);
    expect(await db.friendSource.count({ where: { friend: { lineUserId: sub } } })).toBe(1);
  });

  it("after a failure part-way through recording the source, the retry adds the tags and sends the postback once", async () => {
    const { account, channelSecret, link } = await world();
    const sub = lineUserId();
    await clickAndLink(account.id, link.code, sub);
    // The first write of the link's tags fails once (a sequence is not rolled back with the failed transaction).
    await db.$executeRawUnsafe(`CREATE SEQUENCE IF NOT EXISTS test_tag_fault`);
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION test_tag_fault() RETURNS trigger AS $$
      BEGIN IF nextval('test_tag_fault') = 1 THEN RAISE EXCEPTION 'injected fault'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER test_tag_fault BEFORE INSERT ON "FriendTag" FOR EACH ROW EXECUTE FUNCTION test_tag_fault()`);
    try {
      await lineWebhook({
        request: lineWebhookRequest(account.id, channelSecret, webhookBody("Ubot", [lineEvents.follow({ userId: sub })])),
        params: { accountId: account.id },
        context: {},
      });
      await withWorkers(() =>
        waitUntil(async () => (await db.postbackDelivery.findFirst({ where: { friendSource: { friend: { lineUserId: sub } }, status: "sent" } })) !== null),
      );
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER test_tag_fault ON "FriendTag"`);
      await db.$executeRawUnsafe(`DROP FUNCTION test_tag_fault(); DROP SEQUENCE test_tag_fault`);
    }
    const event = await db.lineEvent.findFirstOrThrow({ where: { lineUserId: sub } });
    expect(event.attempts).toBe(2); // the first attempt did fail part-way
    const friend = await db.friend.findFirstOrThrow({ where: { lineUserId: sub }, include: { tags: { include: { tag: true } } } });
    expect(friend.source).toBe("Instagram spring ad");
    expect(friend.tags.map((t) => t.tag.name).sort()).toEqual(["spring", "広告流入"]);
    expect(received.filter((line) => line.includes(`uid=${sub}`))).toHaveLength(1);
  });

  it("keeps the first source: later links, or a second click recorded in the same follow, do not rename it", async () => {
    const { account, channelSecret, link } = await world();
    const other = (code: string, name: string) =>
      db.trackingLink.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, code, name, tagNames: [] } });
    const second = await other(`b${link.code}`, "Newsletter");
    const third = await other(`c${link.code}`, "Flyer");
    const sub = lineUserId();
    await clickAndLink(account.id, link.code, sub);
    await clickAndLink(account.id, second.code, sub);
    await lineWebhook({
      request: lineWebhookRequest(account.id, channelSecret, webhookBody("Ubot", [lineEvents.follow({ userId: sub })])),
      params: { accountId: account.id },
      context: {},
    });
    await withWorkers(() => waitUntil(async () => (await db.lineEvent.count({ where: { processedAt: null } })) === 0));
    await clickAndLink(account.id, third.code, sub); // already a friend: recorded at link time
    const friend = await db.friend.findFirstOrThrow({ where: { lineUserId: sub }, include: { sources: true } });
    expect(friend.sources).toHaveLength(3);
    expect(friend.source).toBe("Instagram spring ad");
  });

  it("fails a postback for good after the last attempt, or at once on a 4xx", async () => {
    const { account, link } = await world();
    const friend = await db.friend.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following" } });
    const source = await db.friendSource.create({ data: { shop: TEST_SHOP_DOMAIN, friendId: friend.id, trackingLinkId: link.id, params: {} } });
    const delivery = await db.postbackDelivery.create({ data: { shop: TEST_SHOP_DOMAIN, friendSourceId: source.id, url: "https://10.0.0.8/cv", method: "GET" } });
    const error = await processPostback(job(delivery.id, 0)).catch((e: Error) => e);
    expect(error).toMatchObject({ name: "UnrecoverableError", message: "private-address" });
    await recordPostbackFailure(job(delivery.id, 1), error as Error);
    expect(await db.postbackDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "failed", lastError: "private-address" });
  });
});

describe("postback safety", () => {
  it("refuses non-https and private, loopback and link-local addresses", async () => {
    expect(refuseUrl("http://ads.example.com/cv")).toBe("not-https");
    for (const url of ["https://127.0.0.1/cv", "https://10.1.2.3/", "https://172.16.0.1/", "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data", "https://[::1]/", "https://[fe80::1]/", "https://localhost/cv", "https://metadata.internal/"]) {
      expect(refuseUrl(url), url).toBe("private-address");
    }
    expect(refuseUrl("https://ads.example.com/cv?x={click_id}")).toBeNull();
    expect(isPublicAddress("::ffff:127.0.0.1")).toBe(false);
    expect(isPublicAddress("8.8.8.8")).toBe(true);
  });

  it("judges an IPv6 address that carries an IPv4 one as that IPv4 address", () => {
    // What a DNS answer may hold as well as what a URL may spell: compatible, translated, mapped, 6to4.
    for (const address of ["::7f00:1", "::127.0.0.1", "::ffff:0:7f00:1", "::ffff:127.0.0.1", "::ffff:7f00:1", "::a9fe:a9fe", "::ffff:a00:1", "2002:c0a8:101::1", "::", "::1"]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["::ffff:8.8.8.8", "::ffff:0:808:808", "2002:808:808::1", "2606:4700:4700::1111"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("never lets a click's query choose the server of a stored template", async () => {
    // Saved before such templates were refused: the parser reads each one's host as "{x}".
    const context = {
      link: { code: "abc", landingPageUrl: null },
      friend: { lineUserId: "U1", shopifyCustomerId: "42" },
      click: { id: "click1", params: { x: "127.0.0.1", q: "1" } },
    };
    for (const template of ["https:\\\\{x}/cv?q={q}", "https:/{x}/cv?q={q}", "https://{x}@ads.example.com/cv?q={q}"]) {
      const url = expandTemplate(template, context);
      expect(url, template).toBe(template);
      expect(await sendPostback(url, "GET"), template).toEqual({ error: "variable-host", retry: false });
    }
    expect(expandTemplate("https://ads.example.com/{x}?q={q}", context)).toBe("https://ads.example.com/127.0.0.1?q=1");
  });

  it("refuses a name that resolves to a private address when connecting", async () => {
    const outcome = await new Promise<unknown>((resolve) => publicOnlyLookup(false)("localhost", {}, (error) => resolve(error)));
    expect(outcome).toMatchObject({ name: "PrivateAddressError" });
    expect(await sendPostback("https://localhost:1/cv", "GET")).toEqual({ error: "private-address", retry: false });
  });

  it("fills the template with URL-encoded values and empty unknown variables", () => {
    const url = expandTemplate("https://x.example/cv?c={customer_id}&q={q}&none={nothing}&t={now}", {
      link: { code: "abc", landingPageUrl: null },
      friend: { lineUserId: "U1", shopifyCustomerId: "42" },
      click: { id: "click1", params: { q: "a b&c" } },
      now: new Date(1_700_000_000_000),
    });
    expect(url).toBe("https://x.example/cv?c=42&q=a%20b%26c&none=&t=1700000000");
  });
});

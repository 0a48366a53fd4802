import { channelAccessToken, HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LINE_RATE_LIMITS, startLineFake, type LineFake } from "./line-fake";

const MAIN = { channelId: "1000000001", channelSecret: "main-secret" };
const LOGIN_CHANNEL_ID = "2000000001";

function userId(n: number): string {
  return `U${n.toString(16).padStart(32, "0")}`;
}

const text = (value: string): messagingApi.TextMessage => ({ type: "text", text: value });

function bubbleWithText(chars: number): messagingApi.FlexBubble {
  return { type: "bubble", body: { type: "box", layout: "vertical", contents: [{ type: "text", text: "x".repeat(chars) }] } };
}

function flex(contents: messagingApi.FlexContainer, altText = "alt"): messagingApi.FlexMessage {
  return { type: "flex", altText, contents };
}

function bubbleWithUri(uri: string): messagingApi.FlexBubble {
  return {
    type: "bubble",
    footer: {
      type: "box",
      layout: "vertical",
      contents: [{ type: "button", action: { type: "uri", label: "Open", uri } }],
    },
  };
}

interface Failure {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Awaits a call that must fail with an HTTP error and returns its parsed response. */
async function failure(call: Promise<unknown>): Promise<Failure> {
  try {
    await call;
  } catch (error) {
    if (!(error instanceof HTTPFetchError)) throw error;
    return { status: error.status, body: JSON.parse(error.body) as Record<string, unknown>, headers: error.headers };
  }
  throw new Error("expected the call to fail");
}

let fake: LineFake;
let client: messagingApi.MessagingApiClient;
let tokenClient: channelAccessToken.ChannelAccessTokenClient;

function clientFor(channelAccessToken: string): messagingApi.MessagingApiClient {
  return new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: fake.url });
}

function rawPost(path: string, body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(new URL(path, fake.url), { method: "POST", headers, body });
}

beforeAll(async () => {
  fake = await startLineFake();
  fake.addChannel({
    ...MAIN,
    bot: { userId: userId(0xb07), basicId: "@fakebot", displayName: "Fake Shop" },
    followers: Array.from({ length: 2500 }, (_, i) => userId(i + 1)),
    loginChannelId: LOGIN_CHANNEL_ID,
  });
  tokenClient = new channelAccessToken.ChannelAccessTokenClient({ baseURL: fake.url });
  const { access_token } = await tokenClient.issueStatelessChannelTokenByClientSecret(MAIN.channelId, MAIN.channelSecret);
  client = clientFor(access_token);
});

afterAll(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.reset();
});

describe("tokens and authentication", () => {
  it("issues a 15-minute stateless token that identifies the channel", async () => {
    const token = await tokenClient.issueStatelessChannelTokenByClientSecret(MAIN.channelId, MAIN.channelSecret);
    expect(token).toMatchObject({ expires_in: 900, token_type: "Bearer" });
    const info = await clientFor(token.access_token).getBotInfo();
    expect(info).toMatchObject({ userId: userId(0xb07), basicId: "@fakebot", displayName: "Fake Shop", chatMode: "bot" });
    expect(fake.requests.at(-1)).toMatchObject({ path: "/v2/bot/info", status: 200, channelId: MAIN.channelId });
  });

  it("rejects a wrong client secret with LINE's OAuth error shape", async () => {
    const result = await failure(tokenClient.issueStatelessChannelTokenByClientSecret(MAIN.channelId, "wrong"));
    expect(result.status).toBe(400);
    expect(result.body.error).toBe("invalid_client");
    expect(result.body.error_description).toEqual(expect.any(String));
  });

  it("issues a 30-day short-lived token", async () => {
    const token = await tokenClient.issueChannelToken("client_credentials", MAIN.channelId, MAIN.channelSecret);
    expect(token).toMatchObject({ expires_in: 2_592_000, token_type: "Bearer" });
    await expect(clientFor(token.access_token).getBotInfo()).resolves.toHaveProperty("basicId", "@fakebot");
  });

  it("answers 401 without an Authorization header", async () => {
    const res = await fetch(new URL("/v2/bot/info", fake.url));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      message: "Authentication failed. Confirm that the access token in the authorization header is valid.",
    });
    expect(res.headers.get("x-line-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers 401 for an unknown token", async () => {
    const result = await failure(clientFor("not-a-real-token").getBotInfo());
    expect(result.status).toBe(401);
    expect(result.body.message).toMatch(/^Authentication failed/);
  });

  it("answers 401 once a token is revoked", async () => {
    const token = fake.issueAccessToken(MAIN.channelId);
    const revocable = clientFor(token);
    await expect(revocable.getBotInfo()).resolves.toBeDefined();
    fake.revokeToken(token);
    expect((await failure(revocable.getBotInfo())).status).toBe(401);
  });
});

describe("message limits", () => {
  const to = userId(1);

  it("rejects 0 and 6 messages, accepts 5", async () => {
    for (const count of [0, 6]) {
      const messages = Array.from({ length: count }, (_, i) => text(`m${i}`));
      const result = await failure(client.pushMessage({ to, messages }));
      expect(result.status).toBe(400);
      expect(result.body.details).toEqual([{ message: "Size must be between 1 and 5", property: "messages" }]);
    }
    const five = Array.from({ length: 5 }, (_, i) => text(`m${i}`));
    const ok = await client.pushMessage({ to, messages: five });
    expect(ok.sentMessages).toHaveLength(5);
    expect(fake.sent(MAIN.channelId)).toEqual([expect.objectContaining({ kind: "push", to: [to], messages: five })]);
  });

  it("rejects text over 5000 characters and malformed user ids", async () => {
    expect((await failure(client.pushMessage({ to, messages: [text("a".repeat(5001))] }))).status).toBe(400);
    expect((await failure(client.pushMessage({ to: "U123", messages: [text("hi")] }))).status).toBe(400);
    expect(fake.sent()).toEqual([]);
  });

  it("rejects multicast to 501 recipients, accepts 500", async () => {
    const recipients = Array.from({ length: 501 }, (_, i) => userId(i + 1));
    const result = await failure(client.multicast({ to: recipients, messages: [text("sale")] }));
    expect(result.status).toBe(400);
    expect(result.body.details).toEqual([{ message: "Size must be between 1 and 500", property: "to" }]);

    await expect(client.multicast({ to: recipients.slice(0, 500), messages: [text("sale")] })).resolves.toEqual({});
    expect(fake.sent()).toHaveLength(1);
    expect(fake.sent()[0]?.to).toHaveLength(500);
  });

  it("rejects a Flex bubble over 30 KB and a carousel of 13 bubbles", async () => {
    const big = await failure(client.pushMessage({ to, messages: [flex(bubbleWithText(31_000))] }));
    expect(big.status).toBe(400);
    expect(big.body.details).toEqual([expect.objectContaining({ property: "messages[0].contents" })]);

    const carousel: messagingApi.FlexCarousel = { type: "carousel", contents: Array.from({ length: 13 }, () => bubbleWithText(5)) };
    const many = await failure(client.pushMessage({ to, messages: [flex(carousel)] }));
    expect(many.body.details).toEqual([expect.objectContaining({ property: "messages[0].contents.contents" })]);

    await expect(client.pushMessage({ to, messages: [flex(bubbleWithText(29_000))] })).resolves.toBeDefined();
  });

  it("rejects altText of 1501 characters, accepts 1500", async () => {
    const result = await failure(client.pushMessage({ to, messages: [flex(bubbleWithText(5), "a".repeat(1501))] }));
    expect(result.status).toBe(400);
    expect(result.body.details).toEqual([expect.objectContaining({ property: "messages[0].altText" })]);
    await expect(client.pushMessage({ to, messages: [flex(bubbleWithText(5), "a".repeat(1500))] })).resolves.toBeDefined();
  });

  it("rejects a URI action of 1001 characters or a non-http scheme anywhere in the Flex tree", async () => {
    const base = "https://shop.example/p?q=";
    const long = await failure(client.pushMessage({ to, messages: [flex(bubbleWithUri(base + "a".repeat(1001 - base.length)))] }));
    expect(long.status).toBe(400);
    expect(long.body.details).toEqual([
      expect.objectContaining({ property: "messages[0].contents.footer.contents[0].action.uri" }),
    ]);
    const js = await failure(client.pushMessage({ to, messages: [flex(bubbleWithUri("javascript:alert(1)"))] }));
    expect(js.status).toBe(400);
    const ok = flex(bubbleWithUri(base + "a".repeat(1000 - base.length)));
    await expect(client.pushMessage({ to, messages: [ok] })).resolves.toBeDefined();
  });

  it("rejects a non-HTTPS Flex image url", async () => {
    const bubble: messagingApi.FlexBubble = { type: "bubble", hero: { type: "image", url: "http://shop.example/a.png" } };
    const result = await failure(client.pushMessage({ to, messages: [flex(bubble)] }));
    expect(result.body.details).toEqual([expect.objectContaining({ property: "messages[0].contents.hero.url" })]);
  });

  it("answers 400 to a body that is not JSON and 404 to an unknown path", async () => {
    const token = fake.issueAccessToken(MAIN.channelId);
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const bad = await rawPost("/v2/bot/message/push", "{not json", auth);
    expect(bad.status).toBe(400);
    const missing = await fetch(new URL("/v2/bot/nope", fake.url), { headers: auth });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ message: "Not found" });
  });
});

describe("retry keys", () => {
  const to = userId(2);

  it("accepts the first request, answers 409 with the accepted request id to a repeat", async () => {
    const key = crypto.randomUUID();
    const first = await client.pushMessageWithHttpInfo({ to, messages: [text("once")] }, key);
    expect(first.httpResponse.status).toBe(200);
    const acceptedId = first.httpResponse.headers.get("x-line-request-id");
    expect(acceptedId).toBeTruthy();

    const repeat = await failure(client.pushMessage({ to, messages: [text("once")] }, key));
    expect(repeat.status).toBe(409);
    expect(repeat.body).toEqual({ message: "The retry key is already accepted" });
    expect(repeat.headers.get("x-line-accepted-request-id")).toBe(acceptedId);
    expect(fake.sent()).toEqual([expect.objectContaining({ kind: "push", retryKey: key })]);
  });

  it("rejects a retry key that is not a UUID", async () => {
    const result = await failure(client.pushMessage({ to, messages: [text("x")] }, "not-a-uuid"));
    expect(result.status).toBe(400);
    expect(fake.sent()).toEqual([]);
  });

  it("rejects a retry key on reply", async () => {
    const replyToken = fake.issueReplyToken(MAIN.channelId, to);
    const token = fake.issueAccessToken(MAIN.channelId);
    const res = await rawPost("/v2/bot/message/reply", JSON.stringify({ replyToken, messages: [text("hi")] }), {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      "x-line-retry-key": crypto.randomUUID(),
    });
    expect(res.status).toBe(400);
    expect(fake.sent()).toEqual([]);
  });
});

describe("reply tokens", () => {
  it("are single use", async () => {
    const to = userId(3);
    const replyToken = fake.issueReplyToken(MAIN.channelId, to);
    const first = await client.replyMessage({ replyToken, messages: [text("thanks")] });
    expect(first.sentMessages).toHaveLength(1);
    const second = await failure(client.replyMessage({ replyToken, messages: [text("thanks")] }));
    expect(second.status).toBe(400);
    expect(second.body).toEqual({ message: "Invalid reply token" });
    expect(fake.sent()).toEqual([expect.objectContaining({ kind: "reply", to: [to] })]);
  });

  it("expire", async () => {
    const replyToken = fake.issueReplyToken(MAIN.channelId, userId(3), { ttlMs: 0 });
    expect((await failure(client.replyMessage({ replyToken, messages: [text("late")] }))).status).toBe(400);
  });
});

describe("quota", () => {
  it("answers 429 once the monthly limit would be exceeded", async () => {
    fake.addChannel({ channelId: "1000000002", channelSecret: "s2", quota: { type: "limited", value: 3 }, totalUsage: 1 });
    const limited = clientFor(fake.issueAccessToken("1000000002"));
    await limited.multicast({ to: [userId(1), userId(2)], messages: [text("a")] });
    await expect(limited.getMessageQuotaConsumption()).resolves.toEqual({ totalUsage: 3 });
    await expect(limited.getMessageQuota()).resolves.toEqual({ type: "limited", value: 3 });

    const result = await failure(limited.pushMessage({ to: userId(3), messages: [text("b")] }));
    expect(result.status).toBe(429);
    expect(result.body).toEqual({ message: "You have reached your monthly limit." });
    expect(fake.sent("1000000002")).toHaveLength(1);
  });
});

describe("fault injection", () => {
  it("failNext answers 429 once, then the retry succeeds", async () => {
    fake.failNext(1, { status: 429, path: "/v2/bot/message/push" });
    await expect(client.getBotInfo()).resolves.toBeDefined(); // other paths are untouched
    const first = await failure(client.pushMessage({ to: userId(4), messages: [text("x")] }));
    expect(first.status).toBe(429);
    await expect(client.pushMessage({ to: userId(4), messages: [text("x")] })).resolves.toBeDefined();
    expect(fake.sent()).toHaveLength(1);
    expect(fake.requests.map((r) => r.status)).toEqual([200, 429, 200]);
  });

  it("delayNext makes a client time out while the request is still processed", async () => {
    fake.delayNext(1, 400, { path: /\/push$/ });
    const token = fake.issueAccessToken(MAIN.channelId);
    const key = crypto.randomUUID();
    const call = fetch(new URL("/v2/bot/message/push", fake.url), {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "x-line-retry-key": key },
      body: JSON.stringify({ to: userId(5), messages: [text("slow")] }),
      signal: AbortSignal.timeout(50),
    });
    await expect(call).rejects.toMatchObject({ name: "TimeoutError" });
    const delivered = await fake.waitFor(() => fake.sent()[0], 2000);
    expect(delivered.retryKey).toBe(key);
    // The safe retry after a timeout: same key, 409 means it was already accepted.
    expect((await failure(client.pushMessage({ to: userId(5), messages: [text("slow")] }, key))).status).toBe(409);
  });
});

describe("ID token verification", () => {
  async function verify(idToken: string, clientId: string): Promise<Response> {
    const form = new URLSearchParams({ id_token: idToken, client_id: clientId });
    return rawPost("/oauth2/v2.1/verify", form.toString(), { "content-type": "application/x-www-form-urlencoded" });
  }

  it("returns the claims for a valid token", async () => {
    const idToken = fake.issueIdToken({ loginChannelId: LOGIN_CHANNEL_ID, sub: userId(6), name: "Hanako", nonce: "n1" });
    const res = await verify(idToken, LOGIN_CHANNEL_ID);
    expect(res.status).toBe(200);
    const claims = (await res.json()) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: "https://access.line.me", sub: userId(6), aud: LOGIN_CHANNEL_ID, name: "Hanako", nonce: "n1" });
    expect(claims.exp).toBe((claims.iat as number) + 3600);
  });

  it("rejects a wrong audience", async () => {
    const idToken = fake.issueIdToken({ loginChannelId: LOGIN_CHANNEL_ID, sub: userId(6) });
    const res = await verify(idToken, "9999999999");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_request", error_description: "Invalid IdToken Audience." });
  });

  it("rejects an expired token", async () => {
    const idToken = fake.issueIdToken({ loginChannelId: LOGIN_CHANNEL_ID, sub: userId(6), expiresInSec: -1 });
    const res = await verify(idToken, LOGIN_CHANNEL_ID);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "invalid_request", error_description: "IdToken expired." });
  });
});

describe("followers, profiles and webhook settings", () => {
  it("pages followers with next and caps limit at 1000", async () => {
    const page1 = await client.getFollowers(undefined, 1000);
    expect(page1.userIds).toHaveLength(1000);
    const page2 = await client.getFollowers(page1.next, 1000);
    const page3 = await client.getFollowers(page2.next, 1000);
    expect(page3.userIds).toHaveLength(500);
    expect(page3.next).toBeUndefined();
    expect([...page1.userIds, ...page2.userIds, ...page3.userIds]).toEqual(fake.channel(MAIN.channelId).followers);
    expect((await failure(client.getFollowers(undefined, 1001))).status).toBe(400);
  });

  it("answers 403 when the account may not list followers", async () => {
    fake.addChannel({ channelId: "1000000003", channelSecret: "s3", followersForbidden: true });
    const result = await failure(clientFor(fake.issueAccessToken("1000000003")).getFollowers());
    expect(result.status).toBe(403);
    expect(result.body).toEqual({ message: "Access to this API is not available for your account" });
  });

  it("returns profiles that were set and 404 for others", async () => {
    fake.setProfile(MAIN.channelId, { userId: userId(7), displayName: "Taro" });
    await expect(client.getProfile(userId(7))).resolves.toEqual({ userId: userId(7), displayName: "Taro" });
    expect((await failure(client.getProfile(userId(8)))).status).toBe(404);
  });

  it("stores an https webhook endpoint and reports the configured test result", async () => {
    expect((await failure(client.setWebhookEndpoint({ endpoint: "http://shop.example/webhook" }))).status).toBe(400);
    const long = `https://shop.example/${"a".repeat(480)}`;
    expect((await failure(client.setWebhookEndpoint({ endpoint: long }))).status).toBe(400);
    await client.setWebhookEndpoint({ endpoint: "https://shop.example/webhook" });
    await expect(client.getWebhookEndpoint()).resolves.toEqual({ endpoint: "https://shop.example/webhook", active: true });

    fake.setWebhookTestResult(MAIN.channelId, { success: false, statusCode: 500, reason: "ERROR_STATUS_CODE" });
    await expect(client.testWebhookEndpoint({})).resolves.toMatchObject({ success: false, statusCode: 500, reason: "ERROR_STATUS_CODE" });
  });
});

// LINE's per-channel limits, shown on a fake whose clock only moves when the test moves it: the outcome depends on
// the number of requests at each instant, never on how fast this machine sends them.
describe("rate limits per channel", () => {
  const OTHER = { channelId: "1000000009", channelSecret: "other-secret" };
  let clock = 1_700_000_000_000;
  let timed: LineFake;
  let main: messagingApi.MessagingApiClient;
  let other: messagingApi.MessagingApiClient;

  beforeAll(async () => {
    timed = await startLineFake({ now: () => clock });
    const a = timed.addChannel({ ...MAIN });
    const b = timed.addChannel({ ...OTHER });
    main = new messagingApi.MessagingApiClient({ channelAccessToken: a.longLivedToken, baseURL: timed.url });
    other = new messagingApi.MessagingApiClient({ channelAccessToken: b.longLivedToken, baseURL: timed.url });
  });

  afterAll(async () => {
    await timed.close();
  });

  beforeEach(() => {
    timed.setRateLimits(LINE_RATE_LIMITS);
    timed.reset();
  });

  /** Sends `count` requests, `parallel` at a time, and counts the answers by status. */
  async function statuses(count: number, send: (i: number) => Promise<unknown>, parallel = 50) {
    const counts: Record<number, number> = {};
    for (let start = 0; start < count; start += parallel) {
      const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, j) =>
        send(start + j).then(
          () => 200,
          (error: unknown) => (error instanceof HTTPFetchError ? error.status : Promise.reject(error)),
        ),
      );
      for (const status of await Promise.all(batch)) counts[status] = (counts[status] ?? 0) + 1;
    }
    return counts;
  }

  const multicast = (client: messagingApi.MessagingApiClient) => (i: number) =>
    client.multicast({ to: [userId(i + 1)], messages: [text("sale")] });
  const push = (client: messagingApi.MessagingApiClient) => (i: number) =>
    client.pushMessage({ to: userId(i + 1), messages: [text("hi")] });

  it("passes LINE's 200 multicast requests in one second and answers the 201st with LINE's 429", async () => {
    expect(await statuses(200, multicast(main))).toEqual({ 200: 200 });
    const over = await failure(main.multicast({ to: [userId(1)], messages: [text("one more")] }));
    expect(over.status).toBe(429);
    expect(over.body).toEqual({ message: "The API rate limit has been exceeded. Try again later." });
    expect(timed.sent(MAIN.channelId)).toHaveLength(200); // the refused request sent nothing
  });

  it("passes LINE's 2,000 push requests in one second and answers the 2,001st with 429", async () => {
    expect(await statuses(2001, push(main), 100)).toEqual({ 200: 2000, 429: 1 });
    expect(timed.sent(MAIN.channelId)).toHaveLength(2000);
  });

  it("meters each channel and each endpoint separately", async () => {
    timed.setRateLimits({ push: 3, multicast: 2 });
    expect(await statuses(3, multicast(main))).toEqual({ 200: 2, 429: 1 });
    expect(await statuses(4, push(main))).toEqual({ 200: 3, 429: 1 }); // push has its own bucket
    expect(await statuses(3, multicast(other))).toEqual({ 200: 2, 429: 1 }); // so has another channel
  });

  it("refills steadily with the clock: half a second gives back half the limit", async () => {
    timed.setRateLimits({ multicast: 200 });
    expect(await statuses(201, multicast(main))).toEqual({ 200: 200, 429: 1 });
    clock += 500;
    expect(await statuses(101, multicast(main))).toEqual({ 200: 100, 429: 1 });
    clock += 5; // one request's worth
    expect(await statuses(2, multicast(main))).toEqual({ 200: 1, 429: 1 });
    clock += 10_000; // the bucket holds one second's worth, no more
    expect(await statuses(201, multicast(main))).toEqual({ 200: 200, 429: 1 });
  });

  it("can be raised, or turned off, per fake", async () => {
    timed.setRateLimits({ multicast: 400 });
    expect(await statuses(401, multicast(main))).toEqual({ 200: 400, 429: 1 });
    timed.setRateLimits({ multicast: null });
    expect(await statuses(500, multicast(main))).toEqual({ 200: 500 });
  });

  it("still caps a multicast at 500 recipients", async () => {
    const to = Array.from({ length: 501 }, (_, i) => userId(i + 1));
    expect((await failure(main.multicast({ to, messages: [text("x")] }))).status).toBe(400);
    await expect(main.multicast({ to: to.slice(0, 500), messages: [text("x")] })).resolves.toEqual({});
  });

  it("forgets a retry key 24 hours after it was accepted: the same key then sends again", async () => {
    const key = crypto.randomUUID();
    const send = () => main.pushMessage({ to: userId(7), messages: [text("once a day")] }, key);
    await send();
    clock += 24 * 60 * 60_000 - 1;
    expect((await failure(send())).status).toBe(409);
    clock += 1;
    await expect(send()).resolves.toBeDefined();
    expect(timed.sent(MAIN.channelId).filter((d) => d.retryKey === key)).toHaveLength(2);
    expect((await failure(send())).status).toBe(409); // the new acceptance starts a new 24 hours
  });
});

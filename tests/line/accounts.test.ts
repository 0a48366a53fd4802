// Connecting a LINE account through the real page action, LINE fake and database.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { decryptSecret } from "~/crypto.server";
import { parseAccountInput } from "~/line/account-input";
import { accessTokenFor, callLine } from "~/line/client.server";
import { action, loader } from "~/routes/app.accounts";
import { sessionStorage } from "~/shopify.server";
import { channelId as newChannelId, channelSecret as newChannelSecret, createShop, enableCartReminders } from "../support/factories";
import { lineFake } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

type Errors = Record<string, string>;

function channel(overrides: { chatMode?: "chat" | "bot" } = {}) {
  const channelId = newChannelId();
  const channelSecret = newChannelSecret();
  const created = lineFake().addChannel({
    channelId,
    channelSecret,
    bot: { userId: `U${"a".repeat(32)}`.slice(0, 33), basicId: "@tokyotea", displayName: "Tokyo Tea", chatMode: overrides.chatMode ?? "bot", pictureUrl: "https://profile.line-scdn.net/bot" },
  });
  return { channelId, channelSecret, longLivedToken: created.longLivedToken };
}

async function submit(fields: Record<string, string>) {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  const response = await action({ request: await adminRequest("/app/accounts", { method: "POST", body }), params: {}, context: {} });
  return { status: response.status, data: (await response.json()) as { errors?: Errors; detail?: string; account?: Record<string, unknown> } };
}

const connect = (fields: Record<string, string>) => submit({ intent: "connect", displayName: "東京ティー", ...fields });

beforeEach(async () => {
  await db.lineAccount.deleteMany();
  await db.shop.deleteMany();
  await db.session.deleteMany();
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
  lineFake().reset();
});

describe("account input validation", () => {
  it("gives each field its own readable message", () => {
    const { errors } = parseAccountInput({
      displayName: "",
      friendAddUrl: "http://example.com",
      channelId: "12345",
      channelSecret: "not-a-secret",
      accessToken: "short",
      loginChannelId: "abc",
      loginChannelSecret: "xyz",
      liffId: "nope",
    }) as { errors: Errors };
    expect(errors).toEqual({
      displayName: "accounts.error.displayName",
      friendAddUrl: "accounts.error.friendAddUrl",
      channelId: "accounts.error.channelId",
      channelSecret: "accounts.error.channelSecret",
      accessToken: "accounts.error.accessToken",
      loginChannelId: "accounts.error.loginChannelId",
      loginChannelSecret: "accounts.error.loginChannelSecret",
      liffId: "accounts.error.liffId",
    });
  });

  it("requires the LIFF app to belong to the LINE Login channel", () => {
    const { errors } = parseAccountInput({ displayName: "x", channelId: "1234567890", loginChannelId: "2000000001", liffId: "2000000002-AbCdEfGh" }) as { errors: Errors };
    expect(errors).toEqual({ liffId: "accounts.error.liffChannel" });
  });

  it("answers 422 with the field errors and saves nothing", async () => {
    const { status, data } = await connect({ channelId: "1", channelSecret: "" });
    expect(status).toBe(422);
    expect(data.errors).toMatchObject({ channelId: "accounts.error.channelId" });
    expect(await db.lineAccount.count()).toBe(0);
  });
});

describe("connecting", () => {
  it("proves the credentials, encrypts them, registers and tests the webhook", async () => {
    const { channelId, channelSecret } = channel();
    lineFake().setWebhookTestResult(channelId, { success: true, statusCode: 200, reason: "OK" });
    const { status, data } = await connect({ channelId, channelSecret, friendAddUrl: "https://lin.ee/abcd" });
    expect(status).toBe(200);

    const account = await db.lineAccount.findFirstOrThrow();
    expect(account).toMatchObject({ status: "connected", botBasicId: "@tokyotea", botDisplayName: "Tokyo Tea", chatMode: "bot", webhookTestOk: true });
    expect(account.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(account.channelSecret).not.toContain(channelSecret);
    expect(decryptSecret(account.channelSecret)).toBe(channelSecret);
    expect(account.channelSecretLast4).toBe(channelSecret.slice(-4));

    const put = lineFake().requests.find((r) => r.method === "PUT" && r.path === "/v2/bot/channel/webhook/endpoint");
    expect(put?.body).toEqual({ endpoint: `https://my-test-app.myshopify.io/webhooks/line/${account.id}` });
    expect(lineFake().requests.some((r) => r.path === "/v2/bot/channel/webhook/test")).toBe(true);

    const page = await loader({ request: await adminRequest("/app/accounts"), params: {}, context: {} });
    const json = JSON.stringify(page);
    expect(json).not.toContain(channelSecret);
    expect(json).not.toContain(account.channelSecret);
    expect(JSON.stringify(data)).not.toContain(channelSecret);
  });

  it("keeps the account and shows LINE's reason when the webhook test fails", async () => {
    const { channelId, channelSecret } = channel({ chatMode: "chat" });
    lineFake().setWebhookTestResult(channelId, { success: false, statusCode: 404, reason: "NOT_FOUND", detail: "404 Not Found" });
    expect((await connect({ channelId, channelSecret })).status).toBe(200);
    expect(await db.lineAccount.findFirstOrThrow()).toMatchObject({ webhookTestOk: false, chatMode: "chat", webhookTestDetail: "404 NOT_FOUND 404 Not Found" });
  });

  it("rejects a wrong secret, a revoked token and another channel's token, saving nothing", async () => {
    const a = channel();
    const b = channel();
    expect((await connect({ channelId: a.channelId, channelSecret: newChannelSecret() })).data.errors).toEqual({ channelSecret: "accounts.error.credentialsRejected" });
    lineFake().revokeToken(a.longLivedToken);
    expect((await connect({ channelId: a.channelId, channelSecret: a.channelSecret, accessToken: a.longLivedToken })).data.errors).toEqual({ accessToken: "accounts.error.tokenRejected" });
    const other = lineFake().addChannel({ channelId: newChannelId(), channelSecret: newChannelSecret(), bot: { userId: `U${"b".repeat(32)}`, basicId: "@other", displayName: "Other" } });
    expect((await connect({ channelId: b.channelId, channelSecret: b.channelSecret, accessToken: other.longLivedToken })).data.errors).toEqual({ accessToken: "accounts.error.tokenOtherChannel" });
    expect(await db.lineAccount.count()).toBe(0);
  });

  it("says LINE is unavailable on a 5xx, saving nothing", async () => {
    const { channelId, channelSecret } = channel();
    lineFake().failNext(1, { status: 500, path: "/oauth2/v3/token" });
    expect((await connect({ channelId, channelSecret })).data.errors).toEqual({ form: "accounts.error.lineUnavailable" });
    expect(await db.lineAccount.count()).toBe(0);
  });

  it("gives LINE's other refusals in the merchant's language, with LINE's words, saving nothing", async () => {
    const { channelId, channelSecret } = channel();
    lineFake().failNext(1, { status: 429, path: "/v2/bot/info" });
    const { status, data } = await connect({ channelId, channelSecret });
    expect(status).toBe(422);
    expect(data.errors).toEqual({ form: "line.error.rateLimited" });
    expect(data.detail).toBe("429 The API rate limit has been exceeded. Try again later.");
    expect(await db.lineAccount.count()).toBe(0);
  });

  it("holds to the plan's account limit", async () => {
    const first = channel();
    const second = channel();
    expect((await connect({ channelId: first.channelId, channelSecret: first.channelSecret })).status).toBe(200);
    expect((await connect({ channelId: first.channelId, channelSecret: first.channelSecret })).data.errors).toEqual({ channelId: "accounts.error.alreadyConnected" });
    expect((await connect({ channelId: second.channelId, channelSecret: second.channelSecret })).data.errors).toEqual({ form: "accounts.error.planLimit" });
    await db.shop.update({ where: { shop: TEST_SHOP_DOMAIN }, data: { plan: "standard" } });
    expect((await connect({ channelId: second.channelId, channelSecret: second.channelSecret })).status).toBe(200);
  });
});

describe("editing and disconnecting", () => {
  it("keeps stored secrets when left blank and refuses another channel ID", async () => {
    const { channelId, channelSecret } = channel();
    await connect({ channelId, channelSecret });
    const account = await db.lineAccount.findFirstOrThrow();
    const edited = await submit({ intent: "update", id: account.id, displayName: "新しい名前", channelId, channelSecret: "" });
    expect(edited.status).toBe(200);
    const after = await db.lineAccount.findFirstOrThrow();
    expect(after.displayName).toBe("新しい名前");
    expect(after.channelSecret).toBe(account.channelSecret);
    expect((await submit({ intent: "update", id: account.id, displayName: "x", channelId: newChannelId() })).data.errors).toEqual({ channelId: "accounts.error.channelIdChanged" });
  });

  it("disconnects: stops reminders, keeps the data, and can connect again", async () => {
    const { channelId, channelSecret } = channel();
    await connect({ channelId, channelSecret });
    const account = await db.lineAccount.findFirstOrThrow();
    await enableCartReminders(db, account);
    expect((await submit({ intent: "disconnect", id: account.id })).status).toBe(200);
    expect(await db.lineAccount.findFirstOrThrow()).toMatchObject({ status: "disconnected" });
    expect(await db.cartReminderSettings.findFirstOrThrow()).toMatchObject({ enabled: false });
    expect((await submit({ intent: "disconnect", id: "someone-elses" })).status).toBe(404);

    expect((await connect({ channelId, channelSecret })).status).toBe(200);
    expect(await db.lineAccount.findMany({ select: { id: true, status: true } })).toEqual([{ id: account.id, status: "connected" }]);
  });
});

describe("access tokens", () => {
  it("caches stateless tokens and refreshes once after a 401", async () => {
    const { channelId, channelSecret } = channel();
    await connect({ channelId, channelSecret });
    const account = await db.lineAccount.findFirstOrThrow();
    const issued = () => lineFake().requests.filter((r) => r.path === "/oauth2/v3/token").length;

    const before = issued();
    const token = await accessTokenFor(account);
    expect(await accessTokenFor(account)).toBe(token);
    expect(issued()).toBe(before + 1); // once, then from the cache

    lineFake().revokeToken(token);
    const info = await callLine(account, ({ messaging }) => messaging.getBotInfo());
    expect(info.basicId).toBe("@tokyotea");
    expect(issued()).toBe(before + 2);
    expect(await accessTokenFor(account)).not.toBe(token);
  });

  it("uses the long-lived token when the merchant gave one", async () => {
    const { channelId, channelSecret, longLivedToken } = channel();
    await connect({ channelId, channelSecret, accessToken: longLivedToken });
    const account = await db.lineAccount.findFirstOrThrow();
    expect(await accessTokenFor(account)).toBe(longLivedToken);
    expect(account.accessTokenLast4).toBe(longLivedToken.slice(-4));
  });
});

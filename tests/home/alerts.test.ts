// Home's alerts from real data: each cause seeded makes its alert appear, and fixing the cause makes it go.
// Also: a LINE 401 after a renewed token is recorded on the account and cleared by the next accepted call, and
// staff hear of an account newly needing attention once per entry.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { homeAlerts } from "~/home/alerts.server";
import { reconcileAttention } from "~/home/attention.server";
import { themeEditorUrl } from "~/home/theme.server";
import { callLine } from "~/line/client.server";
import { forgetToken } from "~/line/tokens.server";
import type { QuotaMeter } from "~/quota/meter.server";
import { loader as homeLoader, action as homeAction } from "~/routes/app._index";
import { sessionStorage } from "~/shopify.server";
import { createLineAccount, createShop } from "../support/factories";
import { connectedAccount, lineFake, resetLineState } from "../support/line";
import { adminFake } from "../support/shopify-admin-fake";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const EDITOR = themeEditorUrl(SHOP, "key");
const EMBED_ON = JSON.stringify({ current: { blocks: { "1": { type: "shopify://apps/line-crm/blocks/line-embed/abc", disabled: false } } } });

const alertsOf = (quota: QuotaMeter[] = [], storefront: "added" | "missing" | "no-scope" | "unknown" = "added") =>
  homeAlerts(SHOP, { quota, storefront, themeEditorUrl: EDITOR });
const kinds = async (...args: Parameters<typeof alertsOf>) => (await alertsOf(...args)).map((alert) => alert.kind).sort();

function meter(accountId: string, values: Partial<QuotaMeter>): QuotaMeter {
  return {
    lineAccountId: accountId, accountName: "Tokyo Tea", month: "2026-11", type: "limited", limit: 5000, usedByLine: 0, usedSince: 0, used: 0,
    scheduled: 0, remaining: 5000, exhausted: false, plan: "light", checkedAt: new Date(), unavailable: false, ...values,
  };
}

async function ready(overrides: Parameters<typeof createLineAccount>[2] = {}) {
  const account = await createLineAccount(db, SHOP, { displayName: "Tokyo Tea", ...overrides });
  return db.lineAccount.update({ where: { id: account.id }, data: { webhookTestOk: true, webhookTestDetail: "200", webhookRegisteredAt: new Date() } });
}

beforeEach(async () => {
  await db.notification.deleteMany();
  await db.staffChannel.deleteMany();
  await db.staffMember.deleteMany();
  await db.broadcast.deleteMany();
  await resetLineState();
  await db.shop.deleteMany();
  await db.session.deleteMany();
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP });
  adminFake().theme = { settingsData: EMBED_ON, denied: false };
});

describe("home alerts", () => {
  it("a working account raises nothing", async () => {
    const account = await ready();
    expect(await kinds([meter(account.id, {})])).toEqual([]);
  });

  it("webhook test failed: appears with a retest action, goes when the test passes", async () => {
    const account = await ready();
    await db.lineAccount.update({ where: { id: account.id }, data: { webhookTestOk: false, webhookTestDetail: "404 Not Found" } });
    const [alert] = await alertsOf();
    expect(alert).toMatchObject({ kind: "webhook-test-failed", tone: "critical", values: { account: "Tokyo Tea", detail: "404 Not Found" } });
    expect(alert.actions).toContainEqual({ type: "post", label: "retest", action: "/app/accounts", intent: "retest", id: account.id });
    await db.lineAccount.update({ where: { id: account.id }, data: { webhookTestOk: true } });
    expect(await kinds()).toEqual([]);
  });

  it("chat mode: appears with LINE Official Account Manager, goes when the mode is Bot", async () => {
    const account = await ready();
    await db.lineAccount.update({ where: { id: account.id }, data: { chatMode: "chat" } });
    const [alert] = await alertsOf();
    expect(alert.kind).toBe("chat-mode");
    expect(alert.actions[0]).toMatchObject({ type: "link", url: "https://manager.line.biz/", external: true });
    await db.lineAccount.update({ where: { id: account.id }, data: { chatMode: "bot" } });
    expect(await kinds()).toEqual([]);
  });

  it("revoked token: a 401 after a renewed token is recorded; the next accepted call clears it", async () => {
    const { account, channel } = await connectedAccount(db, SHOP, { accessToken: true });
    await db.lineAccount.update({ where: { id: account.id }, data: { webhookTestOk: true } });
    lineFake().revokeToken(channel.longLivedToken);
    await expect(callLine(account, ({ messaging }) => messaging.getBotInfo())).rejects.toMatchObject({ status: 401 });
    expect((await db.lineAccount.findUniqueOrThrow({ where: { id: account.id } })).tokenRevokedAt).toBeInstanceOf(Date);
    const [alert] = await alertsOf();
    expect(alert).toMatchObject({ kind: "token-revoked", tone: "critical" });
    expect(alert.actions[0]).toMatchObject({ type: "link", url: `/app/accounts?edit=${account.id}` });

    // The merchant removes the revoked token: the account falls back to stateless tokens, which LINE accepts.
    await db.lineAccount.update({ where: { id: account.id }, data: { accessToken: null, accessTokenLast4: null } });
    await forgetToken(account.id);
    const fresh = await db.lineAccount.findUniqueOrThrow({ where: { id: account.id } });
    await callLine(fresh, ({ messaging }) => messaging.getBotInfo());
    await expect.poll(async () => (await db.lineAccount.findUniqueOrThrow({ where: { id: account.id } })).tokenRevokedAt).toBeNull();
    expect(await kinds()).toEqual([]);
  });

  it("quota: nearly used warns, used up is critical, room again clears it", async () => {
    const account = await ready();
    expect(await kinds([meter(account.id, { remaining: 400 })])).toEqual(["quota-low"]);
    const [exhausted] = await alertsOf([meter(account.id, { remaining: 0, exhausted: true })]);
    expect(exhausted).toMatchObject({ kind: "quota-exhausted", tone: "critical", values: { account: "Tokyo Tea", remaining: 0, limit: 5000 } });
    expect(await kinds([meter(account.id, { remaining: 501 })])).toEqual([]);
    expect(await kinds([meter(account.id, { type: "none", limit: null, remaining: null })])).toEqual([]);
  });

  it("storefront button: missing links to the theme editor, no scope asks for it, added clears it", async () => {
    await ready();
    const [missing] = await alertsOf([], "missing");
    expect(missing).toMatchObject({ kind: "storefront-button", actions: [{ type: "link", url: EDITOR, external: true }] });
    const [scope] = await alertsOf([], "no-scope");
    expect(scope).toMatchObject({ kind: "storefront-button-scope", actions: [{ type: "grantScope", scope: "read_themes" }] });
    expect(await kinds([], "added")).toEqual([]);
    // Nothing to add a button for before an account is connected, and an unreadable theme accuses nobody.
    expect(await kinds([], "unknown")).toEqual([]);
    await db.lineAccount.deleteMany();
    expect(await kinds([], "missing")).toEqual([]);
  });

  it("failed broadcast: appears with its results, goes once a later broadcast of the account went out", async () => {
    const account = await ready();
    const base = { shop: SHOP, lineAccountId: account.id, messages: [{ type: "text", text: "hi" }], audience: { type: "all" }, utmParams: "" };
    const failed = await db.broadcast.create({ data: { ...base, customAggregationUnit: "unitfail1", name: "Winter sale", status: "failed", finishedAt: new Date(Date.now() - 60_000), reason: "broadcasts.reason.allFailed" } });
    const [alert] = await alertsOf();
    expect(alert).toMatchObject({ kind: "broadcast-failed", values: { broadcast: "Winter sale" }, actions: [{ url: `/app/broadcasts/${failed.id}/results` }] });
    await db.broadcast.create({ data: { ...base, customAggregationUnit: "unitfail2", name: "Winter sale again", status: "sent", finishedAt: new Date() } });
    expect(await kinds()).toEqual([]);
  });

  it("LIFF problem: openid scope is named, another code is shown as is; cleared from home, the alert goes", async () => {
    const account = await ready();
    await db.lineAccount.update({ where: { id: account.id }, data: { liffProblem: "openid-scope", liffProblemAt: new Date() } });
    const [alert] = await alertsOf();
    expect(alert).toMatchObject({ kind: "liff-problem", values: { code: "openid-scope" } });
    await db.lineAccount.update({ where: { id: account.id }, data: { liffProblem: "liff-id-mismatch" } });
    expect((await alertsOf())[0].values.code).toBe("liff-id-mismatch");

    // Another shop cannot clear it, even with the account's id.
    await sessionStorage.storeSession(offlineSession("someone-else.myshopify.com"));
    const other = new FormData();
    other.set("intent", "liff-resolved");
    other.set("id", account.id);
    const foreign = await homeAction({ request: await adminRequest("/app?index", { method: "POST", body: other, shop: "someone-else.myshopify.com" }), params: {}, context: {} });
    expect(foreign.status).toBe(404);
    expect(await kinds()).toEqual(["liff-problem"]);

    const body = new FormData();
    body.set("intent", "liff-resolved");
    body.set("id", account.id);
    const response = await homeAction({ request: await adminRequest("/app?index", { method: "POST", body }), params: {}, context: {} });
    expect(response.status).toBe(200);
    expect(await kinds()).toEqual([]);
  });

  it("the home loader shows them with the storefront state read from the main theme", async () => {
    const account = await ready();
    await db.lineAccount.update({ where: { id: account.id }, data: { chatMode: "chat" } });
    adminFake().theme = { settingsData: null, denied: false };
    const data = await homeLoader({ request: await adminRequest("/app"), params: {}, context: {} });
    expect(data.storefront).toBe("missing");
    expect(data.alerts.map((alert) => alert.kind).sort()).toEqual(["chat-mode", "storefront-button"]);
    expect(data.setup.lineAccounts).toMatchObject({ connected: 1, ready: 0 });
  });
});

describe("accountAttention notifications", () => {
  async function subscribed() {
    const member = await db.staffMember.create({ data: { shop: SHOP, name: "Aiko" } });
    return db.staffChannel.create({ data: { shop: SHOP, staffMemberId: member.id, type: "email", target: "aiko@example.com", events: ["accountAttention"] } });
  }
  const told = () => db.notification.findMany({ where: { shop: SHOP, event: "accountAttention" }, orderBy: { createdAt: "asc" } });

  it("tells staff once per entry into a state, and again after it was fixed and re-entered", async () => {
    await subscribed();
    const account = await ready();
    expect(await reconcileAttention(SHOP, account.id)).toEqual([]);

    await db.lineAccount.update({ where: { id: account.id }, data: { chatMode: "chat" } });
    const both = await Promise.all([reconcileAttention(SHOP, account.id), reconcileAttention(SHOP, account.id)]);
    expect(both.flat()).toEqual(["chat-mode"]);
    await reconcileAttention(SHOP, account.id);
    expect((await told()).map((row) => row.payload)).toEqual([{ type: "accountAttention", lineAccountId: account.id, reason: "chat-mode" }]);

    await db.lineAccount.update({ where: { id: account.id }, data: { webhookTestOk: false } });
    expect(await reconcileAttention(SHOP, account.id)).toEqual(["webhook-test-failed"]);

    await db.lineAccount.update({ where: { id: account.id }, data: { chatMode: "bot", webhookTestOk: true } });
    expect(await reconcileAttention(SHOP, account.id)).toEqual([]);
    expect((await db.lineAccount.findUniqueOrThrow({ where: { id: account.id } })).attentionNotified).toEqual([]);
    await db.lineAccount.update({ where: { id: account.id }, data: { chatMode: "chat" } });
    expect(await reconcileAttention(SHOP, account.id)).toEqual(["chat-mode"]);
    expect((await told()).length).toBe(3);
  });

  it("a token LINE refuses is told when it is recorded", async () => {
    await subscribed();
    const { account, channel } = await connectedAccount(db, SHOP, { accessToken: true });
    await db.lineAccount.update({ where: { id: account.id }, data: { webhookTestOk: true } });
    lineFake().revokeToken(channel.longLivedToken);
    await callLine(account, ({ messaging }) => messaging.getBotInfo()).catch(() => undefined);
    expect((await told()).map((row) => (row.payload as { reason: string }).reason)).toEqual(["token-revoked"]);
  });
});

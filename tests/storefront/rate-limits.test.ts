// Per-address limits count the address the deployment can vouch for (the socket, or the hop our own proxies
// appended), never one the client wrote; and one address's flood cannot use up what other shoppers need.
import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { parseEnv } from "~/env.server";
import { loader as proxyConnect } from "~/routes/proxy.connect";
import { action as linkAction } from "~/routes/liff.$accountId_.link";
import { loader as trackingClick } from "~/routes/t.$code";
import { clientKey, requestClientAddress } from "~/storefront/client-address.server";
import { createIntent } from "~/storefront/intents.server";
import { ACCOUNT_VERIFY_BUDGET } from "~/storefront/link.server";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { appProxyRequest, TEST_SHOP_DOMAIN } from "../support/shopify";
import { startWebServer } from "../support/web-server";

const OTHER_SHOP = "other-tea.myshopify.com";
const LOGIN_CHANNEL = "2000000011";

async function setup(shop = TEST_SHOP_DOMAIN, loginChannelId = LOGIN_CHANNEL) {
  await createShop(db, { shop });
  return connectedAccount(db, shop, { loginChannelId, liffId: `${loginChannelId}-AbCdEfGh` });
}

/** A link request as the web process hands it to the route: the address in the context, any headers the client likes. */
async function link(accountId: string, intent: string, idToken: string, clientAddress: string, headers: Record<string, string> = {}) {
  const request = new Request(`https://my-test-app.myshopify.io/liff/${accountId}/link`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ intent, idToken }),
  });
  return (await linkAction({ request, params: { accountId }, context: { clientAddress } })).status;
}

async function connect(clientAddress: string, shop = TEST_SHOP_DOMAIN) {
  try {
    return await proxyConnect({ request: appProxyRequest("/proxy/connect", {}, { shop }), params: {}, context: { clientAddress } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const verifyCalls = () => lineFake().requests.filter((request) => request.path === "/oauth2/v2.1/verify").length;

beforeEach(async () => {
  await db.linkIntent.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  lineFake().reset();
});

describe("the client address", () => {
  const incoming = (remoteAddress: string, forwardedFor?: string) =>
    ({
      socket: { remoteAddress },
      connection: { remoteAddress },
      headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
    }) as unknown as IncomingMessage;

  it("is the socket's peer by default, else the hop the outermost trusted proxy appended", () => {
    expect(requestClientAddress(incoming("10.0.0.5", "1.1.1.1, 203.0.113.9"), 0)).toBe("10.0.0.5");
    expect(requestClientAddress(incoming("10.0.0.5", "1.1.1.1, 203.0.113.9"), 1)).toBe("203.0.113.9");
    expect(requestClientAddress(incoming("10.0.0.5", "1.1.1.1, 203.0.113.9, 10.0.0.4"), 2)).toBe("203.0.113.9");
    // Fewer hops than proxies configured: the leftmost one there is, never beyond the header.
    expect(requestClientAddress(incoming("10.0.0.5", "203.0.113.9"), 3)).toBe("203.0.113.9");
    expect(requestClientAddress(incoming("10.0.0.5"), 1)).toBe("10.0.0.5");
  });

  it("trusts no proxy unless TRUST_PROXY says how many there are", () => {
    const production = {
      NODE_ENV: "production",
      SHOPIFY_API_KEY: "k",
      SHOPIFY_API_SECRET: "s",
      SHOPIFY_APP_URL: "https://app.example.com",
      ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"),
    } as const;
    expect(parseEnv(production).TRUST_PROXY).toBe(0);
    expect(parseEnv({ ...production, TRUST_PROXY: "2" }).TRUST_PROXY).toBe(2);
    for (const wrong of ["-1", "1.5", "true", "11"]) expect(() => parseEnv({ ...production, TRUST_PROXY: wrong }), wrong).toThrow(/TRUST_PROXY/);
  });

  it("counts an IPv6 client by its /64, an IPv4-mapped one as IPv4, and no address as one shared key", () => {
    expect(clientKey({ clientAddress: "2001:db8:1:2:aaaa::1" })).toBe(clientKey({ clientAddress: "2001:db8:1:2:ffff:1:2:3" }));
    expect(clientKey({ clientAddress: "2001:db8:1:3::1" })).not.toBe(clientKey({ clientAddress: "2001:db8:1:2::1" }));
    expect(clientKey({ clientAddress: "::ffff:203.0.113.9" })).toBe("203.0.113.9");
    expect(clientKey({ clientAddress: "203.0.113.9" })).toBe("203.0.113.9");
    expect(clientKey({})).toBe("unknown");
  });
});

describe("through the web process", () => {
  const post = (url: string, forwardedFor: string) =>
    fetch(`${url}/liff/no-such-account/link`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": forwardedFor },
      body: JSON.stringify({ intent: "y".repeat(32), idToken: "z".repeat(20) }),
    }).then((response) => response.status);

  it("with TRUST_PROXY=0, a new X-Forwarded-For on every request does not escape the per-address limit", async () => {
    const server = await startWebServer({ TRUST_PROXY: "0" });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i += 1) statuses.push(await post(server.url, `198.51.100.${i + 1}`));
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(404));
      expect(statuses[20]).toBe(429);
    } finally {
      await server.stop();
    }
  });

  it("with TRUST_PROXY=1, the client is the hop our proxy appended, whatever the client wrote before it", async () => {
    const server = await startWebServer({ TRUST_PROXY: "1" });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 21; i += 1) statuses.push(await post(server.url, `10.9.0.${i + 1}, 203.0.113.70`));
      expect(statuses.slice(0, 20)).toEqual(Array(20).fill(404));
      expect(statuses[20]).toBe(429);
      // The limited address written by the client itself, then the hop the proxy added: another client.
      expect(await post(server.url, "203.0.113.70, 203.0.113.71")).toBe(404);
    } finally {
      await server.stop();
    }
  });
});

describe("a flood from one address", () => {
  it("cannot use up the account's budget: another shopper links at once", { timeout: 180_000 }, async () => {
    const { account } = await setup();
    const live = await createIntent({ shop: TEST_SHOP_DOMAIN, lineAccountId: account.id });
    const statuses: number[] = [];
    // As many requests as the account's whole budget, half of them with a live intent, each with a new header.
    for (let i = 0; i < ACCOUNT_VERIFY_BUDGET; i += 1) {
      const intent = i % 2 ? live.id : randomBytes(24).toString("base64url");
      const forwardedFor = `10.${(i >> 8) & 255}.${i & 255}.1`;
      statuses.push(await link(account.id, intent, "not-a-real-id-token", "198.51.100.66", { "x-forwarded-for": forwardedFor }));
    }
    expect(statuses.filter((status) => status !== 429)).toHaveLength(20);
    // Unknown intents were answered from the database; only the live intent's requests asked LINE.
    expect(verifyCalls()).toBe(10);

    const fresh = await createIntent({ shop: TEST_SHOP_DOMAIN, lineAccountId: account.id });
    const idToken = lineFake().issueIdToken({ loginChannelId: LOGIN_CHANNEL, sub: lineUserId(), name: "花子" });
    expect(await link(account.id, fresh.id, idToken, "203.0.113.50")).toBe(200);
  });

  it("of junk intents from many addresses never reaches LINE or the account's budget", async () => {
    const { account } = await setup();
    for (let i = 0; i < 40; i += 1) {
      expect(await link(account.id, randomBytes(24).toString("base64url"), "not-a-real-id-token", `198.51.100.${i + 100}`)).toBe(404);
    }
    expect(verifyCalls()).toBe(0);
  });
});

describe("/proxy/connect", () => {
  it("starts 30 links a minute per shop and address, then answers a readable 429 to that pair only", async () => {
    await setup();
    await setup(OTHER_SHOP, "2000000012");
    for (let i = 0; i < 30; i += 1) expect((await connect("198.51.100.30")).status).toBe(302);
    const refused = await connect("198.51.100.30");
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain("Too many attempts");
    expect(await db.linkIntent.count()).toBe(30);
    expect((await connect("198.51.100.31")).status).toBe(302);
    expect((await connect("198.51.100.30", OTHER_SHOP)).status).toBe(302);
  });
});

describe("tracking-link clicks", () => {
  it("count 60 a minute per address, the address never taken from a header", async () => {
    const { account } = await setup();
    const link = await db.trackingLink.create({
      data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, name: "Flyer", code: "Fl9rAb12", tagNames: [] },
    });
    const click = (clientAddress: string, forwardedFor: string) =>
      trackingClick({
        request: new Request(`https://my-test-app.myshopify.io/t/${link.code}`, { headers: { "x-forwarded-for": forwardedFor } }),
        params: { code: link.code },
        context: { clientAddress },
      }).then((response) => response.status);
    for (let i = 0; i < 60; i += 1) expect(await click("198.51.100.40", `10.0.0.${i + 1}`)).toBe(302);
    expect(await click("198.51.100.40", "10.0.1.1")).toBe(429);
    expect(await click("198.51.100.41", "10.0.1.1")).toBe(302);
  });
});

// The LIFF page in headless Chromium, with the real @line/liff SDK (2.31) bundled by Remix, the real web process
// and real link intents. Every request the SDK sends outside our server is answered here (context.route) the way
// LINE answers it in an external browser. Observed order, starting from what LINE opens for
// https://liff.line.me/<liffId>?intent=… (our endpoint URL with ?liff.state=%3Fintent%3D…):
//
//   load 1  GET  static.line-scdn.net/liff/edge/2/non-ios-extensions_2_22_0.js  (legacy extensions, a script tag)
//           GET  api.line.me/liff/v2/apps/<liffId>/contextToken → { contextToken }: JWT-shaped, its payload the
//                LIFF context (endpointUrl, permanentLinkPattern…); the SDK resolves liff.state against
//                endpointUrl and location.replace()s to /liff/<accountId>?intent=…
//   load 2  the same two, then GET liffsdk.line-scdn.net/xlt/manifest.json (the SDK's UI texts); liff.init
//                resolves, not logged in → liff.login →
//           GET  access.line.me/liff/v1/authorize?app_id&state&response_type=code&code_challenge_method=S256
//                &code_challenge&liff_sdk_version&redirect_uri (a navigation) → 302 to redirect_uri + code, state,
//                liffClientId, liffRedirectUri (or error=access_denied&error_description&liffOAuth2Error=true
//                when the shopper cancels)
//   load 3  extensions script; POST api.line.me/oauth2/v2.1/token (grant_type=authorization_code, client_id,
//                appId, code, code_verifier, redirect_uri, id_token_key_type=JWK) → access token + ID token, after
//                checking the PKCE verifier against the challenge; GET api.line.me/oauth2/v2.1/certs → { keys }
//                (the SDK verifies the ID token); contextToken again, now with the Bearer access token; xlt
//                manifest; then our page POSTs to /liff/<accountId>/link (real, not intercepted).
//   The two CDN files answer 404 (LINE's files, not available offline): the SDK warns and goes on, as it does
//   when the CDN is unreachable. Playwright answers the CORS preflights of intercepted requests itself.
//
// Why the ID token the SDK holds is not the LINE fake's own token: at load 3 the SDK verifies the ID token
// before liff.init resolves (@liff/verify-id-token: ES256 signature against the keys from /certs, iss, aud =
// the Login channel, exp) and liff.init rejects otherwise. The fake's issueIdToken() mints opaque strings
// ("fake-id-token.…"), which that check rejects, and the fake accepts no token it did not mint. So the browser
// gets a real ES256 JWT signed by this file's key, twin of a token issued by lineFake().issueIdToken() for the
// same channel and user; the web process reaches the fake through a pass-through proxy that swaps that JWT for
// its twin on POST /oauth2/v2.1/verify only. The fake still does the verification (audience, expiry), and
// nothing of ours is stubbed: the page, the SDK, POST /liff/<id>/link and the database are real. Drop the proxy
// once the fake mints signed JWTs and serves /oauth2/v2.1/certs.
import { createHash, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { LinkIntent } from "@prisma/client";
import type { Browser, BrowserContext, Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { consumeIntent, createIntent } from "~/storefront/intents.server";
import { DESKTOP_USER_AGENT, launchBrowser, screenshot } from "../support/browser";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { startWebServer, WEB_SERVER_HOOK_TIMEOUT_MS, type WebServer } from "../support/web-server";

const SHOP = "liff-e2e-shop.myshopify.com";
const LOGIN_CHANNEL_ID = "2000000001";
const LIFF_ID = "2000000001-AbCdEfGh";
const CUSTOMER_ID = "7001234567";
const CART_TOKEN = "Z2NwLWFzaWExOjAxSjk4";

// ---------------------------------------------------------------- LINE's side of LINE Login, in the browser

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const KID = randomBytes(8).toString("hex");
const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

function es256(payload: object): string {
  const input = `${b64url(JSON.stringify({ typ: "JWT", alg: "ES256", kid: KID }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(sign("sha256", Buffer.from(input), { key: privateKey, dsaEncoding: "ieee-p1363" }))}`;
}

/** The JWT the browser holds → the fake's token for the same channel and user (see the header). */
const fakeTwin = new Map<string, string>();

function idTokenFor(sub: string): string {
  const fake = lineFake().issueIdToken({ loginChannelId: LOGIN_CHANNEL_ID, sub, name: "Hanako" });
  const iat = Math.floor(Date.now() / 1000);
  const jwt = es256({ iss: "https://access.line.me", sub, aud: LOGIN_CHANNEL_ID, exp: iat + 3600, iat, amr: ["linesso"], name: "Hanako" });
  fakeTwin.set(jwt, fake);
  return jwt;
}

type LineRequest = { method: string; url: URL; body: URLSearchParams; authorization?: string };
type Login = { outcome: "ok" | "cancel"; idToken: string | null };

/** Answers the SDK's requests to LINE for one browser context; `login` says how the next login ends. */
async function emulateLine(context: BrowserContext, origin: string, accountId: string, login: Login) {
  const seen: LineRequest[] = [];
  const unexpected: string[] = [];
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const accessTokens: string[] = [];
  // Chromium sends the SDK's cross-origin fetches only with these; Playwright answers the preflights itself.
  const cors = { "access-control-allow-origin": origin, "access-control-allow-headers": "authorization, content-type, accept", "access-control-allow-methods": "GET, POST" };
  const reply = (route: Route, status: number, body: unknown) =>
    route.fulfill({ status, headers: cors, contentType: "application/json", body: JSON.stringify(body) });

  // Everything that does not go to our server is LINE's (or unexpected): nothing leaves the machine.
  await context.route((url) => url.origin !== origin, async (route) => {
    const request = route.request();
    const url = new URL(request.url());
    const authorization = (await request.headerValue("authorization")) ?? undefined;
    seen.push({ method: request.method(), url, body: new URLSearchParams(request.postData() ?? ""), authorization });
    const endpoint = `${request.method()} ${url.host}${url.pathname}`;

    if (endpoint === `GET api.line.me/liff/v2/apps/${LIFF_ID}/contextToken`) {
      const context = {
        type: "external",
        liffId: LIFF_ID,
        endpointUrl: `${origin}/liff/${accountId}`,
        permanentLinkPattern: "concat",
        viewType: "full",
        scope: login.idToken ? ["openid", "profile"] : ["profile"],
        availability: {},
        miniDomainAllowed: false,
      };
      return reply(route, 200, { contextToken: es256(context) });
    }
    if (endpoint === "GET static.line-scdn.net/liff/edge/2/non-ios-extensions_2_22_0.js") {
      return route.fulfill({ status: 404, contentType: "text/plain", body: "not available offline" });
    }
    if (endpoint === "GET liffsdk.line-scdn.net/xlt/manifest.json") return reply(route, 404, { message: "not available offline" });
    if (endpoint === "GET access.line.me/liff/v1/authorize") {
      const query = url.searchParams;
      const redirectUri = query.get("redirect_uri") ?? "";
      const back = new URL(redirectUri);
      back.searchParams.set("state", query.get("state") ?? "");
      back.searchParams.set("liffClientId", LOGIN_CHANNEL_ID);
      back.searchParams.set("liffRedirectUri", redirectUri);
      if (login.outcome === "cancel") {
        back.searchParams.set("error", "access_denied");
        back.searchParams.set("error_description", "The resource owner denied the request.");
        back.searchParams.set("liffOAuth2Error", "true");
      } else {
        const code = randomBytes(10).toString("hex");
        codes.set(code, { challenge: query.get("code_challenge") ?? "", redirectUri });
        back.searchParams.set("code", code);
      }
      return route.fulfill({ status: 302, headers: { location: back.toString() } });
    }
    if (endpoint === "POST api.line.me/oauth2/v2.1/token") {
      const form = new URLSearchParams(request.postData() ?? "");
      const issued = codes.get(form.get("code") ?? "");
      const verifier = createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url");
      if (!issued || verifier !== issued.challenge || form.get("redirect_uri") !== issued.redirectUri || form.get("client_id") !== LOGIN_CHANNEL_ID) {
        return reply(route, 400, { error: "invalid_grant", error_description: "invalid authorization code" });
      }
      codes.delete(form.get("code") ?? "");
      const tokens = { access_token: `at-${randomBytes(12).toString("hex")}`, token_type: "Bearer", expires_in: 2_592_000 };
      accessTokens.push(tokens.access_token);
      return reply(route, 200, login.idToken ? { ...tokens, scope: "openid profile", id_token: login.idToken } : { ...tokens, scope: "profile" });
    }
    if (endpoint === "GET api.line.me/oauth2/v2.1/certs") {
      return reply(route, 200, { keys: [{ ...publicKey.export({ format: "jwk" }), kid: KID, alg: "ES256", use: "sig" }] });
    }
    unexpected.push(`${endpoint}${url.search}`);
    return reply(route, 404, { message: "not emulated" });
  });
  return { seen, unexpected, accessTokens };
}

// ---------------------------------------------------------------- the web process's way to the LINE fake

function startVerifyProxy(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body = Buffer.concat(chunks).toString();
    if (req.method === "POST" && req.url === "/oauth2/v2.1/verify") {
      const form = new URLSearchParams(body);
      const twin = fakeTwin.get(form.get("id_token") ?? "");
      if (twin) form.set("id_token", twin);
      body = form.toString();
    }
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => !["host", "content-length", "connection"].includes(name))) as Record<string, string>;
    const answer = await fetch(new URL(req.url ?? "/", target), { method: req.method, headers, body: ["GET", "HEAD"].includes(req.method ?? "") ? undefined : body });
    res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    ),
  );
}

// ---------------------------------------------------------------- the tests

let server: WebServer;
let browser: Browser;
let proxy: Awaited<ReturnType<typeof startVerifyProxy>>;
let accountId: string;

beforeAll(async () => {
  await createShop(db, { shop: SHOP });
  const { account } = await connectedAccount(db, SHOP, { displayName: "Tokyo Tea", loginChannelId: LOGIN_CHANNEL_ID, liffId: LIFF_ID });
  await db.lineAccount.update({ where: { id: account.id }, data: { friendAddUrl: "https://lin.ee/tokyotea" } });
  accountId = account.id;
  proxy = await startVerifyProxy(lineFake().url);
  [server, browser] = await Promise.all([startWebServer({ LINE_API_BASE_URL: proxy.url }), launchBrowser()]);
}, WEB_SERVER_HOOK_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await proxy?.close();
});

/**
 * `language` is the browser's Accept-Language; `appLanguage` what LINE reports after liff.init (in an external
 * browser the SDK's getAppLanguage() is navigator.language, i.e. the context's locale), by default the same.
 */
async function openLiff(options: { language: string; login: Login; query: string; appLanguage?: string; width?: number }) {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 375, height: options.width ? 844 : 720 },
    locale: options.appLanguage ?? options.language.split(",")[0],
    userAgent: DESKTOP_USER_AGENT,
    extraHTTPHeaders: { "accept-language": options.language },
  });
  const line = await emulateLine(context, server.url, accountId, options.login);
  const page: Page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("response", (r) => void (r.status() >= 400 && r.url().startsWith(server.url) && errors.push(`${r.status()} ${r.url()}`)));
  diagnostics.set(page, errors);
  const linkAnswer = page.waitForResponse((r) => r.url() === `${server.url}/liff/${accountId}/link`, { timeout: 30_000 }).catch(() => null);
  const first = await page.goto(`${server.url}/liff/${accountId}?${options.query}`);
  expect(first?.headers()["cache-control"]).toBe("no-store");
  return { page, context, line, errors, linkAnswer };
}

const diagnostics = new WeakMap<Page, string[]>();

/** Waits for the page to settle on a heading; a timeout says where the page got stuck and why. */
async function expectHeading(page: Page, name: string) {
  try {
    await page.getByRole("heading", { name }).waitFor({ timeout: 30_000 });
  } catch (error) {
    const body = await page.locator("body").innerText().catch(() => "(no body)");
    const seen = diagnostics.get(page)?.join("\n") ?? "";
    throw new Error(`heading "${name}" not shown at ${page.url()}:\n${body}\n${seen}`, { cause: error });
  }
}

/** What LINE sends to the endpoint URL when https://liff.line.me/<liffId>?intent=… is opened. */
const viaLiffUrl = (intent: LinkIntent) => `liff.state=${encodeURIComponent(`?intent=${intent.id}`)}`;

describe("LIFF link page in Chromium", () => {
  it("logs in through LINE, links the friend to the customer and the cart, and offers the add-friend button (ja)", async () => {
    const intent = await createIntent({ shop: SHOP, lineAccountId: accountId, customerId: CUSTOMER_ID, cartToken: CART_TOKEN, returnPath: "/products/tea" });
    const sub = lineUserId();
    const { page, context, line, errors, linkAnswer } = await openLiff({ language: "ja-JP,ja;q=0.9", login: { outcome: "ok", idToken: idTokenFor(sub) }, query: viaLiffUrl(intent) });

    await expectHeading(page, "連携が完了しました");
    expect((await linkAnswer)?.status()).toBe(200);
    const addFriend = page.getByRole("link", { name: "友だち追加" });
    expect(await addFriend.getAttribute("href")).toBe("https://lin.ee/tokyotea");
    expect(await page.getByRole("link", { name: "ストアに戻る" }).getAttribute("href")).toBe(`https://${SHOP}/products/tea`);
    await expect(page.getByText("Tokyo Teaを友だち追加すると、お得な情報やカートのお知らせをLINEで受け取れます。").count()).resolves.toBe(1);
    expect(await page.locator("main").getAttribute("lang")).toBe("ja");

    // The SDK's round trip, as LINE would have seen it.
    expect(line.unexpected).toEqual([]);
    const authorize = line.seen.find((r) => r.url.pathname === "/liff/v1/authorize");
    expect(authorize?.url.searchParams.get("app_id")).toBe(LIFF_ID);
    expect(authorize?.url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize?.url.searchParams.get("redirect_uri")).toBe(`${server.url}/liff/${accountId}?intent=${intent.id}`);
    expect(line.seen.filter((r) => r.url.pathname === "/oauth2/v2.1/token")).toHaveLength(1);
    expect(line.seen.some((r) => r.url.pathname === "/oauth2/v2.1/certs")).toBe(true);
    const contextLookups = line.seen.filter((r) => r.url.pathname.endsWith("/contextToken"));
    expect(contextLookups.map((r) => r.authorization)).toEqual([undefined, undefined, `Bearer ${line.accessTokens[0]}`]);
    // Our server asked LINE (the fake) about the token, for our Login channel.
    const verify = lineFake().requests.filter((r) => r.path === "/oauth2/v2.1/verify");
    expect(verify.map((r) => [r.status, (r.body as Record<string, string>).client_id])).toEqual([[200, LOGIN_CHANNEL_ID]]);

    const friend = await db.friend.findUniqueOrThrow({ where: { lineAccountId_lineUserId: { lineAccountId: accountId, lineUserId: sub } } });
    expect(friend).toMatchObject({ shop: SHOP, followStatus: "unknown", shopifyCustomerId: CUSTOMER_ID, displayName: "Hanako" });
    const cartLink = await db.cartLink.findUniqueOrThrow({ where: { lineAccountId_cartToken: { lineAccountId: accountId, cartToken: CART_TOKEN } } });
    expect(cartLink.friendId).toBe(friend.id);
    expect(await db.linkIntent.findUniqueOrThrow({ where: { id: intent.id } })).toMatchObject({ friendId: friend.id, consumedAt: expect.any(Date) });

    await screenshot(page, "liff-linked-ja");
    expect(errors).toEqual([]);
    await context.close();
  });

  it("explains in English that the link was already used, and links nothing more", async () => {
    const used = await createIntent({ shop: SHOP, lineAccountId: accountId, customerId: "7009999999", cartToken: "cart-token-used-1" });
    expect(await consumeIntent(used.id, accountId)).toHaveProperty("intent");
    const friendsBefore = await db.friend.count({ where: { lineAccountId: accountId } });
    const { page, context, line, linkAnswer } = await openLiff({ language: "en-US,en;q=0.9", login: { outcome: "ok", idToken: idTokenFor(lineUserId()) }, query: `intent=${used.id}` });
    await expectHeading(page, "This link has already been used");
    expect((await linkAnswer)?.status()).toBe(409);
    expect(await page.getByRole("link", { name: "Back to the store" }).getAttribute("href")).toBe(`https://${SHOP}/`);
    await expect(page.getByRole("link", { name: "Add friend" }).count()).resolves.toBe(0);
    expect(line.unexpected).toEqual([]);
    expect(await db.friend.count({ where: { lineAccountId: accountId } })).toBe(friendsBefore);
    expect(await db.cartLink.count({ where: { cartToken: "cart-token-used-1" } })).toBe(0);
    await screenshot(page, "liff-used-en");
    await context.close();
  });

  it("says so when the shopper cancels LINE Login, offers to log in again, and keeps the intent", async () => {
    const fresh = await createIntent({ shop: SHOP, lineAccountId: accountId, cartToken: "cart-token-cancel-1" });
    const { page, context, line } = await openLiff({ language: "ja", login: { outcome: "cancel", idToken: null }, query: `intent=${fresh.id}` });
    await expectHeading(page, "LINEログインがキャンセルされました");
    await expect(page.getByRole("button", { name: "もう一度ログイン" }).count()).resolves.toBe(1);
    expect(line.seen.some((r) => r.url.pathname === "/oauth2/v2.1/token")).toBe(false);
    expect((await db.linkIntent.findUniqueOrThrow({ where: { id: fresh.id } })).consumedAt).toBeNull();
    await screenshot(page, "liff-cancelled-ja");
    await context.close();
  });

  it("tells the shopper kindly and the merchant exactly when LINE gives no ID token (no openid scope)", async () => {
    const fresh = await createIntent({ shop: SHOP, lineAccountId: accountId });
    const { page, context, linkAnswer } = await openLiff({ language: "en", login: { outcome: "ok", idToken: null }, query: `intent=${fresh.id}` });
    await expectHeading(page, "We could not confirm your LINE account");
    await expect(page.getByText("We have let the store know.", { exact: false }).count()).resolves.toBe(1);
    expect(await page.locator("main").innerText()).not.toMatch(/openid|scope/i);
    // The merchant's alert: the page reported the code, stored on the account.
    await expect.poll(async () => (await db.lineAccount.findUniqueOrThrow({ where: { id: accountId } })).liffProblem, { timeout: 30_000 }).toBe("openid-scope");
    await context.close();
    expect(await linkAnswer).toBeNull();
    expect((await db.linkIntent.findUniqueOrThrow({ where: { id: fresh.id } })).consumedAt).toBeNull();
  });

  const LINKED = {
    "zh-TW": { language: "zh-TW,zh;q=0.9", heading: "已完成 LINE 帳號連結", addFriend: "加入好友", back: "返回商店" },
    th: { language: "th-TH,th;q=0.9", heading: "เชื่อมต่อบัญชี LINE เรียบร้อยแล้ว", addFriend: "เพิ่มเพื่อน", back: "กลับไปที่ร้านค้า" },
  } as const;

  for (const [locale, words] of Object.entries(LINKED)) {
    it(`speaks ${locale} at 390 px, and a successful link clears the merchant's LIFF problem`, async () => {
      await db.lineAccount.update({ where: { id: accountId }, data: { liffProblem: "openid-scope", liffProblemAt: new Date() } });
      const intent = await createIntent({ shop: SHOP, lineAccountId: accountId, customerId: CUSTOMER_ID, cartToken: `cart-${locale}` });
      const { page, context, errors } = await openLiff({ language: words.language, login: { outcome: "ok", idToken: idTokenFor(lineUserId()) }, query: viaLiffUrl(intent), width: 390 });
      await expectHeading(page, words.heading);
      expect(await page.locator("main").getAttribute("lang")).toBe(locale);
      await expect(page.getByRole("link", { name: words.addFriend }).count()).resolves.toBe(1);
      await expect(page.getByRole("link", { name: words.back }).count()).resolves.toBe(1);
      // Nothing sticks out sideways on a phone.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await screenshot(page, `liff-${locale}`);
      expect(await db.lineAccount.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({ liffProblem: null, liffProblemAt: null });
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it("follows the LINE app's language once LIFF has started, over the browser's", async () => {
    const intent = await createIntent({ shop: SHOP, lineAccountId: accountId, cartToken: "cart-app-language" });
    const { page, context } = await openLiff({ language: "ja", appLanguage: "th-TH", login: { outcome: "ok", idToken: idTokenFor(lineUserId()) }, query: viaLiffUrl(intent) });
    await expectHeading(page, LINKED.th.heading);
    expect(await page.locator("main").getAttribute("lang")).toBe("th");
    await context.close();
  });

  it("answers an unknown account with a 404 page readable in both languages", async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 720 }, extraHTTPHeaders: { "accept-language": "ja" } });
    const page = await context.newPage();
    const response = await page.goto(`${server.url}/liff/no-such-account?intent=x`);
    expect(response?.status()).toBe(404);
    expect(response?.headers()["cache-control"]).toBe("no-store");
    await expect(page.getByRole("heading", { name: "ページが見つかりません" }).count()).resolves.toBe(1);
    await expect(page.getByRole("heading", { name: "Page not found" }).count()).resolves.toBe(1);
    await screenshot(page, "liff-not-found");
    await context.close();
  });
});

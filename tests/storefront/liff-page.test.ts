// GET /liff/:accountId's loader: what the public page learns about an account, in which language, and the 404s.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader } from "~/routes/liff.$accountId";
import { liffProblemToken } from "~/storefront/liff-problems.server";
import { languageOf, liffTexts, PAGE_LANGUAGES, pageLanguage } from "~/storefront/liff-texts";
import { createLineAccount, createShop } from "../support/factories";
import { connectedAccount } from "../support/line";

const SHOP = "liff-page-shop.myshopify.com";
const LIFF_ID = "2000000001-AbCdEfGh";

async function load(accountId: string, acceptLanguage?: string) {
  const headers = acceptLanguage === undefined ? undefined : { "accept-language": acceptLanguage };
  const request = new Request(`https://app.example/liff/${accountId}?intent=abc`, { headers });
  const outcome = await loader({ request, params: { accountId }, context: {} } as never).catch((thrown: unknown) => thrown);
  if (!(outcome instanceof Response)) throw outcome;
  const text = await outcome.text();
  return { status: outcome.status, headers: outcome.headers, text, body: JSON.parse(text) as Record<string, unknown> };
}

let accountId: string;
let secrets: string[];

beforeAll(async () => {
  await createShop(db, { shop: SHOP });
  const { account, channelSecret } = await connectedAccount(db, SHOP, {
    displayName: "Tokyo Tea",
    accessToken: true,
    loginChannelId: "2000000001",
    liffId: LIFF_ID,
  });
  await db.lineAccount.update({
    where: { id: account.id },
    data: { friendAddUrl: "https://lin.ee/tokyotea", loginChannelSecret: "encrypted-login-secret", loginChannelSecretLast4: "cret" },
  });
  accountId = account.id;
  secrets = [channelSecret, account.channelSecret, account.accessToken!, "encrypted-login-secret", account.channelId, account.botUserId!];
});

describe("GET /liff/:accountId loader", () => {
  it("answers only what the page needs, uncached", async () => {
    const page = await load(accountId, "ja-JP,ja;q=0.9,en;q=0.8");
    expect(page.status).toBe(200);
    expect(page.body).toEqual({
      lang: "ja",
      liffId: LIFF_ID,
      displayName: "Tokyo Tea",
      friendAddUrl: "https://lin.ee/tokyotea",
      storeUrl: `https://${SHOP}/`,
      problemToken: liffProblemToken({ id: accountId, shop: SHOP }),
    });
    expect(page.headers.get("cache-control")).toBe("no-store");
    expect(page.headers.get("vary")).toBe("Accept-Language");
  });

  it("never carries a secret, the channel ids or the bot's user id", async () => {
    const page = await load(accountId, "en");
    for (const secret of secrets) expect(page.text).not.toContain(secret);
    expect(page.text).not.toContain("2000000001\""); // the Login channel id alone (the LIFF id starts with it)
    expect(Object.keys(page.body).sort()).toEqual(["displayName", "friendAddUrl", "lang", "liffId", "problemToken", "storeUrl"]);
  });

  it("speaks the shopper's language among ja, en, zh-TW and th, else the account's, else Japanese", async () => {
    expect((await load(accountId, "ja")).body.lang).toBe("ja");
    expect((await load(accountId, "en-US,en;q=0.9,ja;q=0.8")).body.lang).toBe("en");
    expect((await load(accountId, "en;q=0.5,ja")).body.lang).toBe("ja");
    expect((await load(accountId, "th-TH,th;q=0.9")).body.lang).toBe("th");
    expect((await load(accountId, "zh-TW,zh;q=0.9,ja;q=0.5")).body.lang).toBe("zh-TW");
    expect((await load(accountId, "zh-Hant-HK")).body.lang).toBe("zh-TW");
    // Simplified Chinese is not offered: the next language the shopper reads.
    expect((await load(accountId, "zh-CN,zh;q=0.9,en;q=0.5")).body.lang).toBe("en");
    expect((await load(accountId, "fr-FR")).body.lang).toBe("ja");
    expect((await load(accountId)).body.lang).toBe("ja");
    await db.lineAccount.update({ where: { id: accountId }, data: { messageLanguage: "th" } });
    try {
      expect((await load(accountId, "fr-FR")).body.lang).toBe("th");
      expect((await load(accountId)).body.lang).toBe("th");
      expect((await load(accountId, "zh-TW")).body.lang).toBe("zh-TW");
    } finally {
      await db.lineAccount.update({ where: { id: accountId }, data: { messageLanguage: "ja" } });
    }
  });

  it("answers 404 with the language only, for an unknown account", async () => {
    const page = await load("no-such-account", "ja");
    expect(page.status).toBe(404);
    expect(page.body).toEqual({ lang: "ja" });
  });

  it("answers 404 for a disconnected account, one without LIFF and one without a LINE Login channel", async () => {
    const disconnected = await createLineAccount(db, SHOP, { status: "disconnected", loginChannelId: "2000000002", liffId: "2000000002-Zz" });
    const noLiff = await createLineAccount(db, SHOP, { loginChannelId: "2000000003" });
    const noLogin = await createLineAccount(db, SHOP, { liffId: "2000000004-Yy" });
    for (const account of [disconnected, noLiff, noLogin]) {
      const page = await load(account.id, "en");
      expect(page.status).toBe(404);
      expect(page.body).toEqual({ lang: "en" });
      expect(page.text).not.toContain(account.liffId ?? "never");
    }
  });
});

describe("pageLanguage", () => {
  it("takes the highest-ranked language the page speaks, ignoring wildcards and q=0", () => {
    expect(pageLanguage("ja-JP")).toBe("ja");
    expect(pageLanguage("*, ja;q=0.1")).toBe("ja");
    expect(pageLanguage("ja;q=0, en")).toBe("en");
    expect(pageLanguage("fr, ja;q=0.9")).toBe("ja");
    expect(pageLanguage("fr, th;q=0.9, ja;q=0.8")).toBe("th");
    expect(pageLanguage("zh-TW")).toBe("zh-TW");
    expect(pageLanguage("")).toBe("ja");
    expect(pageLanguage(null)).toBe("ja");
    expect(pageLanguage(null, "zh-TW")).toBe("zh-TW");
    expect(pageLanguage("de", "en")).toBe("en");
  });

  it("reads LINE's app language tags", () => {
    expect(languageOf("zh-TW")).toBe("zh-TW");
    expect(languageOf("zh_TW")).toBe("zh-TW");
    expect(languageOf("zh-Hant")).toBe("zh-TW");
    expect(languageOf("zh-CN")).toBeNull();
    expect(languageOf("th")).toBe("th");
    expect(languageOf("en-US")).toBe("en");
    expect(languageOf("ja")).toBe("ja");
    expect(languageOf("ko-KR")).toBeNull();
  });
});

describe("the page's words", () => {
  it("exist in all four languages, each in its own script, and never tell a shopper about scopes or SDK errors", () => {
    const script = { ja: /[ぁ-んァ-ン一-龯]/, en: /^[^\u3040-\u30ff\u4e00-\u9fff\u0e00-\u0e7f]+$/, "zh-TW": /[\u4e00-\u9fff]/, th: /[\u0e00-\u0e7f]/ } as const;
    for (const language of PAGE_LANGUAGES) {
      const texts = liffTexts[language];
      expect(texts.working).toMatch(script[language]);
      expect(texts.linkedTitle).toMatch(script[language]);
      for (const error of Object.values(texts.errors)) {
        expect(error.title).toMatch(script[language]);
        expect(error.body).toMatch(script[language]);
        expect(error.body).not.toMatch(/openid|scope|LIFF ID|SDK|INIT_FAILED|HTTP \d/i);
      }
    }
  });
});

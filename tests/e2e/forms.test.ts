// LIFF forms in Chromium: the form in the LIFF page at 390×844 in Japanese, English, Traditional Chinese and Thai
// (with field errors shown), and the admin's form builder and answers list in ja and en at 1280 and 390 px.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveForm } from "~/forms/forms.server";
import { formField } from "~/forms/model";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, launchBrowser, screenshot } from "../support/browser";
import { createFriend, createLineAccount } from "../support/factories";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { startWebServer, WEB_SERVER_HOOK_TIMEOUT_MS, type WebServer } from "../support/web-server";

const FIELDS = [
  formField.parse({ id: "kana", type: "shortText", label: "お名前（フリガナ）", required: true, format: "kana" }),
  formField.parse({ id: "email", type: "email", label: "メールアドレス", required: true }),
  formField.parse({ id: "tea", type: "singleChoice", label: "好きなお茶", required: true, choices: [{ id: "sencha", label: "煎茶", addTags: ["煎茶好き"] }, { id: "hojicha", label: "ほうじ茶" }] }),
  formField.parse({ id: "visit", type: "date", label: "来店予定日" }),
  formField.parse({ id: "addr", type: "address", label: "お届け先" }),
  formField.parse({ id: "agree", type: "consent", label: "規約", help: "利用規約に同意します", required: true }),
];

let accountId = "";
let formId = "";
let scenarioId = "";

async function seed() {
  await sessionStorage.storeSession(offlineSession());
  const account = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "東京ティー", loginChannelId: "2000000123", liffId: "2000000123-Forms" });
  accountId = account.id;
  scenarioId = (await db.scenario.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, name: "回答者フォロー", status: "on", trigger: { type: "manual" } } })).id;
  const saved = await saveForm(TEST_SHOP_DOMAIN, null, { lineAccountId: account.id, title: "お茶の好みアンケート", description: "1分で終わります。回答者にはクーポンをお送りします。", fields: FIELDS, addTagNames: ["アンケート回答"], scenarioId });
  if (!saved.ok) throw new Error("seed");
  formId = saved.id;
  const friend = await createFriend(db, account, { displayName: "山田 花子" });
  await db.formAnswer.create({
    data: { shop: TEST_SHOP_DOMAIN, formId, lineAccountId: account.id, friendId: friend.id, values: { kana: "ヤマダ ハナコ", email: "hanako@example.jp", tea: "sencha", addr: { postalCode: "1500001", address: "東京都渋谷区神宮前1-1" }, agree: true } },
  });
}

const admin = adminBrowser({ seed });

describe("the LIFF form at 390×844", () => {
  let server: WebServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
  }, WEB_SERVER_HOOK_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const cases = [
    ["ja", "送信する", "全角カタカナで入力してください。"],
    ["en", "Submit", "Please use full-width katakana."],
    ["zh-TW", "送出", "請以全形片假名填寫。"],
    ["th", "ส่ง", "โปรดใช้ตัวอักษรคาตาคานะแบบเต็มความกว้าง"],
  ] as const;
  for (const [lang, submit, kanaError] of cases) {
    it(`shows the form and its field errors in ${lang}`, async () => {
      const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: lang, extraHTTPHeaders: { "accept-language": lang } });
      // Nothing outside our server is reached (the LIFF SDK's calls fail and the form still shows).
      await page.route((url) => !url.href.startsWith(server.url), (route) => route.abort());
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      const response = await page.goto(`${server.url}/liff/${accountId}/forms/${formId}`);
      expect(response?.status()).toBe(200);
      await page.getByText("お茶の好みアンケート").waitFor();
      await page.locator("#field-kana").fill("yamada");
      await page.locator("#field-kana").blur();
      await page.getByText(kanaError).waitFor(); // checked as soon as the field is left
      await page.getByRole("button", { name: submit }).click();
      await page.locator(".liff-form-error").nth(3).waitFor(); // kana, email, tea, consent
      expect(await page.locator(".liff-form-error").count()).toBe(4);
      await screenshot(page, `forms-liff-${lang}`);
      expect(errors).toEqual([]);
      await page.close();
    });
  }
});

describe("form admin pages in Chromium", () => {
  for (const [locale, lang] of [["ja", "ja"], ["en-US", "en"]] as const) {
    for (const width of [1280, 390]) {
      it(`renders the builder, the list and the answers in ${lang} at ${width} px`, async () => {
        const builder = await admin.open(`/app/forms/${formId}`, locale, { viewport: { width, height: 900 } });
        await builder.page.getByText(lang === "ja" ? "設問を追加" : "Add question").waitFor();
        expect(await builder.page.getByLabel(lang === "ja" ? "タイトル" : "Title").inputValue()).toBe("お茶の好みアンケート");
        // The step scenario picker shows the form's scenario.
        expect(await builder.page.getByLabel(lang === "ja" ? "回答後に開始するステップ配信" : "Step scenario started on submit").inputValue()).toBe(scenarioId);
        await screenshot(builder.page, `forms-builder-${lang}-${width}`);
        expect(builder.errors).toEqual([]);
        const list = await admin.open("/app/forms", locale, { viewport: { width, height: 900 } });
        await list.page.getByText("お茶の好みアンケート").waitFor();
        await screenshot(list.page, `forms-list-${lang}-${width}`);
        const answers = await admin.open(`/app/forms/${formId}/answers`, locale, { viewport: { width, height: 900 } });
        await answers.page.getByText("ヤマダ ハナコ").waitFor();
        await screenshot(answers.page, `forms-answers-${lang}-${width}`);
        expect(answers.errors).toEqual([]);
      });
    }
  }
});

// Benchmark: Web Vitals of every admin page, as "Built for Shopify" judges them, at ×4 CPU throttling.
// Its own database (seeded with a realistic shop: 1,200 friends, tags, conversations, broadcasts, scenarios, rich
// menus, forms, tracking links, cart reminders…), the real web process built for production, headless Chromium.
// For every page: BENCH_RUNS cold loads (a new browser context each, browser cache on, App Bridge answered by the
// local stand-in tests/support/app-bridge-stub.js), measuring
//   LCP                largest-contentful-paint (PerformanceObserver, buffered), at the first interaction
//   CLS                the sum of layout-shift values without recent input, 500 ms after the interaction
//   first interaction  a click on a real control right after the load event (React may still be hydrating):
//                      the longest Event Timing entry of that interaction (durationThreshold 16, and first-input)
//   JS (brotli)        the page's script responses from the app, each compressed with zlib's brotli, summed
//   hydration errors   console errors of React discarding the server HTML (#418, #423, #425, "did not match")
// Prints one line per page, then as its last line
//   {"pages":N,"lcp_p75_ms_max":…,"cls_max":…,"inp_p75_ms_max":…,"js_kb_br_max":…,"hydration_errors":0}
//
// BENCH_RUNS (5)            cold loads per page
// BENCH_THROTTLE (4)        CPU slowdown (CDP Emulation.setCPUThrottlingRate)
// BENCH_LOCALE (ja)         the admin's language (?locale=)
// BENCH_PAGES               comma-separated substrings: only pages whose path contains one
// BENCH_VITALS_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/line_crm_bench_vitals)
import { readFileSync } from "node:fs";
import path from "node:path";
import { brotliCompressSync, constants } from "node:zlib";
import type { BrowserContext, Page } from "playwright-core";
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";
import type { LineFake } from "../support/line-fake";
import { benchEnvironment, loadAverage, numberEnv, percentile, prepareDatabase, round, runBenchmark, startWeb } from "./support";

const DATABASE_URL = process.env.BENCH_VITALS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/line_crm_bench_vitals";
const SHOP = "bench-vitals.myshopify.com";
const SCOPES = "read_orders,read_customers,write_customers,read_products,write_files,write_app_proxy";
const RUNS = numberEnv("BENCH_RUNS", 5, 1, 50);
const THROTTLE = numberEnv("BENCH_THROTTLE", 4, 1, 20);
const LOCALE = process.env.BENCH_LOCALE || "ja";
const FRIENDS = 1_200;
const DAY = 86_400_000;

const HYDRATION_ERROR = /Minified React error #(418|423|425)|Hydration failed|did not match|hydrating|while hydrating|server-rendered HTML|Expected server HTML/i;

type Ids = Record<string, string>;

// ---------------------------------------------------------------- seed

async function seed(fake: LineFake): Promise<Ids> {
  const { db } = await import("../../app/db.server");
  const { sessionStorage } = await import("../../app/shopify.server");
  const { offlineSession } = await import("../support/shopify");
  const { createShop, createLineAccount, channelId, channelSecret, lineUserId, enableCartReminders } = await import("../support/factories");
  const { saveForm } = await import("../../app/forms/forms.server");
  const { formField } = await import("../../app/forms/model");
  const { saveScenario, setScenarioStatus } = await import("../../app/scenarios/scenarios.server");
  const { saveRichMenu } = await import("../../app/rich-menus/rich-menus.server");
  const { menuInput, menuImage } = await import("../support/rich-menus");

  console.log(`seeding ${SHOP}…`);
  await sessionStorage.storeSession(offlineSession(SHOP));
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo", locale: "ja" });
  const id = channelId();
  const secret = channelSecret();
  const botUserId = lineUserId();
  const channel = fake.addChannel({ channelId: id, channelSecret: secret, bot: { userId: botUserId, basicId: "@123abcde", displayName: "Tokyo Tea", chatMode: "bot" } });
  const account = await createLineAccount(db, SHOP, { displayName: "Tokyo Tea", channelId: id, channelSecret: secret, botUserId, accessToken: channel.longLivedToken });
  await enableCartReminders(db, account);

  const tagNames = ["VIP", "セール希望", "抹茶好き", "ほうじ茶", "新規", "常連", "関東", "関西", "九州", "北海道",
    "ギフト", "定期便", "メルマガ", "アンケート回答", "クーポン利用", "休眠", "再購入", "高単価", "法人", "テスト"];
  const tags = await Promise.all(tagNames.map((name, i) => db.tag.create({ data: { shop: SHOP, name, color: ["info", "success", "attention", "warning"][i % 4] } })));

  const surnames = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木", "山口", "松本"];
  const given = ["花子", "太郎", "陽菜", "蓮", "結衣", "湊", "さくら", "翔", "美咲", "大輔", "葵", "悠斗"];
  // Some display names start with an emoji (a surrogate pair, or a sequence of several code points).
  const emoji = ["🍵", "🌸", "👩‍👩‍👧", "🇯🇵", "😀"];
  const start = Date.now() - 400 * DAY;
  const friends = Array.from({ length: FRIENDS }, (_, i) => ({
    shop: SHOP,
    lineAccountId: account.id,
    lineUserId: lineUserId(),
    displayName: i % 17 === 0 ? `${emoji[i % emoji.length]} ${given[i % given.length]}` : i % 10 === 9 ? `Emily Chen ${i}` : `${surnames[i % surnames.length]} ${given[(i * 7) % given.length]}`,
    followStatus: i % 9 === 4 ? "blocked" : "following",
    followedAt: new Date(start + i * 8 * 3_600_000),
    createdAt: new Date(start + i * 8 * 3_600_000),
    shopifyCustomerId: i % 4 === 0 ? String(7_000_000_000 + i) : null,
    language: i % 10 === 9 ? "en" : "ja",
    source: i % 3 === 0 ? "import" : "follow",
    statusMessage: i % 5 === 0 ? "お茶のある暮らし🍵" : null,
    lastMessageAt: i % 6 === 0 ? new Date(Date.now() - (i % 90) * 3_600_000) : null,
  }));
  await db.friend.createMany({ data: friends });
  const rows = await db.friend.findMany({ where: { shop: SHOP }, orderBy: { createdAt: "asc" } });
  await db.friendTag.createMany({
    data: rows.flatMap((friend, i) => tags.filter((_, t) => (i + t) % 7 === 0).slice(0, 3).map((tag) => ({ shop: SHOP, friendId: friend.id, tagId: tag.id }))),
  });

  // Conversations: every sixth friend wrote; a few messages each, the last one recent.
  const talkers = rows.filter((_, i) => i % 6 === 0);
  const texts = ["こんにちは。抹茶の缶はまだ在庫ありますか？", "お問い合わせありがとうございます。はい、ございます。", "届きました！とても美味しいです 🍵", "ご注文ありがとうございます！", "送料はいくらですか？"];
  await db.message.createMany({
    data: talkers.flatMap((friend, f) =>
      texts.map((text, m) => ({
        shop: SHOP, lineAccountId: account.id, friendId: friend.id, direction: m % 2 === 0 ? "in" : "out", kind: "text", text,
        sentVia: m % 2 === 0 ? null : "reply", createdAt: new Date(Date.now() - (f % 90) * 3_600_000 - (texts.length - m) * 600_000),
      })),
    ),
  });
  await db.conversation.createMany({ data: talkers.map((friend, i) => ({ friendId: friend.id, shop: SHOP, lineAccountId: account.id, lastReadAt: i % 2 ? new Date() : null })) });

  await db.segment.createMany({
    data: Array.from({ length: 12 }, (_, i) => ({
      shop: SHOP, name: `セグメント ${i + 1}`,
      definition: { match: "all", groups: [{ match: "all", conditions: [{ field: "tags", match: "any", tagIds: [tags[i].id] }, { field: "followStatus", statuses: ["following"] }] }] },
    })),
  });
  await db.autoReplyRule.createMany({
    data: Array.from({ length: 15 }, (_, i) => ({ shop: SHOP, lineAccountId: account.id, name: `自動応答 ${i + 1}`, matchType: i % 3 ? "contains" : "exact", pattern: `キーワード${i + 1}`, messages: ["お問い合わせありがとうございます"] })),
  });
  await db.trackingLink.createMany({
    data: Array.from({ length: 25 }, (_, i) => ({ shop: SHOP, lineAccountId: account.id, code: `VITALS${String(i).padStart(3, "0")}`, name: `Instagram 広告 ${i + 1}`, tagNames: [tagNames[i % tagNames.length]], landingPageUrl: "https://tokyo-tea.example/" })),
  });
  await db.actionLink.createMany({
    data: Array.from({ length: 10 }, (_, i) => ({ shop: SHOP, lineAccountId: account.id, code: `vitalsAction${i}`, name: `クーポン ${i + 1}`, targetUrl: "https://tokyo-tea.example/coupon", actions: { addTagIds: [tags[i].id], removeTagIds: [] }, clicks: i * 13 })),
  });

  const broadcasts = [];
  for (let i = 0; i < 30; i += 1) {
    const sent = i % 3 !== 0;
    broadcasts.push(
      await db.broadcast.create({
        data: {
          shop: SHOP, lineAccountId: account.id, name: `配信 ${i + 1}`, messages: [{ type: "text", text: `新茶のご案内 ${i + 1} https://tokyo-tea.example/new` }],
          audience: { type: "all" }, utmParams: "utm_source=line&utm_medium=broadcast", status: sent ? "sent" : "draft",
          recipients: sent ? 900 : 0, batches: sent ? 1 : 0, startedAt: sent ? new Date(Date.now() - i * DAY) : null,
          finishedAt: sent ? new Date(Date.now() - i * DAY + 60_000) : null, customAggregationUnit: `vitals${i}`,
        },
      }),
    );
  }

  const scenarioIds: string[] = [];
  for (let i = 0; i < 8; i += 1) {
    const saved = await saveScenario(SHOP, null, {
      name: `シナリオ ${i + 1}`,
      lineAccountId: account.id,
      trigger: { type: "follow", refollow: "ignore" },
      exitRules: [{ type: "blocked" }],
      steps: [
        { delay: { kind: "after", amount: 0, unit: "minutes", from: "start" }, messages: [{ type: "text", text: "{displayName}さん、友だち追加ありがとうございます！" }] },
        { delay: { kind: "after", amount: 3, unit: "days", from: "previous" }, messages: [{ type: "text", text: "VIP のお客様限定クーポン：TEA10" }], condition: { type: "hasTag", tagId: tags[0].id }, onConditionFail: "skip", actions: { addTagIds: [tags[1].id], removeTagIds: [] } },
        { delay: { kind: "dayAt", day: 7, time: "10:00" }, messages: [{ type: "text", text: "送料無料は今週末までです。" }] },
      ],
    });
    if ("errors" in saved) throw new Error(`scenario: ${JSON.stringify(saved.errors)}`);
    scenarioIds.push(saved.scenario.id);
    if (i % 2 === 0) await setScenarioStatus(SHOP, saved.scenario.id, "on");
  }

  const menuIds: string[] = [];
  for (const layout of ["full-6", "full-4", "compact-3"] as const) {
    const saved = await saveRichMenu(SHOP, null, menuInput(account.id, layout), menuImage(2500, layout.startsWith("compact") ? 843 : 1686));
    if ("errors" in saved) throw new Error(`rich menu: ${JSON.stringify(saved.errors)}`);
    menuIds.push(saved.menu.id);
  }

  const formIds: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    const saved = await saveForm(SHOP, null, {
      lineAccountId: account.id,
      title: `お茶の好みアンケート ${i + 1}`,
      description: "1分で終わります。",
      oneAnswerPerFriend: true,
      fields: [
        formField.parse({ id: "tea", type: "singleChoice", label: "好きなお茶", required: true, choices: [{ id: "sencha", label: "煎茶" }, { id: "hojicha", label: "ほうじ茶" }] }),
        formField.parse({ id: "note", type: "longText", label: "ご意見" }),
      ],
    });
    if (!saved.ok) throw new Error(`form: ${JSON.stringify(saved)}`);
    formIds.push(saved.id);
  }
  await db.formAnswer.createMany({
    data: rows.slice(0, 300).map((friend, i) => ({ shop: SHOP, formId: formIds[0], lineAccountId: account.id, friendId: friend.id, values: { tea: i % 2 ? "sencha" : "hojicha", note: "美味しかったです" } })),
  });

  // Abandoned carts with reminders in every state.
  for (let i = 0; i < 120; i += 1) {
    const checkout = await db.checkout.create({
      data: { shop: SHOP, token: `vitals-${i}`, currency: "JPY", totalPrice: String(1980 + i * 10), lineItems: [], startedAt: new Date(Date.now() - i * 3_600_000), shopifyUpdatedAt: new Date() },
    });
    const status = ["scheduled", "sent", "skipped", "sent"][i % 4];
    await db.cartReminder.create({
      data: {
        shop: SHOP, lineAccountId: account.id, checkoutId: checkout.id, friendId: rows[i].id, matchedBy: "cart", retryKey: `vitals-key-${i}`,
        dueAt: new Date(Date.now() - i * 3_600_000), status, sentAt: status === "sent" ? new Date(Date.now() - i * 3_600_000) : null,
        skipReason: status === "skipped" ? "blocked" : null,
      },
    });
  }
  console.log("seeded");
  return {
    friend: rows[0].id,
    emojiFriend: rows[17].id,
    segment: (await db.segment.findFirstOrThrow({ where: { shop: SHOP } })).id,
    broadcastDraft: broadcasts[0].id,
    broadcastSent: broadcasts[1].id,
    scenario: scenarioIds[0],
    richMenu: menuIds[0],
    form: formIds[0],
  };
}

function pagesOf(ids: Ids): string[] {
  const all = [
    "/app", "/app/accounts", "/app/inbox", "/app/friends", `/app/friends/${ids.friend}`, `/app/friends/${ids.emojiFriend}`,
    "/app/tags", "/app/segments", `/app/segments/${ids.segment}`, "/app/greeting", "/app/auto-replies",
    "/app/broadcasts", `/app/broadcasts/${ids.broadcastDraft}`, `/app/broadcasts/${ids.broadcastSent}/results`,
    "/app/scenarios", `/app/scenarios/${ids.scenario}`, `/app/scenarios/${ids.scenario}/results`,
    "/app/rich-menus", `/app/rich-menus/${ids.richMenu}`, "/app/rich-menus/rules", "/app/action-links", "/app/tracking-links",
    "/app/abandoned-cart", "/app/abandoned-cart/analytics", "/app/revenue", "/app/forms", `/app/forms/${ids.form}`,
    `/app/forms/${ids.form}/answers`, "/app/notifications",
  ];
  const only = process.env.BENCH_PAGES?.split(",").filter(Boolean);
  return only ? all.filter((page) => only.some((part) => page.includes(part))) : all;
}

// ---------------------------------------------------------------- measuring one load

type Load = { status: number; lcp: number; cls: number; interaction: number; control: string; jsBytesBr: number; hydrationErrors: string[]; errors: string[] };

// Runs in the page before any of its scripts.
const OBSERVE = () => {
  const vitals = { lcp: 0, cls: 0, events: [] as { name: string; duration: number; interactionId: number }[], firstInput: 0 };
  (window as unknown as { __vitals: typeof vitals }).__vitals = vitals;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) vitals.lcp = entry.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[]) {
      if (!entry.hadRecentInput) vitals.cls += entry.value;
    }
  }).observe({ type: "layout-shift", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as (PerformanceEntry & { interactionId: number })[]) {
      vitals.events.push({ name: entry.name, duration: entry.duration, interactionId: entry.interactionId });
    }
  }).observe({ type: "event", buffered: true, durationThreshold: 16 } as PerformanceObserverInit);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) vitals.firstInput = Math.max(vitals.firstInput, entry.duration);
  }).observe({ type: "first-input", buffered: true });
};

// A control a merchant would use first: a tab, a disclosure, a text field, else any button of the page.
const CONTROLS = [
  "main [role=tab]",
  "main button[aria-expanded]",
  "main input[type=text], main input[type=search], main textarea",
  "main button",
  "button",
];

async function firstControl(page: Page) {
  for (const selector of CONTROLS) {
    const candidates = page.locator(selector);
    const count = Math.min(await candidates.count(), 10);
    for (let i = 0; i < count; i += 1) {
      const candidate = candidates.nth(i);
      if ((await candidate.isVisible()) && (await candidate.isEnabled())) return { locator: candidate, selector };
    }
  }
  return null;
}

async function measure(context: BrowserContext, url: string, countBytes: boolean): Promise<Load> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLE });
  const hydrationErrors: string[] = [];
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    record(message.text());
  });
  page.on("pageerror", (error) => record(error.message));
  // React repeats the same error for every mismatching boundary: count distinct ones per load, shortened.
  function record(text: string) {
    const short = /Minified React error #\d+/.exec(text)?.[0] ?? text.slice(0, 160);
    const list = HYDRATION_ERROR.test(text) ? hydrationErrors : errors;
    if (!list.includes(short)) list.push(short);
  }
  const scripts: Promise<number>[] = [];
  if (countBytes) {
    const origin = new URL(url).origin;
    page.on("response", (response) => {
      if (response.request().resourceType() !== "script" || !response.url().startsWith(origin)) return;
      scripts.push(
        response.body().then(
          (body) => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
          () => 0,
        ),
      );
    });
  }
  await page.addInitScript(OBSERVE);
  const response = await page.goto(url, { waitUntil: "load", timeout: 120_000 });
  const control = await firstControl(page);
  let interaction = 0;
  if (control) {
    // No actionability wait beyond visibility: the click lands while the page may still be hydrating.
    await control.locator.click({ timeout: 30_000, noWaitAfter: true, trial: false }).catch(() => {});
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
  await page.waitForTimeout(500);
  const vitals = await page.evaluate(() => (window as unknown as { __vitals: { lcp: number; cls: number; events: { duration: number; interactionId: number }[]; firstInput: number } }).__vitals);
  if (control) interaction = Math.max(vitals.firstInput, ...vitals.events.filter((event) => event.interactionId > 0).map((event) => event.duration), 0);
  await page.waitForLoadState("networkidle", { timeout: 30_000 }).catch(() => {});
  const jsBytesBr = (await Promise.all(scripts)).reduce((sum, bytes) => sum + bytes, 0);
  await page.close();
  return { status: response?.status() ?? 0, lcp: vitals.lcp, cls: vitals.cls, interaction, control: control?.selector ?? "none", jsBytesBr, hydrationErrors, errors };
}

// ---------------------------------------------------------------- the run

export async function run() {
  await runBenchmark(async (port, fake) => {
    const env = benchEnvironment(
      { port, fake, databaseUrl: DATABASE_URL, queuePrefix: `bench-vitals-${new URL(DATABASE_URL).pathname.slice(1)}` },
      // The shopify-api test helpers sign session tokens with these.
      { SHOPIFY_API_KEY: API_KEY, SHOPIFY_API_SECRET: API_SECRET_KEY, SHOPIFY_APP_URL: APP_URL, SCOPES, LOG_LEVEL: "warn" },
    );
    await prepareDatabase(env);
    const ids = await seed(fake);
    const { url } = await startWeb(port, env);
    const { launchBrowser, DESKTOP_USER_AGENT } = await import("../support/browser");
    const { adminRequest, sessionToken } = await import("../support/shopify");
    const appBridge = readFileSync(path.resolve("tests/support/app-bridge-stub.js"), "utf8");
    const browser = await launchBrowser();
    const token = await sessionToken(SHOP);
    const pages = pagesOf(ids);
    console.log(`admin-vitals: ${pages.length} pages × ${RUNS} cold loads at ×${THROTTLE} CPU, locale ${LOCALE}, load average ${loadAverage()}`);
    type Row = { page: string; lcp: number; cls: number; inp: number; js: number; hydration: number; problems: string[] };
    const results: Row[] = [];
    try {
      for (const pagePath of pages) {
        const admin = new URL((await adminRequest(pagePath, { locale: LOCALE, shop: SHOP })).url);
        const target = `${url}${admin.pathname}${admin.search}`;
        const loads: Load[] = [];
        for (let run = 0; run < RUNS; run += 1) {
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, userAgent: DESKTOP_USER_AGENT });
          await context.route(/^https:\/\/cdn\.shopify\.com\//, (route) =>
            route.fulfill({ status: 200, contentType: "text/javascript", body: new URL(route.request().url()).pathname === "/shopifycloud/app-bridge.js" ? appBridge : "" }),
          );
          // App Bridge adds the session token to the app's own fetches; the stand-in does not.
          await context.route(`${url}/**`, (route) =>
            route.request().resourceType() === "fetch" ? route.continue({ headers: { ...route.request().headers(), authorization: `Bearer ${token}` } }) : route.continue(),
          );
          try {
            loads.push(await measure(context, target, run === 0));
          } finally {
            await context.close();
          }
        }
        const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
        const row: Row = {
          page: pagePath.replace(/\/c[a-z0-9]{20,}|\/[A-Za-z0-9_-]{20,}/g, "/:id"),
          lcp: Math.round(percentile(sorted(loads.map((l) => l.lcp)), 75)),
          cls: round(Math.max(...loads.map((l) => l.cls)), 3),
          inp: Math.round(percentile(sorted(loads.map((l) => l.interaction)), 75)),
          js: round(loads[0].jsBytesBr / 1024, 1),
          hydration: loads.reduce((sum, l) => sum + l.hydrationErrors.length, 0),
          problems: [
            ...new Set([
              ...loads.filter((l) => l.status !== 200).map((l) => `status ${l.status}`),
              ...loads.flatMap((l) => l.hydrationErrors),
              ...loads.flatMap((l) => l.errors),
            ]),
          ].slice(0, 3),
        };
        results.push(row);
        const note = pagePath === row.page ? "" : ` (${pagePath.includes(ids.emojiFriend) ? "emoji name" : "seeded"})`;
        console.log(
          `${(row.page + note).padEnd(44)} lcp_p75 ${String(row.lcp).padStart(5)} ms  cls ${row.cls.toFixed(3)}  first-interaction_p75 ${String(row.inp).padStart(4)} ms` +
            ` (${loads[0].control})  js ${row.js.toFixed(1).padStart(6)} KB br  hydration_errors ${row.hydration}${row.problems.length ? `  ! ${row.problems.join(" | ")}` : ""}`,
        );
      }
    } finally {
      await browser.close();
    }
    console.log(`load average after: ${loadAverage()}`);
    if (results.some((row) => row.problems.some((problem) => problem.startsWith("status")))) process.exitCode = 1;
    const max = (pick: (row: Row) => number) => Math.max(...results.map(pick));
    console.log(
      JSON.stringify({
        pages: results.length,
        lcp_p75_ms_max: max((r) => r.lcp),
        cls_max: max((r) => r.cls),
        inp_p75_ms_max: max((r) => r.inp),
        js_kb_br_max: max((r) => r.js),
        hydration_errors: results.reduce((sum, r) => sum + r.hydration, 0),
      }),
    );
  });
}

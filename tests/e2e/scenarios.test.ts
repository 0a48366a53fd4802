// The step scenario pages in headless Chromium, served by the real web process: the list with its switch, the
// timeline editor of a scenario with runs in flight (and its validation errors), the per-step results, a new
// scenario made through the page, and the friend page's runs with "stop this run", in Japanese and English at
// 1280 and 390 pixels. Runs and their steps are seeded as the engine leaves them. Screenshots go to tests/output/.
import { Prisma } from "@prisma/client";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveScenario, setScenarioStatus, startScenarioForFriend } from "~/scenarios/scenarios.server";
import { sessionStorage } from "~/shopify.server";
import { adminBrowser, emptyStateIllustrationShown, screenshot, waitForToast } from "../support/browser";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount } from "../support/line";
import { offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const EMPTY_SHOP = "scenarios-empty.myshopify.com";
const WIDTHS = [1280, 390] as const;
const HOUR = 3_600_000;
let welcomeId = "";
let hanakoId = "";
let hanakoRunId = "";

async function saved(input: Record<string, unknown>) {
  const result = await saveScenario(SHOP, null, input);
  if ("errors" in result) throw new Error(JSON.stringify(result.errors));
  return result.scenario;
}

async function seed() {
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  await createShop(db, { shop: EMPTY_SHOP });
  await sessionStorage.storeSession(offlineSession());
  await sessionStorage.storeSession(offlineSession(EMPTY_SHOP));
  const { account } = await connectedAccount(db, SHOP, { displayName: "Tokyo Tea", accessToken: true });
  await connectedAccount(db, EMPTY_SHOP, { displayName: "Empty Tea" });
  const [vip, buyer] = await Promise.all(["VIP", "購入者"].map((name) => db.tag.create({ data: { shop: SHOP, name } })));
  await db.segment.create({ data: { shop: SHOP, name: "VIP の友だち", definition: { match: "all", groups: [{ match: "all", conditions: [{ field: "tags", match: "any", tagIds: [vip.id] }] }] } } });
  const names = ["佐藤 花子", "鈴木 健", "高橋 美咲", "田中 翔", "Emily Chen", "伊藤 葵"];
  const friends = [];
  for (const displayName of names) friends.push(await createFriend(db, account, { displayName }));
  hanakoId = friends[0].id;
  await db.friendTag.createMany({ data: friends.slice(0, 3).map((f) => ({ shop: SHOP, friendId: f.id, tagId: vip.id })) });

  const welcome = await saved({
    name: "ウェルカムシナリオ",
    lineAccountId: account.id,
    trigger: { type: "follow", refollow: "ignore" },
    exitRules: [{ type: "blocked" }, { type: "ordered" }, { type: "tagAdded", tagId: buyer.id }],
    utmParams: "utm_source=line&utm_medium=step&utm_campaign=welcome",
    steps: [
      { delay: { kind: "after", amount: 0, unit: "minutes", from: "start" }, messages: [{ type: "text", text: "{displayName}さん、友だち追加ありがとうございます！\n新茶の季節です 🍵 https://tokyo-tea.example/new" }] },
      {
        delay: { kind: "after", amount: 3, unit: "days", from: "previous" },
        messages: [
          { type: "text", text: "VIP のお客様限定クーポン：TEA10" },
          { type: "products", buttonLabel: "購入する", products: [{ productId: "gid://shopify/Product/1", title: "煎茶 八十八夜 100g", price: "1980", currency: "JPY", imageUrl: null, url: "https://tokyo-tea.example/products/sencha" }] },
        ],
        condition: { type: "hasTag", tagId: vip.id },
        onConditionFail: "skip",
        actions: { addTagIds: [buyer.id], removeTagIds: [] },
      },
      { delay: { kind: "dayAt", day: 7, time: "10:00" }, messages: [{ type: "text", text: "まだ迷っていますか？送料無料は今週末までです。" }], condition: { type: "notOrdered" }, onConditionFail: "end" },
    ],
  });
  welcomeId = welcome.id;
  await saved({ name: "購入後フォロー", lineAccountId: account.id, trigger: { type: "order", first: true }, steps: [{ delay: { kind: "after", amount: 2, unit: "days", from: "start" }, messages: [{ type: "text", text: "ご購入ありがとうございました。" }] }] });
  await setScenarioStatus(SHOP, welcome.id, "on");
  const manual = await saved({ name: "再入荷のお知らせ", lineAccountId: account.id, trigger: { type: "manual" }, allowReentry: true, steps: [{ delay: { kind: "after", amount: 0, unit: "minutes", from: "start" }, messages: [{ type: "text", text: "お待たせしました、再入荷です。" }] }] });
  await setScenarioStatus(SHOP, manual.id, "on");

  // Runs as the engine leaves them: four in flight at different steps, one finished, one stopped.
  const [step1, step2] = welcome.steps;
  const now = Date.now();
  for (const [i, friend] of friends.entries()) {
    const started = await startScenarioForFriend(SHOP, welcome.id, friend.id);
    if (!("runId" in started)) throw new Error(JSON.stringify(started));
    if (i === 0) hanakoRunId = started.runId;
    const startedAt = new Date(now - (i + 1) * 26 * HOUR);
    const delivery = await db.delivery.create({
      data: { shop: SHOP, lineAccountId: account.id, kind: "step", channel: "push", sourceId: started.runId, recipients: [friend.lineUserId], friendId: friend.id, messages: [], dueAt: startedAt, status: "sent", sentAt: startedAt },
    });
    await db.scenarioRunStep.create({ data: { shop: SHOP, runId: started.runId, stepId: step1.id, status: "queued", deliveryId: delivery.id, dueAt: startedAt, createdAt: startedAt } });
    const run = { startedAt, lastStepAt: startedAt, nextPosition: 1, nextDueAt: new Date(startedAt.getTime() + 72 * HOUR) };
    if (i === 3) await db.scenarioRunStep.create({ data: { shop: SHOP, runId: started.runId, stepId: step2.id, status: "waiting", dueAt: run.nextDueAt } });
    if (i === 4) {
      await db.scenarioRunStep.create({ data: { shop: SHOP, runId: started.runId, stepId: step2.id, status: "skipped", reason: "condition", dueAt: run.nextDueAt } });
      Object.assign(run, { status: "finished", endReason: "scenarios.end.finished", endedAt: new Date(now - HOUR), nextPosition: 3, nextDueAt: null });
    }
    if (i === 5) Object.assign(run, { status: "stopped", endReason: "scenarios.end.stoppedByStaff", endedAt: new Date(now - 2 * HOUR), nextDueAt: null });
    await db.scenarioRun.update({ where: { id: started.runId }, data: run });
  }
  await db.linkClick.createMany({ data: friends.slice(0, 3).map((f) => ({ shop: SHOP, friendId: f.id, kind: "step", sourceId: step1.id })) });
  const order = await db.order.create({ data: { shop: SHOP, orderId: "5001", currency: "JPY", totalPrice: new Prisma.Decimal("4280"), processedAt: new Date() } });
  await db.orderAttribution.create({ data: { shop: SHOP, orderRef: order.id, friendId: friends[1].id, kind: "step", sourceId: step1.id, rule: "click", touchedAt: new Date(), currency: "JPY", revenue: new Prisma.Decimal("4280") } });
}

const admin = adminBrowser({ seed, timeout: 120_000 });

async function atWidths(page: Page, name: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(100);
    await screenshot(page, `${name}-${width}`);
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe("step scenario pages in Chromium", () => {
  it("lists scenarios with their switch and figures, and explains them on an empty shop", async () => {
    for (const locale of ["ja", "en"] as const) {
      const { page, errors } = await admin.open("/app/scenarios", locale);
      await page.getByText("ウェルカムシナリオ").waitFor();
      await page.getByText(locale === "ja" ? "友だち追加" : "Friend added", { exact: true }).waitFor();
      await atWidths(page, `scenarios-list-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
    const { page } = await admin.open("/app/scenarios", "en");
    await page.getByRole("button", { name: "Turn on 購入後フォロー" }).click();
    await waitForToast(page, "購入後フォロー is on.");
    expect((await db.scenario.findFirstOrThrow({ where: { shop: SHOP, name: "購入後フォロー" } })).status).toBe("on");
    await page.getByRole("button", { name: "Turn off 購入後フォロー" }).click();
    await waitForToast(page, "購入後フォロー is off. Its runs in progress were stopped.");
    expect((await db.scenario.findFirstOrThrow({ where: { shop: SHOP, name: "購入後フォロー" } })).status).toBe("off");

    const empty = await admin.open("/app/scenarios", "ja", { shop: EMPTY_SHOP });
    await empty.page.getByText("最初のステップ配信を作成しましょう").waitFor();
    await emptyStateIllustrationShown(empty.page);
    await screenshot(empty.page, "scenarios-empty-ja-1280");
  });

  it("shows the timeline of a scenario with runs in flight, and what an edit does to them", async () => {
    for (const locale of ["ja", "en"] as const) {
      const { page, errors } = await admin.open(`/app/scenarios/${welcomeId}`, locale);
      await page.getByText(locale === "ja" ? "4件が進行中です" : "Runs in progress: 4").waitFor();
      await page.getByText(locale === "ja" ? "7日目の10:00" : "Day 7 at 10:00").waitFor();
      await page.getByTestId("step-preview-1").getByTestId("flex-bubble").waitFor();
      await atWidths(page, `scenarios-editor-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
    const { page, errors } = await admin.open(`/app/scenarios/${welcomeId}`, "ja");
    await page.getByTestId("timeline-step-1").getByRole("button", { name: "編集" }).click();
    await page.getByText("送信する条件").waitFor();
    await screenshot(page, "scenarios-editor-step-open-ja-1280");
    await page.getByRole("button", { name: "ステップ 3 を削除" }).click();
    await page.getByText("保存済みのステップを1個削除しようとしています", { exact: false }).waitFor();
    await page.getByLabel("名前", { exact: true }).fill("");
    await page.locator("ui-save-bar button", { hasText: /^保存$/ }).click();
    await page.getByText("100文字以内で名前を入力してください").waitFor();
    await page.getByText("1件の項目を確認してください").waitFor();
    await atWidths(page, "scenarios-editor-errors-ja");
    expect((await db.scenario.findUniqueOrThrow({ where: { id: welcomeId } })).name).toBe("ウェルカムシナリオ");
    expect(await db.scenarioStep.count({ where: { scenarioId: welcomeId, deletedAt: null } })).toBe(3);
    expect(errors).toEqual([]);
  });

  it("makes a new scenario through the page", async () => {
    const { page, errors } = await admin.open("/app/scenarios/new", "en");
    await page.getByLabel("Name", { exact: true }).fill("Cart follow-up");
    await page.getByRole("combobox", { name: "Trigger" }).selectOption("manual");
    await page.locator("ui-save-bar button", { hasText: /^Save$/ }).click();
    await page.getByText("Enter the text, or remove the message.").first().waitFor();
    await page.getByText("Fix the marked fields (1)").waitFor();
    await screenshot(page, "scenarios-new-errors-en-1280");
    await page.getByRole("textbox", { name: "Text", exact: true }).fill("Your cart is waiting: https://tokyo-tea.example/cart");
    await page.locator("ui-save-bar button", { hasText: /^Save$/ }).click();
    await page.waitForURL(/\/app\/scenarios\/(?!new)[^/?]+/);
    await page.getByRole("heading", { name: "Cart follow-up" }).waitFor();
    await page.getByRole("button", { name: "Turn on" }).waitFor();
    const made = await db.scenario.findFirstOrThrow({ where: { shop: SHOP, name: "Cart follow-up" }, include: { steps: true } });
    expect(made).toMatchObject({ status: "off", trigger: { type: "manual" } });
    expect(made.steps).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("shows each step's results: sent, waiting, skipped with the reason, clicks and revenue", async () => {
    for (const locale of ["ja", "en"] as const) {
      const { page, errors } = await admin.open(`/app/scenarios/${welcomeId}/results`, locale);
      await page.getByText(locale === "ja" ? "スキップ：ステップの条件を満たさなかったため" : "Skipped: The step's condition was not met").waitFor();
      await page.getByText(locale === "ja" ? "注文1件、￥4,280" : "Orders: 1, ¥4,280").waitFor();
      await atWidths(page, `scenarios-results-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("shows the friend's runs on the friend page and stops one", async () => {
    for (const locale of ["ja", "en"] as const) {
      const { page, errors } = await admin.open(`/app/friends/${hanakoId}`, locale);
      await page.getByText(locale === "ja" ? "次：ステップ 2/3" : "Next: step 2 of 3", { exact: false }).waitFor();
      await atWidths(page, `scenarios-friend-${locale}`);
      expect(errors).toEqual([]);
      await page.close();
    }
    const { page, errors } = await admin.open(`/app/friends/${hanakoId}`, "en");
    await page.getByRole("button", { name: "Stop this run" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Stop this run" }).click();
    await page.getByText("Stopped by staff", { exact: false }).waitFor();
    expect(await db.scenarioRun.findUniqueOrThrow({ where: { id: hanakoRunId } })).toMatchObject({ status: "stopped", endReason: "scenarios.end.stoppedByStaff" });
    await screenshot(page, "scenarios-friend-stopped-en-1280");
    await page.getByRole("combobox", { name: "Start a scenario for this friend" }).selectOption({ label: "再入荷のお知らせ" });
    await page.getByRole("button", { name: "Start", exact: true }).click();
    await page.getByText("Next: step 1 of 1", { exact: false }).waitFor();
    expect(await db.scenarioRun.count({ where: { friendId: hanakoId, status: "active", scenario: { name: "再入荷のお知らせ" } } })).toBe(1);
    expect(errors).toEqual([]);
  });

  it("starts a scenario for a segment from its page, leaving out friends already in it", async () => {
    const manual = await db.scenario.findFirstOrThrow({ where: { shop: SHOP, name: "再入荷のお知らせ" } });
    const { page, errors } = await admin.open(`/app/scenarios/${manual.id}`, "ja");
    await page.getByRole("button", { name: "このセグメントで開始" }).click();
    await page.getByRole("dialog").getByText("セグメント「VIP の友だち」のメッセージを受け取れる友だち全員", { exact: false }).waitFor();
    await screenshot(page, "scenarios-start-segment-ja-1280");
    await page.getByRole("dialog").getByRole("button", { name: "このセグメントで開始" }).click();
    // Three VIP friends; 佐藤 花子 is already in it (started from her page).
    await waitForToast(page, "2人の友だちで開始しました。");
    expect(await db.scenarioRun.count({ where: { scenarioId: manual.id, status: "active" } })).toBe(3);
    expect(errors).toEqual([]);
  });
});

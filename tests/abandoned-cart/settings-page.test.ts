// The かご落ちLINE settings page through its loader and action (signed admin requests, real database, the LINE
// fake): validation keys, saving, cancelling on "off", and "send a test to me".
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { getSettings } from "~/abandoned-cart/settings.server";
import { DEFAULT_REMINDER_SETTINGS } from "~/abandoned-cart/settings";
import { messages } from "~/i18n/messages";
import { previewMessage } from "~/abandoned-cart/preview";
import { action, loader } from "~/routes/app.abandoned-cart";
import { sessionStorage } from "~/shopify.server";
import { cartReminderQueue } from "../../jobs/queues";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "other-shop.myshopify.com";

const call = <T>(fn: (args: never) => Promise<T>, request: Request) => fn({ request, params: {}, context: {} } as never);

type PageData = Extract<Awaited<ReturnType<typeof loader>>, { kind: "page" }>;

async function load(query = "") {
  return (await call(loader, await adminRequest(`/app/abandoned-cart${query}`))) as Awaited<ReturnType<typeof loader>>;
}

async function page(query = ""): Promise<PageData> {
  const data = await load(query);
  if (data.kind !== "page") throw new Error(`expected the settings page, got ${data.kind}`);
  return data;
}

const valid: Record<string, string | string[]> = {
  enabled: "true",
  delayMinutes: "360",
  tagsToAdd: ["かご落ち送信済み", "VIP"],
  tagsToRemove: ["カート放置"],
  title: "お忘れではありませんか？",
  body: "カートに商品が残っています。",
  moreItemsText: "ほか{count}点",
  buttonText: "カートを見る",
  headerColor: "#ff5500",
  buttonColor: "#0a7d3b",
  queryParams: "utm_source=line&utm_medium=abandoned_cart&utm_campaign=spring",
  quietHoursEnabled: "true",
  quietStart: "21:00",
  quietEnd: "09:00",
  attributionDays: "14",
};

async function post(fields: Record<string, string | string[] | Blob | undefined>) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value instanceof Blob) body.append(key, value);
    else for (const item of [value].flat()) body.append(key, item);
  }
  const response = (await call(action, await adminRequest("/app/abandoned-cart", { method: "POST", body }))) as Response;
  return { status: response.status, body: (await response.json()) as { ok: boolean; errors: Record<string, string>; cancelled?: number; detail?: string | null } };
}

let account: Awaited<ReturnType<typeof connectedAccount>>["account"];
let channelId: string;

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
});

beforeEach(async () => {
  await db.lineAccount.deleteMany();
  await db.checkout.deleteMany();
  await cartReminderQueue().obliterate({ force: true });
  lineFake().reset();
  const connected = await connectedAccount(db, SHOP, { displayName: "Tokyo Tea" });
  account = connected.account;
  channelId = connected.channel.channelId;
});

describe("loader", () => {
  it("offers the accounts page when no account is connected", async () => {
    await db.lineAccount.deleteMany();
    await createLineAccount(db, SHOP, { status: "disconnected" });
    await createLineAccount(db, OTHER);
    expect(await load()).toEqual({ kind: "none" });
  });

  it("shows defaults, the built-in sample cart and the following friends; searches them by name", async () => {
    await createFriend(db, account, { displayName: "山田 花子" });
    await createFriend(db, account, { displayName: "山田 太郎", followStatus: "blocked" });
    await createFriend(db, account, { displayName: "山田 次郎", operatorBlockedAt: new Date() });
    await createFriend(db, account, { displayName: "佐藤 健" });
    const data = await page();
    expect(data.selectedId).toBe(account.id);
    expect(data.settings).toMatchObject({ ...DEFAULT_REMINDER_SETTINGS, saved: false });
    expect(data.cart).toMatchObject({ source: "sample", currency: "JPY", totalPrice: "6200" });
    expect(data.cart.items).toHaveLength(3);
    expect(data.friends.map((f) => f.displayName)).toEqual(["佐藤 健", "山田 花子"]);
    expect(data.timeZone).toBe("Asia/Tokyo");
    expect(data.quota).toEqual({ exhausted: false, since: null });

    expect(await load(`?account=${account.id}&friendQuery=山田`)).toEqual({
      kind: "friends",
      friends: [expect.objectContaining({ displayName: "山田 花子" })],
    });
    expect(await load(`?account=${account.id}&friendQuery=100%25`)).toEqual({ kind: "friends", friends: [] });
  });
});

describe("saving", () => {
  it("saves the settings and reads them back", async () => {
    expect(await post({ intent: "save", lineAccountId: account.id, ...valid })).toEqual({
      status: 200,
      body: { ok: true, intent: "save", errors: {}, cancelled: 0 },
    });
    expect(await getSettings(SHOP, account.id)).toMatchObject({
      saved: true,
      enabled: true,
      delayMinutes: 360,
      tagsToAdd: ["かご落ち送信済み", "VIP"],
      tagsToRemove: ["カート放置"],
      headerColor: "#FF5500",
      buttonColor: "#0A7D3B",
      quietHoursEnabled: true,
      quietStart: "21:00",
      attributionDays: 14,
    });
    const data = await page();
    expect(data.settings).toMatchObject({ title: "お忘れではありませんか？", queryParams: valid.queryParams });
  });

  const tenPairs = Array.from({ length: 11 }, (_, i) => `k${i}=v`).join("&");
  const cases: Array<[string, Record<string, string | string[] | Blob>, string, string]> = [
    ["enabled", { enabled: new Blob(["x"]) }, "enabled", "cart.error.enabled"],
    ["delay", { delayMinutes: "30" }, "delayMinutes", "cart.error.delayMinutes"],
    ["too many tags", { tagsToAdd: Array.from({ length: 11 }, (_, i) => `t${i}`) }, "tagsToAdd", "cart.error.tagCount"],
    ["long tag", { tagsToRemove: ["x".repeat(51)] }, "tagsToRemove", "cart.error.tagName"],
    ["tag both ways", { tagsToAdd: ["VIP"], tagsToRemove: ["VIP"] }, "tagsToRemove", "cart.error.tagConflict"],
    ["title", { title: "  " }, "title", "cart.error.title"],
    ["body", { body: "あ".repeat(501) }, "body", "cart.error.body"],
    ["3rd-item text", { moreItemsText: "" }, "moreItemsText", "cart.error.moreItemsText"],
    ["button text", { buttonText: "x".repeat(21) }, "buttonText", "cart.error.buttonText"],
    ["header colour", { headerColor: "green" }, "headerColor", "cart.error.headerColor"],
    ["button colour", { buttonColor: "#12345" }, "buttonColor", "cart.error.buttonColor"],
    ["query", { queryParams: "utm source=line" }, "queryParams", "cart.error.queryParams"],
    ["query pairs", { queryParams: tenPairs }, "queryParams", "cart.error.queryParamsTooMany"],
    ["query repeat", { queryParams: "a=1&a=2" }, "queryParams", "cart.error.queryParamsDuplicate"],
    ["query length", { queryParams: `k=${"v".repeat(299)}` }, "queryParams", "cart.error.queryParamsTooLong"],
    ["quiet switch", { quietHoursEnabled: new Blob(["x"]) }, "quietHoursEnabled", "cart.error.quietHoursEnabled"],
    ["quiet time", { quietStart: "25:00" }, "quietStart", "cart.error.quietTime"],
    ["quiet window", { quietStart: "09:00", quietEnd: "09:00" }, "quietEnd", "cart.error.quietSame"],
    ["attribution", { attributionDays: "31" }, "attributionDays", "cart.error.attributionDays"],
  ];

  it("answers 422 with every validation key of settings.ts on its field, and each key is translated", async () => {
    const reached = new Set<string>();
    for (const [name, overrides, field, key] of cases) {
      const { status, body } = await post({ intent: "save", lineAccountId: account.id, ...valid, ...overrides });
      expect({ name, status, error: body.errors[field] }).toEqual({ name, status: 422, error: key });
      reached.add(key);
    }
    // Every field message the dictionary offers is reached by a case, and every reached one is translated. The
    // rest are the page's own messages and the per-field fallback for an issue without a message of its own.
    const notFieldChecks = ["account", "fields", "form", "intent", "quietEnd", "quietStart", "tagsToAdd", "tagsToRemove"];
    const offered = Object.keys(messages.en).filter(
      (key) => key.startsWith("cart.error.") && !notFieldChecks.includes(key.slice("cart.error.".length)),
    );
    expect(offered.sort()).toEqual([...reached].sort());
    for (const key of reached) {
      expect(messages.en, key).toHaveProperty([key]);
      expect(messages.ja, key).toHaveProperty([key]);
    }
    expect(await db.cartReminderSettings.count()).toBe(0);
  });

  it("refuses an account of another shop or a disconnected one, and an unknown intent", async () => {
    const theirs = await createLineAccount(db, OTHER);
    const gone = await createLineAccount(db, SHOP, { status: "disconnected" });
    for (const id of [theirs.id, gone.id, "no-such-account"]) {
      expect(await post({ intent: "save", lineAccountId: id, ...valid })).toMatchObject({ status: 422, body: { errors: { form: "cart.error.account" } } });
    }
    expect(await post({ intent: "nope", lineAccountId: account.id, ...valid })).toMatchObject({ status: 400, body: { errors: { form: "cart.error.intent" } } });
    expect(await db.cartReminderSettings.count()).toBe(0);
  });

  it("turning reminders off cancels this account's scheduled reminders and says how many", async () => {
    const other = (await connectedAccount(db, SHOP)).account;
    const friend = await createFriend(db, account);
    const otherFriend = await createFriend(db, other);
    let n = 0;
    const reminder = async (lineAccountId: string, friendId: string, status: string) => {
      n += 1;
      const checkout = await db.checkout.create({
        data: { shop: SHOP, token: `tok-off-${n}`, currency: "JPY", totalPrice: "1000", lineItems: [], startedAt: new Date(), shopifyUpdatedAt: new Date() },
      });
      return db.cartReminder.create({
        data: { shop: SHOP, lineAccountId, checkoutId: checkout.id, friendId, matchedBy: "cart", status, dueAt: new Date(Date.now() + 3_600_000), retryKey: `key-${n}` },
      });
    };
    await post({ intent: "save", lineAccountId: account.id, ...valid });
    const scheduled = [await reminder(account.id, friend.id, "scheduled"), await reminder(account.id, friend.id, "scheduled")];
    const sent = await reminder(account.id, friend.id, "sent");
    const elsewhere = await reminder(other.id, otherFriend.id, "scheduled");
    expect((await page()).scheduled).toBe(2);

    expect(await post({ intent: "save", lineAccountId: account.id, ...valid, enabled: "false" })).toMatchObject({
      status: 200,
      body: { ok: true, cancelled: 2 },
    });
    const status = async (id: string) => (await db.cartReminder.findUniqueOrThrow({ where: { id } })).status;
    expect(await Promise.all(scheduled.map((r) => status(r.id)))).toEqual(["cancelled", "cancelled"]);
    expect(await status(sent.id)).toBe("sent");
    expect(await status(elsewhere.id)).toBe("scheduled");
    expect((await getSettings(SHOP, account.id)).enabled).toBe(false);
    // Saving "off" again has nothing left to cancel.
    expect(await post({ intent: "save", lineAccountId: account.id, ...valid, enabled: "false" })).toMatchObject({ body: { cancelled: 0 } });
  });
});

describe("send a test to me", () => {
  const pushes = () => lineFake().sent(channelId).filter((d) => d.kind === "push");

  it("pushes the preview of the unsaved settings to the chosen friend, with a fresh retry key each time", async () => {
    const friend = await createFriend(db, account, { displayName: "山田 花子" });
    const unsaved = { ...valid, title: "テスト送信のタイトル" };
    expect(await post({ intent: "test", lineAccountId: account.id, friendId: friend.id, ...unsaved })).toEqual({
      status: 200,
      body: { ok: true, intent: "test", errors: {} },
    });
    const [push] = pushes();
    expect(push.to).toEqual([friend.lineUserId]);
    const { cart } = await page();
    const settings = { ...DEFAULT_REMINDER_SETTINGS, ...unsaved, headerColor: "#FF5500", buttonColor: "#0A7D3B" } as never;
    expect(push.messages).toEqual([previewMessage(cart, settings)]);
    expect(JSON.stringify(push.messages)).toContain("テスト送信のタイトル");
    expect(JSON.stringify(push.messages)).toContain("ほか1点");
    expect(JSON.stringify(push.messages)).toContain(`https://${SHOP}/cart?utm_source=line&utm_medium=abandoned_cart&utm_campaign=spring`);
    // Nothing was saved by the test.
    expect(await db.cartReminderSettings.count()).toBe(0);

    await post({ intent: "test", lineAccountId: account.id, friendId: friend.id, ...unsaved });
    const keys = pushes().map((d) => d.retryKey);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("refuses, with a reason key, a blocked friend, a friend staff blocked, another account's friend and invalid settings", async () => {
    const blocked = await createFriend(db, account, { followStatus: "blocked" });
    const staffBlocked = await createFriend(db, account, { operatorBlockedAt: new Date() });
    const other = (await connectedAccount(db, SHOP)).account;
    const theirs = await createFriend(db, other);
    const test = (friendId: string, extra: Record<string, string> = {}) =>
      post({ intent: "test", lineAccountId: account.id, friendId, ...valid, ...extra });
    expect(await test(blocked.id)).toEqual({ status: 422, body: { ok: false, intent: "test", errors: { test: "cart.test.reason.not-following" }, detail: null } });
    expect((await test(staffBlocked.id)).body.errors).toEqual({ test: "cart.test.reason.operator-blocked" });
    expect((await test(theirs.id)).body.errors).toEqual({ test: "cart.test.reason.friend" });
    expect((await test(blocked.id, { headerColor: "nope" })).body.errors).toEqual({ headerColor: "cart.error.headerColor" });
    expect(pushes()).toEqual([]);
    for (const reason of ["not-following", "operator-blocked", "friend", "quota", "rejected", "unavailable", "rateLimited"]) {
      expect(messages.ja, reason).toHaveProperty([`cart.test.reason.${reason}`]);
    }
  });

  it("turns LINE's errors into readable reasons: a 400 with LINE's message, the monthly quota, a 5xx", async () => {
    const invalid = await db.friend.create({ data: { shop: SHOP, lineAccountId: account.id, lineUserId: "Unot-a-real-user", followStatus: "following" } });
    const rejected = await post({ intent: "test", lineAccountId: account.id, friendId: invalid.id, ...valid });
    expect(rejected).toMatchObject({ status: 422, body: { errors: { test: "cart.test.reason.rejected" } } });
    expect(rejected.body.detail).toMatch(/^400 The property, 'to', in the request body is invalid/);

    const friend = await createFriend(db, account);
    await post({ intent: "save", lineAccountId: account.id, ...valid });
    lineFake().failNext(1, { status: 500, path: "/v2/bot/message/push" });
    const down = await post({ intent: "test", lineAccountId: account.id, friendId: friend.id, ...valid });
    expect(down).toMatchObject({ status: 422, body: { errors: { test: "cart.test.reason.unavailable" }, detail: expect.stringMatching(/^500/) } });

    lineFake().channel(channelId).quota = { type: "limited", value: 0 };
    const quota = await post({ intent: "test", lineAccountId: account.id, friendId: friend.id, ...valid });
    expect(quota).toMatchObject({ status: 422, body: { errors: { test: "cart.test.reason.quota" } } });
    expect((await page()).quota.exhausted).toBe(true);
    expect(pushes()).toEqual([]);
  });
});

// The rules a cart reminder is sent under, each checked where it can break: one reminder per checkout and LINE
// user (two accounts of one provider), the quota back-off and its clearing, the uninstalled shop, a purchase seen
// at send time or arriving between the read and the claim, and a claim older than LINE's retry-key window.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sendCartReminder, type SendOutcome } from "~/abandoned-cart/send.server";
import { quotaMonth } from "~/messaging/quota.server";
import { retryKeyFor } from "~/messaging/retry-key";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { waitUntil } from "../support/worker";

const HOUR = 3_600_000;
const noAdmin = async (): Promise<never> => {
  throw new Error("these carts need no product images");
};
const pushRequests = () => lineFake().requests.filter((request) => request.path === "/v2/bot/message/push");
const pushesTo = (channelId: string) => lineFake().sent(channelId).filter((delivery) => delivery.kind === "push");

type Account = Awaited<ReturnType<typeof connectedAccount>>;

async function shop() {
  return (await createShop(db, { timeZone: "Asia/Tokyo" })).shop;
}

async function account(shopDomain: string, settings: { quotaExhaustedAt?: Date } = {}) {
  const connected = await connectedAccount(db, shopDomain);
  await db.cartReminderSettings.create({ data: { lineAccountId: connected.account.id, shop: shopDomain, enabled: true, ...settings } });
  return connected;
}

function friendOf({ account: lineAccount }: Account, userId = lineUserId()) {
  return db.friend.create({ data: { shop: lineAccount.shop, lineAccountId: lineAccount.id, lineUserId: userId, followStatus: "following" } });
}

function checkoutIn(shopDomain: string, overrides: { completedAt?: Date; purchasedAt?: Date } = {}) {
  const token = `tok-${randomUUID()}`;
  return db.checkout.create({
    data: {
      shop: shopDomain, token, currency: "JPY", totalPrice: "1200", startedAt: new Date(Date.now() - 11 * HOUR), shopifyUpdatedAt: new Date(),
      recoveryUrl: `https://${shopDomain}/checkouts/${token}/recover`,
      lineItems: [{ productId: null, variantId: null, title: "煎茶", variantTitle: null, quantity: 1, price: "1200" }],
      ...overrides,
    },
  });
}

function reminderFor(friend: { id: string; shop: string; lineAccountId: string }, checkout: { id: string }, overrides: { status?: string; claimedAt?: Date; attempts?: number } = {}) {
  return db.cartReminder.create({
    data: {
      shop: friend.shop, lineAccountId: friend.lineAccountId, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart",
      dueAt: new Date(Date.now() - 60_000), retryKey: retryKeyFor(`cart-reminder:${friend.lineAccountId}:${checkout.id}`), ...overrides,
    },
  });
}

async function oneReminder(settings: { quotaExhaustedAt?: Date } = {}) {
  const domain = await shop();
  const connected = await account(domain, settings);
  const friend = await friendOf(connected);
  const checkout = await checkoutIn(domain);
  return { domain, ...connected, friend, checkout, reminder: await reminderFor(friend, checkout) };
}

const row = (id: string) => db.cartReminder.findUniqueOrThrow({ where: { id } });

/** True once a send's claim (its `UPDATE … SET status = 'sending'`) waits for a row lock the test holds. */
async function claimWaiting() {
  const [waiting] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%SET status = ''sending''%'`;
  return waiting.count > 0;
}

beforeEach(() => lineFake().reset());

describe("one reminder per checkout and LINE user", () => {
  async function twoAccountsOneShopper() {
    const domain = await shop();
    const [tokyo, osaka] = [await account(domain), await account(domain)];
    const userId = lineUserId(); // accounts of one LINE provider see the same user id
    const checkout = await checkoutIn(domain);
    const first = await reminderFor(await friendOf(tokyo, userId), checkout);
    const second = await reminderFor(await friendOf(osaka, userId), checkout);
    return { tokyo, osaka, userId, first, second };
  }

  it("lets only one of two accounts sending at the same moment push, and records why the other did not", async () => {
    const { tokyo, osaka, userId, first, second } = await twoAccountsOneShopper();
    const outcomes = await Promise.all([sendCartReminder(first.id, noAdmin), sendCartReminder(second.id, noAdmin)]);

    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["sent", "skipped"]);
    expect(outcomes).toContainEqual({ status: "skipped", reason: "already-reminded" });
    expect([...pushesTo(tokyo.channel.channelId), ...pushesTo(osaka.channel.channelId)].map((push) => push.to)).toEqual([[userId]]);
    const rows = await db.cartReminder.findMany({ where: { id: { in: [first.id, second.id] } } });
    expect(rows.map((r) => [r.status, r.skipReason]).sort()).toEqual([["sent", null], ["skipped", "already-reminded"]]);
  });

  it("skips the second account's reminder once the first was sent", async () => {
    const { osaka, first, second } = await twoAccountsOneShopper();
    expect(await sendCartReminder(first.id, noAdmin)).toEqual({ status: "sent" });
    expect(await sendCartReminder(second.id, noAdmin)).toEqual({ status: "skipped", reason: "already-reminded" });
    expect(pushesTo(osaka.channel.channelId)).toEqual([]);
    expect(pushRequests()).toHaveLength(1);
  });

  it("frees the shopper for the other account when LINE refused the first push", async () => {
    const { tokyo, osaka, first, second } = await twoAccountsOneShopper();
    tokyo.channel.quota = { type: "limited", value: 0 };
    expect(await sendCartReminder(first.id, noAdmin)).toEqual({ status: "skipped", reason: "quota-exhausted" });
    expect(await sendCartReminder(second.id, noAdmin)).toEqual({ status: "sent" });
    expect(pushesTo(tokyo.channel.channelId)).toEqual([]);
    expect(pushesTo(osaka.channel.channelId)).toHaveLength(1);
  });
});

describe("the monthly quota", () => {
  it("sends nothing, without asking LINE, while the account's quota is exhausted", async () => {
    const { reminder, account: lineAccount } = await oneReminder();
    // LINE said the monthly limit was reached ten minutes ago (the send pipeline's ledger, app/messaging/quota.server.ts).
    await db.lineQuota.create({
      data: {
        lineAccountId: lineAccount.id, shop: lineAccount.shop, type: "limited", monthlyLimit: 1_000, usedAtCheck: 1_000,
        checkedAt: new Date(), month: quotaMonth(new Date()), exhaustedAt: new Date(Date.now() - 10 * 60_000),
      },
    });
    expect(await sendCartReminder(reminder.id, noAdmin)).toEqual({ status: "skipped", reason: "quota-exhausted" });
    expect(pushRequests()).toEqual([]);
    expect(await row(reminder.id)).toMatchObject({ status: "skipped", skipReason: "quota-exhausted" });
    expect((await db.cartReminderSettings.findUniqueOrThrow({ where: { lineAccountId: lineAccount.id } })).quotaExhaustedAt).not.toBeNull();
  });

  it("tries again once LINE shows room, and a good send clears the warning", async () => {
    const { reminder, account: lineAccount, channel } = await oneReminder({ quotaExhaustedAt: new Date(Date.now() - 2 * HOUR) });
    expect(await sendCartReminder(reminder.id, noAdmin)).toEqual({ status: "sent" });
    expect(pushesTo(channel.channelId)).toHaveLength(1);
    expect((await db.cartReminderSettings.findUniqueOrThrow({ where: { lineAccountId: lineAccount.id } })).quotaExhaustedAt).toBeNull();
  });
});

describe("rules read again at send time", () => {
  it("sends nothing for a shop that uninstalled the app", async () => {
    const { reminder, domain } = await oneReminder();
    await db.shop.update({ where: { shop: domain }, data: { uninstalledAt: new Date() } });
    expect(await sendCartReminder(reminder.id, noAdmin)).toEqual({ status: "skipped", reason: "shop-uninstalled" });
    expect(pushRequests()).toEqual([]);
  });

  it.each(["purchasedAt", "completedAt", "order"] as const)("sends nothing for a checkout already bought (%s)", async (sign) => {
    const { reminder, checkout, domain } = await oneReminder();
    if (sign === "order") {
      await db.order.create({ data: { shop: domain, orderId: randomUUID(), checkoutToken: checkout.token, currency: "JPY", totalPrice: "1200", processedAt: new Date() } });
    } else {
      await db.checkout.update({ where: { id: checkout.id }, data: { [sign]: new Date() } });
    }
    expect(await sendCartReminder(reminder.id, noAdmin)).toEqual({ status: "skipped", reason: "purchased" });
    expect(pushRequests()).toEqual([]);
  });

  it("sends nothing when an order cancels the reminder between the send's read and its claim", async () => {
    const { reminder } = await oneReminder();
    let sending: Promise<{ outcome?: SendOutcome; error?: unknown }> | undefined;
    // The test holds the row: the send reads it as scheduled, then its claim waits for the row. Meanwhile the
    // order cancels the reminder, as cancelReminders does.
    await db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "CartReminder" WHERE id = ${reminder.id} FOR UPDATE`;
        sending = sendCartReminder(reminder.id, noAdmin).then((outcome) => ({ outcome }), (error: unknown) => ({ error }));
        await waitUntil(claimWaiting, 30_000);
        await tx.cartReminder.update({ where: { id: reminder.id }, data: { status: "cancelled", skipReason: "purchased" } });
      },
      { timeout: 60_000 },
    );
    expect(await sending).toEqual({ outcome: { status: "not-pending", current: "cancelled" } });
    expect(pushRequests()).toEqual([]);
    expect(await row(reminder.id)).toMatchObject({ status: "cancelled", skipReason: "purchased", attempts: 0 });
  });

  it("skips, with the rule's reason, a reminder whose friend staff blocked between the send's read and its push", async () => {
    const { reminder, friend } = await oneReminder();
    let sending: Promise<SendOutcome> | undefined;
    // The send reads the friend as following; while its claim waits for the row, staff block the friend. The claim
    // then succeeds (the reminder is still scheduled), and the rules checked at the push refuse it.
    await db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT id FROM "CartReminder" WHERE id = ${reminder.id} FOR UPDATE`;
        sending = sendCartReminder(reminder.id, noAdmin);
        await waitUntil(claimWaiting, 30_000);
        await db.friend.update({ where: { id: friend.id }, data: { operatorBlockedAt: new Date() } });
      },
      { timeout: 60_000 },
    );
    expect(await sending).toEqual({ status: "skipped", reason: "operator-blocked" });
    expect(pushRequests()).toEqual([]);
    expect(await row(reminder.id)).toMatchObject({ status: "skipped", skipReason: "operator-blocked", lineUserId: null });
  });
});

describe("a claim and LINE's 24-hour retry key", () => {
  it("retries a claim within the window with the same retry key", async () => {
    const domain = await shop();
    const connected = await account(domain);
    const friend = await friendOf(connected);
    const reminder = await reminderFor(friend, await checkoutIn(domain), { status: "sending", claimedAt: new Date(Date.now() - 20 * HOUR), attempts: 1 });
    expect(await sendCartReminder(reminder.id, noAdmin)).toEqual({ status: "sent" });
    expect(pushRequests().map((request) => request.headers["x-line-retry-key"])).toEqual([reminder.retryKey]);
    expect(await row(reminder.id)).toMatchObject({ status: "sent", attempts: 2, claimedAt: reminder.claimedAt });
  });

  it("never pushes a claim older than the window again: its outcome is unknown", async () => {
    const domain = await shop();
    const connected = await account(domain);
    const friend = await friendOf(connected);
    const reminder = await reminderFor(friend, await checkoutIn(domain), { status: "sending", claimedAt: new Date(Date.now() - 25 * HOUR), attempts: 1 });
    expect(await sendCartReminder(reminder.id, noAdmin)).toEqual({ status: "unknown" });
    expect(pushRequests()).toEqual([]);
    expect(await row(reminder.id)).toMatchObject({ status: "unknown", error: expect.stringMatching(/^unknown: /), attempts: 1 });
  });
});

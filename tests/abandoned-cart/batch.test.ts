// Cart reminders sent as one batch (what a worker does with the reminder jobs it holds at once): every reminder
// keeps its own rules and outcome, a conflict between two of them costs neither the rest of the batch, and a burst
// of due jobs ends with exactly one push per reminder.
import { randomUUID } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sendCartReminders } from "~/abandoned-cart/send.server";
import { retryKeyFor } from "~/messaging/retry-key";
import { cartReminderQueue, enqueueCartReminder } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { waitUntil, withWorkers } from "../support/worker";

const HOUR = 3_600_000;
const noAdmin = async (): Promise<never> => {
  throw new Error("these carts need no product images");
};
const pushes = () => lineFake().sent().filter((delivery) => delivery.kind === "push");

async function account(shop: string) {
  const connected = await connectedAccount(db, shop);
  await db.cartReminderSettings.create({ data: { lineAccountId: connected.account.id, shop, enabled: true } });
  return connected.account;
}

function friendOf(lineAccount: { id: string; shop: string }, userId = lineUserId()) {
  return db.friend.create({ data: { shop: lineAccount.shop, lineAccountId: lineAccount.id, lineUserId: userId, followStatus: "following" } });
}

function checkoutIn(shop: string, overrides: { completedAt?: Date } = {}) {
  const token = `tok-${randomUUID()}`;
  return db.checkout.create({
    data: {
      shop, token, currency: "JPY", totalPrice: "1200", startedAt: new Date(Date.now() - 11 * HOUR), shopifyUpdatedAt: new Date(),
      recoveryUrl: `https://${shop}/checkouts/${token}/recover`,
      lineItems: [{ productId: null, variantId: null, title: "煎茶", variantTitle: null, quantity: 1, price: "1200" }],
      ...overrides,
    },
  });
}

function reminderFor(friend: { id: string; shop: string; lineAccountId: string }, checkout: { id: string }) {
  return db.cartReminder.create({
    data: {
      shop: friend.shop, lineAccountId: friend.lineAccountId, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart",
      dueAt: new Date(Date.now() - 60_000), retryKey: retryKeyFor(`cart-reminder:${friend.lineAccountId}:${checkout.id}`),
    },
  });
}

beforeEach(async () => {
  await cartReminderQueue().obliterate({ force: true });
  lineFake().reset();
});

describe("a batch of reminders", () => {
  it("gives each its own outcome: one of two accounts reminding the same shopper, a purchase, other shops", async () => {
    const { shop } = await createShop(db, { timeZone: "Asia/Tokyo" });
    const [tokyo, osaka] = [await account(shop), await account(shop)];
    const shared = lineUserId(); // accounts of one LINE provider see the same user id
    const sharedCheckout = await checkoutIn(shop);
    const first = await reminderFor(await friendOf(tokyo, shared), sharedCheckout);
    const second = await reminderFor(await friendOf(osaka, shared), sharedCheckout);
    const bought = await reminderFor(await friendOf(tokyo), await checkoutIn(shop, { completedAt: new Date() }));
    const plain = await reminderFor(await friendOf(osaka), await checkoutIn(shop));
    const other = (await createShop(db, { timeZone: "Asia/Tokyo" })).shop;
    const elsewhere = await reminderFor(await friendOf(await account(other)), await checkoutIn(other));

    const ids = [first.id, second.id, bought.id, plain.id, elsewhere.id, "no-such-reminder"];
    const outcomes = await sendCartReminders(ids, noAdmin);

    expect(outcomes[0]).toEqual({ status: "sent" });
    expect(outcomes[1]).toEqual({ status: "skipped", reason: "already-reminded" });
    expect(outcomes.slice(2)).toEqual([
      { status: "skipped", reason: "purchased" },
      { status: "sent" },
      { status: "sent" },
      { status: "not-pending", current: "missing" },
    ]);
    expect(pushes().map((push) => push.to[0]).filter((to) => to === shared)).toHaveLength(1);
    expect(pushes()).toHaveLength(3);
    const rows = await db.cartReminder.findMany({ where: { id: { in: ids } } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(ids.slice(0, 5).map((id) => [byId.get(id)!.status, byId.get(id)!.skipReason])).toEqual([
      ["sent", null],
      ["skipped", "already-reminded"],
      ["skipped", "purchased"],
      ["sent", null],
      ["sent", null],
    ]);
    // Each sent reminder has its delivery, sent with the reminder's retry key, and its links.
    const deliveries = await db.delivery.findMany({ where: { kind: "cart-reminder", sourceId: { in: ids } } });
    expect(deliveries.map((d) => [d.sourceId, d.status, d.retryKey]).sort()).toEqual(
      [first, plain, elsewhere].map((r) => [r.id, "sent", r.retryKey]).sort(),
    );
    expect(await db.reminderLink.count({ where: { reminderId: { in: [first.id, plain.id, elsewhere.id] } } })).toBe(3);
  });

  it("sends a burst of due reminder jobs once each through the worker", async () => {
    const { shop } = await createShop(db, { timeZone: "Asia/Tokyo" });
    const lineAccount = await account(shop);
    const reminders: Awaited<ReturnType<typeof reminderFor>>[] = [];
    for (let index = 0; index < 40; index += 1) reminders.push(await reminderFor(await friendOf(lineAccount), await checkoutIn(shop)));
    for (const reminder of reminders) await enqueueCartReminder(reminder.id, new Date());

    await withWorkers(() =>
      waitUntil(async () => (await db.cartReminder.count({ where: { id: { in: reminders.map((r) => r.id) }, status: "sent" } })) === 40, 60_000),
    );
    // Only this account's pushes: the sweeper may take up what an earlier test left.
    const friends = new Set((await db.friend.findMany({ where: { lineAccountId: lineAccount.id } })).map((f) => f.lineUserId));
    const ours = pushes().filter((push) => friends.has(push.to[0]));
    expect(ours).toHaveLength(40);
    expect(new Set(ours.map((push) => push.to[0])).size).toBe(40);
    const keys = new Set(reminders.map((r) => r.retryKey));
    expect(ours.map((push) => push.retryKey).filter((key) => key && keys.has(key))).toHaveLength(40);
  });
});

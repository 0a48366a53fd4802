// A database whose default time zone is not UTC (here Asia/Tokyo, nine hours ahead): the key paths still store
// the JS times. Every "when did this happen" column written on the way (defaults, SQL time functions, values
// from the app) must fall between the moments the test started and finished.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { checkoutPayload } from "../support/checkouts";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineWebhookRequest, webhookBody } from "../support/line";
import { offlineSession, signedWebhook, TEST_SHOP_DOMAIN } from "../support/shopify";

const database = new URL(process.env.DATABASE_URL!).pathname.slice(1);
const RECORDED = /^(createdAt|updatedAt|receivedAt|processedAt|enqueuedAt|installedAt|connectedAt|followStatusAt|followedAt|fetchedAt)$/;

async function admin(statement: string) {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(statement)).rows;
  } finally {
    await client.end();
  }
}

let previousClient: typeof globalThis.prismaGlobal;

beforeAll(async () => {
  await admin(`ALTER DATABASE "${database}" SET timezone TO 'Asia/Tokyo'`);
  // New connections, so that they start with the database's setting.
  previousClient = globalThis.prismaGlobal;
  await previousClient?.$disconnect();
  globalThis.prismaGlobal = undefined;
  vi.resetModules();
});

afterAll(async () => {
  await admin(`ALTER DATABASE "${database}" RESET timezone`);
  globalThis.prismaGlobal = previousClient;
});

describe("on a database in Asia/Tokyo", () => {
  it("stores the JS times for a LINE event, a checkout and its scheduled reminder", async () => {
    const { db } = await import("~/db.server");
    const [{ TimeZone }] = await admin("SHOW TimeZone");
    expect(TimeZone).toBe("Asia/Tokyo"); // the setting is in place for anyone who does not pin UTC
    const { sessionStorage } = await import("~/shopify.server");
    const { action: lineWebhook } = await import("~/routes/webhooks.line.$accountId");
    const { action: checkoutsCreate } = await import("~/routes/webhooks.checkouts.create");
    const { waitUntil, withWorkers } = await import("../support/worker");
    const before = new Date();

    await createShop(db, { shop: TEST_SHOP_DOMAIN, timeZone: "Asia/Tokyo" });
    await sessionStorage.storeSession(offlineSession());
    const { account, channelSecret } = await connectedAccount(db, TEST_SHOP_DOMAIN);
    await db.cartReminderSettings.create({ data: { lineAccountId: account.id, shop: TEST_SHOP_DOMAIN, enabled: true, delayMinutes: 600 } });

    const userId = lineUserId();
    const followedAt = Date.now() - 1_000;
    const body = webhookBody("Ubot", [lineEvents.follow({ userId, timestamp: followedAt })]);
    const lineAnswer = await lineWebhook({ request: lineWebhookRequest(account.id, channelSecret, body), params: { accountId: account.id }, context: {} });
    expect(lineAnswer.status).toBe(200);
    await withWorkers(() => waitUntil(async () => (await db.lineEvent.findFirstOrThrow()).processedAt));
    const friend = await db.friend.findFirstOrThrow({ where: { lineUserId: userId } });
    await db.cartLink.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, friendId: friend.id, cartToken: "cartzone00001" } });

    const startedAt = new Date(Date.now() - 60_000);
    const checkout = checkoutPayload({ cartToken: "cartzone00001", createdAt: startedAt });
    const shopifyAnswer = await checkoutsCreate({ request: signedWebhook({ topic: "checkouts/create", body: checkout }), params: {}, context: {} });
    expect(shopifyAnswer.status).toBe(200);
    await withWorkers(() => waitUntil(async () => (await db.webhookReceipt.findFirstOrThrow()).processedAt));
    const after = new Date();

    expect((await db.lineEvent.findFirstOrThrow()).occurredAt).toEqual(new Date(followedAt));
    expect(friend.followStatusAt).toEqual(new Date(followedAt));
    const reminder = await db.cartReminder.findFirstOrThrow();
    expect(reminder.dueAt).toEqual(new Date(startedAt.getTime() + 600 * 60_000));
    expect((await db.checkout.findFirstOrThrow()).startedAt).toEqual(startedAt);

    // Every row the paths wrote: its record-keeping timestamps lie within the test, not nine hours ahead.
    const columns = await db.$queryRaw<{ table: string; column: string }[]>`
      SELECT table_name::text AS "table", column_name::text AS "column" FROM information_schema.columns
      WHERE table_schema = 'public' AND data_type LIKE 'timestamp%'`;
    const recorded = columns.filter(({ column }) => RECORDED.test(column));
    expect(recorded.length).toBeGreaterThan(10);
    const outside: string[] = [];
    for (const { table, column } of recorded) {
      const rows = await db.$queryRawUnsafe<{ at: Date }[]>(`SELECT "${column}" AS at FROM "${table}" WHERE "${column}" IS NOT NULL`);
      for (const { at } of rows) {
        if (at < before && column !== "followStatusAt" && column !== "followedAt") outside.push(`${table}.${column} ${at.toISOString()}`);
        if (at > after) outside.push(`${table}.${column} ${at.toISOString()}`);
      }
    }
    expect(outside).toEqual([]);
    expect(await db.webhookReceipt.count()).toBe(1);
    expect(await db.friend.count()).toBe(1);
  });
});

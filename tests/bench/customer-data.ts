// Benchmark: Shopify customer data of linked friends at scale, against its own database and Redis key prefix.
//
// Seed (set-based, INSERT … SELECT generate_series): one shop, 1,000,000 friends of which 300,000 linked, their
// 300,000 customers, 3,000,000 orders with a line each over two years (10 per customer), a collection of 50 of
// the 1,000 products, a friend tag on one friend in ten; spend and figures computed from the orders in SQL.
// Then:
//   1. segment "total spent ≥ ¥20,000 AND purchased from the collection within 90 days AND has the tag", counted
//      with countSegment (app/segments/compile.server.ts), BENCH_RUNS times after 2 untimed runs: p95;
//   2. orders/create webhooks for linked customers, signed, one at a time to the real web process (app/server.ts)
//      with the real worker (jobs/worker.ts) running: acknowledged p99, and the time until the customer's row
//      shows the order (ordersCount and lastOrderAt) p99;
//   3. the import of a customer with 500 orders (2 lines each) through the Shopify library against the Admin API
//      fake enforcing query cost (a standard bucket: 2,000 points, 100 a second; THROTTLED beyond): seconds.
// Prints a human summary, then one JSON object as the last line.
//
// BENCH_FRIENDS (1000000), BENCH_LINKED (300000), BENCH_ORDERS (3000000)
// BENCH_RUNS (20)           timed segment counts
// BENCH_WEBHOOKS (200)      orders/create webhooks, one at a time
// BENCH_IMPORT_ORDERS (500) orders of the imported customer
// BENCH_REUSE (0)           1: keep what a previous run seeded (same sizes), migrate, and time the phases only
// BENCH_CUSTOMERS_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/line_crm_bench_customers); Redis prefix
//                           "bench-customers"
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import type { LineFake } from "../support/line-fake";
import {
  BENCH_API_SECRET,
  benchEnvironment,
  numberEnv,
  percentile,
  prepareDatabase,
  round,
  runBenchmark,
  sleep,
  startWeb,
  startWorkers,
} from "./support";

const DATABASE_URL = process.env.BENCH_CUSTOMERS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/line_crm_bench_customers";
const QUEUE_PREFIX = "bench-customers";
const SHOP = "bench-customers.myshopify.com";
const SCOPES = "read_orders,read_customers,write_customers,read_products,write_files,write_app_proxy";
const COLLECTION = "5001";
const FIRST_CUSTOMER = 7_000_000;

const config = {
  friends: numberEnv("BENCH_FRIENDS", 1_000_000, 1_000, 5_000_000),
  linked: numberEnv("BENCH_LINKED", 300_000, 100, 5_000_000),
  orders: numberEnv("BENCH_ORDERS", 3_000_000, 100, 30_000_000),
  runs: numberEnv("BENCH_RUNS", 20, 1, 1_000),
  webhooks: numberEnv("BENCH_WEBHOOKS", 200, 1, 10_000),
  importOrders: numberEnv("BENCH_IMPORT_ORDERS", 500, 1, 10_000),
  reuse: process.env.BENCH_REUSE === "1",
};

export async function run() {
  if (config.linked > config.friends) throw new Error("BENCH_LINKED must not exceed BENCH_FRIENDS");
  await runBenchmark(benchmark);
}

async function benchmark(port: number, fake: LineFake) {
  const env = benchEnvironment({ port, fake, databaseUrl: DATABASE_URL, queuePrefix: QUEUE_PREFIX }, { SCOPES, LOG_LEVEL: "info" });
  // The seed's statements take minutes: no time limit in this process (the web process and worker keep theirs).
  process.env.DATABASE_STATEMENT_TIMEOUT_MS = "0";
  process.env.DATABASE_QUERY_TIMEOUT_MS = "3600000";
  // The Admin API fake replaces fetch before the Shopify library is loaded (it keeps the fetch it sees then).
  const { installAdminFake } = await import("../support/shopify-admin-fake");
  const adminFake = installAdminFake();
  const log = (line: string) => console.log(line);
  log(`customer-data: ${JSON.stringify(config)}`);
  if (config.reuse) {
    execFileSync("npx", ["prisma", "migrate", "deploy"], { env, stdio: "ignore" });
    execFileSync("npx", ["remix", "build"], { env, stdio: "ignore" });
  } else {
    await prepareDatabase(env);
  }

  const { db } = await import("../../app/db.server");
  const { createLineAccount, createShop } = await import("../support/factories");
  const { offlineSession, signedWebhook } = await import("../support/shopify");
  const { sessionStorage } = await import("../../app/shopify.server");
  if (config.reuse) {
    // What the previous run's webhooks and import added.
    await db.order.deleteMany({ where: { shop: SHOP, orderId: { gte: "800000000" } } });
    await db.friend.deleteMany({ where: { shop: SHOP, lineUserId: "Uimport" } });
    await db.customer.deleteMany({ where: { shop: SHOP, customerId: "6999999" } });
    await db.$executeRaw`
      UPDATE "Customer" c SET "ordersCount" = f.n, "lastOrderAt" = f.last
      FROM (SELECT "customerId", count(*)::int AS n, max("processedAt") AS last FROM "Order" WHERE "shop" = ${SHOP} GROUP BY "customerId") f
      WHERE c."shop" = ${SHOP} AND c."customerId" = f."customerId" AND c."ordersCount" <> f.n`;
  }
  const seeded = config.reuse ? await reused(db) : await seed(db, createShop, createLineAccount);
  const { account, tag } = seeded;
  // The collection's products as the Admin API would list them, and a saved segment naming the collection: the
  // worker's daily refresh drops the products of collections no saved segment names.
  await db.collectionProduct.deleteMany({ where: { shop: SHOP } });
  await db.$executeRaw`
    INSERT INTO "CollectionProduct" ("shop", "collectionId", "productId") SELECT ${SHOP}, ${COLLECTION}, p::text FROM generate_series(1, 50) p`;
  await sessionStorage.storeSession(offlineSession(SHOP));
  let started = performance.now();
  // ------------------------------------------------------------ 1. segment count
  const { countSegment } = await import("../../app/segments/compile.server");
  const definition = {
    match: "all" as const,
    groups: [
      {
        match: "all" as const,
        conditions: [
          { field: "totalSpent" as const, op: "gte" as const, amount: 20_000 },
          {
            field: "purchased" as const, match: "any" as const, target: "collection" as const,
            items: [{ id: COLLECTION, title: "Sencha" }], period: "lastDays" as const, days: 90,
          },
          { field: "tags" as const, match: "any" as const, tagIds: [tag.id] },
        ],
      },
    ],
  };
  await db.segment.deleteMany({ where: { shop: SHOP } });
  await db.segment.create({ data: { shop: SHOP, name: "Spent, bought the collection, tagged", definition } });
  let count = 0;
  for (let i = 0; i < 2; i += 1) count = await countSegment(SHOP, definition);
  const segmentMs: number[] = [];
  for (let i = 0; i < config.runs; i += 1) {
    started = performance.now();
    count = await countSegment(SHOP, definition);
    segmentMs.push(performance.now() - started);
  }
  segmentMs.sort((a, b) => a - b);
  log(`segment: ${count} friends; p50 ${round(percentile(segmentMs, 50))} ms, p95 ${round(percentile(segmentMs, 95))} ms`);

  // ------------------------------------------------------------ 2. orders/create: ack and figures
  const { web, url } = await startWeb(port, env);
  const workers = await startWorkers(1, env);
  log(`web pid ${web.process.pid}, worker pid ${workers[0].process.pid} on ${url}`);
  const ackMs: number[] = [];
  const figuresMs: number[] = [];
  for (let i = 0; i < config.webhooks + 5; i += 1) {
    const customerId = String(FIRST_CUSTOMER + 1 + ((i * 7_919) % config.linked));
    const before = await db.customer.findUniqueOrThrow({ where: { shop_customerId: { shop: SHOP, customerId } }, select: { ordersCount: true } });
    const at = new Date();
    const orderId = 900_000_000 + i;
    const body = {
      id: orderId, name: `#B${i}`, created_at: at.toISOString(), processed_at: at.toISOString(), updated_at: at.toISOString(),
      currency: "JPY", presentment_currency: "JPY", total_price: "4800", financial_status: "paid", fulfillment_status: null,
      total_price_set: { shop_money: { amount: "4800", currency_code: "JPY" }, presentment_money: { amount: "4800", currency_code: "JPY" } },
      customer: { id: Number(customerId) }, landing_site: "/products/sencha?utm_source=line", discount_codes: [], refunds: [],
      line_items: [{ product_id: 7, variant_id: 100007, title: "Sencha", quantity: 2 }],
    };
    const request = signedWebhook({ topic: "orders/create", shop: SHOP, body, secret: BENCH_API_SECRET });
    const payload = await request.text();
    const sent = performance.now();
    const response = await fetch(`${url}/webhooks/orders/create`, { method: "POST", headers: request.headers, body: payload });
    const acked = performance.now();
    if (response.status !== 200) throw new Error(`orders/create answered ${response.status}`);
    for (;;) {
      const now = await db.customer.findUniqueOrThrow({ where: { shop_customerId: { shop: SHOP, customerId } }, select: { ordersCount: true } });
      if (now.ordersCount === before.ordersCount + 1) break;
      if (performance.now() - sent > 30_000) throw new Error(`figures of ${customerId} not updated within 30 s`);
      await sleep(2);
    }
    const updated = performance.now();
    if (i >= 5) {
      // The first few warm up the processes' JIT and pools.
      ackMs.push(acked - sent);
      figuresMs.push(updated - sent);
    }
  }
  ackMs.sort((a, b) => a - b);
  figuresMs.sort((a, b) => a - b);
  log(`orders/create: ack p50 ${round(percentile(ackMs, 50))} ms p99 ${round(percentile(ackMs, 99))} ms; figures p50 ${round(percentile(figuresMs, 50))} ms p99 ${round(percentile(figuresMs, 99))} ms`);

  // ------------------------------------------------------------ 3. import of a customer with 500 orders
  const importId = "6999999";
  const orders = Array.from({ length: config.importOrders }, (_, i) => {
    const at = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString();
    return {
      id: `gid://shopify/Order/${800_000_000 + i}`, name: `#I${i}`, createdAt: at, processedAt: at, updatedAt: at, cancelledAt: null,
      displayFinancialStatus: "PAID", displayFulfillmentStatus: "FULFILLED", discountCodes: [],
      totalPriceSet: { presentmentMoney: { amount: "3000.0", currencyCode: "JPY" } }, refunds: [],
      customerJourneySummary: { firstVisit: { landingPage: "/?utm_source=line" } },
      lines: [1, 2].map((n) => ({ title: `Tea ${n}`, quantity: n, product: { id: `gid://shopify/Product/${n}` }, variant: { id: `gid://shopify/ProductVariant/${100000 + n}` } })),
    };
  });
  adminFake.customers.set(importId, {
    id: `gid://shopify/Customer/${importId}`, firstName: "Import", lastName: "Test", displayName: "Import Test", tags: ["LINE"],
    defaultEmailAddress: { emailAddress: "import@example.com" }, defaultPhoneNumber: null, emailMarketingConsent: null,
    smsMarketingConsent: null, defaultAddress: null, updatedAt: "2026-11-01T00:00:00Z", orders,
  });
  adminFake.setBucket(2_000, 100); // Shopify's standard plan
  await db.friend.create({ data: { shop: SHOP, lineAccountId: account.id, lineUserId: "Uimport", shopifyCustomerId: importId } });
  const { ensureCustomer } = await import("../../app/customers/store.server");
  const { importCustomer } = await import("../../app/customers/import.server");
  const { costAwareClient } = await import("../../app/customers/admin-api.server");
  const { unauthenticated } = await import("../../app/shopify.server");
  await ensureCustomer(SHOP, importId);
  const { admin } = await unauthenticated.admin(SHOP);
  const client = costAwareClient((query, options) => admin.graphql(query, options));
  started = performance.now();
  const outcome = await importCustomer(SHOP, importId, client);
  const importS = (performance.now() - started) / 1000;
  const imported = await db.customer.findUniqueOrThrow({ where: { shop_customerId: { shop: SHOP, customerId: importId } } });
  const requests = adminFake.calls.length;
  log(`import: ${outcome}, ${imported.ordersCount} orders in ${round(importS, 2)} s, ${requests} requests, ${adminFake.throttled} throttled, waited ${client.waitedMs()} ms for the bucket`);
  if (imported.ordersCount !== config.importOrders || adminFake.throttled) process.exitCode = 1;

  console.log(
    JSON.stringify({
      friends: config.friends,
      linked: config.linked,
      orders: config.orders,
      segment_count_p95_ms: round(percentile(segmentMs, 95)),
      order_ack_p99_ms: round(percentile(ackMs, 99)),
      figures_updated_p99_ms: round(percentile(figuresMs, 99)),
      import_500_orders_s: round(importS, 2),
    }),
  );
}

type Db = (typeof import("../../app/db.server"))["db"];

async function reused(db: Db) {
  const account = await db.lineAccount.findFirstOrThrow({ where: { shop: SHOP } });
  const tag = await db.tag.findFirstOrThrow({ where: { shop: SHOP, name: "Y" } });
  return { account, tag };
}

/** One INSERT … SELECT generate_series per table; spend and figures computed from the orders. */
async function seed(
  db: Db,
  createShop: (typeof import("../support/factories"))["createShop"],
  createLineAccount: (typeof import("../support/factories"))["createLineAccount"],
) {
  const log = (line: string) => console.log(line);
  await db.shop.deleteMany({ where: { shop: SHOP } });
  await createShop(db, { shop: SHOP });
  await db.shop.update({ where: { shop: SHOP }, data: { currency: "JPY" } });
  const account = await createLineAccount(db, SHOP, { displayName: "Bench tea" });

  // ------------------------------------------------------------ seed
  const started = performance.now();
  log("seeding friends, customers, orders and lines…");
  await db.$executeRaw`
    INSERT INTO "Friend" ("id", "shop", "lineAccountId", "lineUserId", "displayName", "followStatus", "shopifyCustomerId", "createdAt", "updatedAt")
    SELECT 'f' || g, ${SHOP}, ${account.id}, 'U' || md5('u' || g), 'Friend ' || g, 'following',
           CASE WHEN g <= ${config.linked}::int THEN (${FIRST_CUSTOMER}::int + g)::text END,
           timestamp '2025-01-01' + g * interval '1 second', now()
    FROM generate_series(1, ${config.friends}::int) g`;
  const tag = await db.tag.create({ data: { shop: SHOP, name: "Y" } });
  await db.$executeRaw`
    INSERT INTO "FriendTag" ("friendId", "tagId", "shop", "createdAt")
    SELECT 'f' || g, ${tag.id}, ${SHOP}, now() FROM generate_series(1, ${config.friends}::int) g WHERE g % 10 = 0`;
  await db.$executeRaw`
    INSERT INTO "Customer" ("id", "shop", "customerId", "firstName", "lastName", "displayName", "hasEmail", "tags",
                            "emailMarketing", "countryCode", "importStatus", "importedAt", "createdAt", "updatedAt")
    SELECT 'c' || g, ${SHOP}, (${FIRST_CUSTOMER}::int + g)::text, 'Hanako', 'Sato ' || g, 'Hanako Sato ' || g, TRUE,
           ARRAY['LINE'], 'SUBSCRIBED', 'JP', 'done', now(), now(), now()
    FROM generate_series(1, ${config.linked}::int) g`;
  // Orders spread over the last two years; totals ¥1,000–¥9,999.
  await db.$executeRaw`
    INSERT INTO "Order" ("id", "shop", "orderId", "name", "customerId", "currency", "totalPrice", "processedAt",
                         "financialStatus", "fulfillmentStatus", "shopifyUpdatedAt", "createdAt")
    SELECT 'o' || g, ${SHOP}, (100000000 + g)::text, '#' || g, (${FIRST_CUSTOMER}::int + 1 + g % ${config.linked}::int)::text,
           'JPY', 1000 + (g::bigint * 7919) % 9000, now() - ((g::bigint * 104729) % (730 * 1440)) * interval '1 minute',
           'paid', 'fulfilled', now() - interval '1 day', now()
    FROM generate_series(1, ${config.orders}::int) g`;
  await db.$executeRaw`
    INSERT INTO "OrderLine" ("id", "shop", "orderRef", "productId", "variantId", "title", "quantity")
    SELECT 'l' || g, ${SHOP}, 'o' || g, (1 + (g * 31) % 1000)::text, (100000 + (g * 31) % 1000)::text, 'Tea', 1
    FROM generate_series(1, ${config.orders}::int) g`;
  await db.$executeRaw`
    INSERT INTO "CustomerSpend" ("id", "shop", "customerRef", "currency", "totalSpent", "orders", "updatedAt")
    SELECT 's' || c."id", ${SHOP}, c."id", 'JPY', sum(o."totalPrice"), count(*), now()
    FROM "Customer" c JOIN "Order" o ON o."shop" = c."shop" AND o."customerId" = c."customerId"
    WHERE c."shop" = ${SHOP} GROUP BY c."id"`;
  await db.$executeRaw`
    UPDATE "Customer" c SET "ordersCount" = f.n, "firstOrderAt" = f.first, "lastOrderAt" = f.last
    FROM (SELECT "customerId", count(*)::int AS n, min("processedAt") AS first, max("processedAt") AS last
          FROM "Order" WHERE "shop" = ${SHOP} GROUP BY "customerId") f
    WHERE c."shop" = ${SHOP} AND c."customerId" = f."customerId"`;
  await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  const seedS = (performance.now() - started) / 1000;
  log(`seeded in ${round(seedS)} s`);

  return { account, tag };
}

// Benchmark: the friends list (app/friends/friends.server.ts listFriends) at a million friends in one shop,
// against its own database. Inserts the friends with one INSERT … SELECT generate_series (names, statuses,
// linked customers, equal creation times in groups of four as imports write them), tags a share of them,
// then times the first page, a deep page through its cursor, name searches and tag filters, and counts of
// segments (app/segments/compile.server.ts countSegment) of three conditions.
// Prints a human summary, then one JSON object as the last line.
//
// BENCH_FRIENDS (1000000)   friends in the shop
// BENCH_RUNS (20)           timed runs per query (after 2 untimed ones)
// BENCH_REUSE (0)           1: keep the friends a previous run inserted (same BENCH_FRIENDS), time the queries only
// BENCH_FRIENDS_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/line_crm_bench_friends)
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { SegmentDefinition } from "../../app/segments/model";

const DATABASE_URL = process.env.BENCH_FRIENDS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/line_crm_bench_friends";
const SHOP = "bench-friends.myshopify.com";
const FRIENDS = Number(process.env.BENCH_FRIENDS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

type Db = (typeof import("../../app/db.server"))["db"];
type CreateAccount = (typeof import("../support/factories"))["createLineAccount"];

async function insertFriends(db: Db, createLineAccount: CreateAccount) {
  console.log(`friends-list: inserting ${FRIENDS} friends…`);
  await db.$executeRawUnsafe(`TRUNCATE "FriendTag", "Tag", "Message", "Friend", "LineAccount" CASCADE`);
  const account = await createLineAccount(db, SHOP, { displayName: "Bench account" });
  // Names: mostly Japanese "surname given", some romanised; one friend in 50,000 is "Rare …".
  await db.$executeRaw`
    INSERT INTO "Friend" ("id", "shop", "lineAccountId", "lineUserId", "displayName", "followStatus",
                          "operatorBlockedAt", "shopifyCustomerId", "source", "language", "lastMessageAt",
                          "createdAt", "updatedAt")
    SELECT 'c' || substr(md5(g::text), 1, 24), ${SHOP}, ${account.id}, 'U' || md5('user' || g::text),
           CASE WHEN g % 50000 = 0 THEN 'Rare Friend ' || g
                WHEN g % 10 < 7 THEN (ARRAY['佐藤','鈴木','高橋','田中','伊藤','渡辺','山本','中村','小林','加藤',
                                            '吉田','山田','佐々木','山口','松本','井上','木村','林','斎藤','清水'])[1 + g % 20]
                                   || ' ' ||
                                   (ARRAY['花子','太郎','陽菜','蓮','結衣','湊','さくら','翔','美咲','大輔',
                                          '葵','悠斗','凛','陸','美月','蒼','芽依','樹','杏','颯'])[1 + (g / 20) % 20]
                ELSE (ARRAY['Emily','Wei','Somchai','Anna','Chen','Mai','Lucas','Sara','Ken','Yuki'])[1 + g % 10]
                     || ' ' || (ARRAY['Chen','Lin','Wong','Smith','Tan','Lee','Suzuki','Kim','Park','Ito'])[1 + (g / 10) % 10]
           END,
           CASE WHEN g % 100 < 85 THEN 'following' WHEN g % 100 < 97 THEN 'blocked' ELSE 'unknown' END,
           CASE WHEN g % 1000 = 7 THEN now() ELSE NULL END,
           CASE WHEN g % 10 = 3 THEN (7000000000 + g)::text ELSE NULL END,
           'import',
           CASE WHEN g % 10 < 8 THEN 'ja' WHEN g % 10 = 8 THEN 'en' ELSE 'zh-Hant' END,
           -- One friend in five wrote, at some point in the last 120 days.
           CASE WHEN g % 5 = 0 THEN now() - (g % 120) * interval '1 day' ELSE NULL END,
           timestamp '2024-01-01' + (g / 4) * interval '1 minute',
           now()
    FROM generate_series(1, ${FRIENDS}::int) AS g`;
  for (const [name, every] of [["VIP", 10], ["Sale", 100], ["Rare tag", 10000]] as const) {
    const tag = await db.tag.create({ data: { shop: SHOP, name } });
    await db.$executeRaw`
      INSERT INTO "FriendTag" ("friendId", "tagId", "shop", "source")
      SELECT 'c' || substr(md5(g::text), 1, 24), ${tag.id}, ${SHOP}, 'manual'
      FROM generate_series(${every}::int, ${FRIENDS}::int, ${every}::int) AS g`;
  }
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Friend"`);
  await db.$executeRawUnsafe(`VACUUM ANALYZE "FriendTag"`);
}

export async function run() {
  if (!Number.isInteger(FRIENDS) || FRIENDS < 1000) throw new Error("BENCH_FRIENDS must be an integer of at least 1000");
  // App modules read the configuration when first imported: set it before importing any.
  Object.assign(process.env, {
    NODE_ENV: "production",
    DATABASE_URL,
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: "bench-api-secret",
    SHOPIFY_APP_URL: "http://127.0.0.1:1",
    ENCRYPTION_KEY: `bench:${randomBytes(32).toString("base64")}`,
    LOG_LEVEL: "warn",
    // Inserting and indexing a million rows takes longer than the app's statement limit allows a request.
    DATABASE_STATEMENT_TIMEOUT_MS: "0",
    DATABASE_QUERY_TIMEOUT_MS: "3600000",
  });
  const { ensureDatabase } = await import("../../prisma/ensure-database");
  await ensureDatabase(DATABASE_URL);
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: process.env, stdio: ["ignore", "ignore", "inherit"] });
  const { db } = await import("../../app/db.server");
  const { encodeCursor, listFriends } = await import("../../app/friends/friends.server");
  const { countSegment } = await import("../../app/segments/compile.server");
  const { createLineAccount } = await import("../support/factories");

  const reuse = process.env.BENCH_REUSE === "1" && (await db.friend.count({ where: { shop: SHOP } })) === FRIENDS;
  const insertStarted = performance.now();
  if (!reuse) await insertFriends(db, createLineAccount);
  const insertSeconds = (performance.now() - insertStarted) / 1000;
  console.log(`friends-list: ${reuse ? "reused" : "inserted and analysed"} ${FRIENDS} friends in ${insertSeconds.toFixed(1)} s`);
  const tags = await db.tag.findMany({ where: { shop: SHOP } });

  // A cursor 90% of the way down (OFFSET here is set-up, not what the list does).
  const [deep] = await db.$queryRaw<{ id: string; createdAt: Date }[]>`
    SELECT "id", "createdAt" FROM "Friend" WHERE "shop" = ${SHOP}
    ORDER BY "createdAt" DESC, "id" DESC OFFSET ${Math.floor(FRIENDS * 0.9)} LIMIT 1`;
  const byName = (name: string) => tags.find((tag) => tag.name === name)!.id;

  const cases: Record<string, Parameters<typeof listFriends>[1]> = {
    firstPage: {},
    deepPage: { after: encodeCursor(deep) },
    searchCommon: { q: "佐藤" }, // 3.5% of friends
    searchFullName: { q: "山田 花子" }, // 0.175%
    searchRare: { q: "Rare Friend" }, // 1 in 50,000
    tagCommon: { tagId: byName("VIP") }, // 10%
    tagRare: { tagId: byName("Rare tag") }, // 0.01%
    blockedLinked: { status: "blocked", linked: true },
  };
  // One untimed pass over every case first (JIT, connection pool, Prisma's query cache).
  for (const query of Object.values(cases)) await listFriends(SHOP, query);
  const results: Record<string, { p50: number; p99: number; rows: number }> = {};
  for (const [name, query] of Object.entries(cases)) {
    let rows = 0;
    for (let i = 0; i < 2; i += 1) rows = (await listFriends(SHOP, query)).friends.length;
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      await listFriends(SHOP, query);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    results[name] = { p50: round(percentile(times, 50)), p99: round(percentile(times, 99)), rows };
    console.log(`${name.padEnd(16)} p50 ${results[name].p50} ms  p99 ${results[name].p99} ms  (${rows} rows)`);
  }

  // Segment counts: the whole shop is in play (a count cannot stop at a page), three conditions each.
  const segments: Record<string, SegmentDefinition> = {
    // following AND tagged VIP AND wrote in the last 30 days
    followingVipRecent: { match: "all", groups: [{ match: "all", conditions: [
      { field: "followStatus", statuses: ["following"] },
      { field: "tags", match: "any", tagIds: [byName("VIP")] },
      { field: "lastMessage", within: true, days: 30 },
    ] }] },
    // friend since March 2024 (the shop's time zone) AND not linked AND Japanese
    sinceMarchUnlinkedJa: { match: "all", groups: [{ match: "all", conditions: [
      { field: "friendSince", mode: "dates", from: "2024-03-01", to: null },
      { field: "linked", linked: false },
      { field: "language", match: "any", languages: ["ja"] },
    ] }] },
    // (tagged Sale OR linked) AND not tagged Rare
    saleOrLinkedNotRare: { match: "all", groups: [
      { match: "any", conditions: [{ field: "tags", match: "any", tagIds: [byName("Sale")] }, { field: "linked", linked: true }] },
      { match: "all", conditions: [{ field: "tags", match: "none", tagIds: [byName("Rare tag")] }] },
    ] },
  };
  const segmentResults: Record<string, { p50: number; p95: number; count: number }> = {};
  for (const [name, definition] of Object.entries(segments)) {
    let count = 0;
    for (let i = 0; i < 2; i += 1) count = await countSegment(SHOP, definition);
    const times: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const started = performance.now();
      await countSegment(SHOP, definition);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const round = (ms: number) => Math.round(ms * 100) / 100;
    segmentResults[name] = { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), count };
    console.log(`segment ${name.padEnd(20)} p50 ${segmentResults[name].p50} ms  p95 ${segmentResults[name].p95} ms  (${count} friends)`);
  }
  await db.$disconnect();
  console.log(
    JSON.stringify({ benchmark: "friends-list", friends: FRIENDS, runs: RUNS, insertSeconds: Math.round(insertSeconds), ms: results, segmentCountMs: segmentResults }),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await run();

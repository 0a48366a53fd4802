// Benchmark: rich menus that follow tags, and an edit of a menu everyone holds, through the real worker process
// against the in-process LINE fake (which enforces LINE's rich-menu limits and applies bulk links and batches
// asynchronously, and records every user's menu over time).
// 1. Relink: BENCH_FRIENDS following friends get the rule's tag in one burst, as postbacks store it (FriendTag rows
//    with source "postback", stored and announced through the one friend-changed path in chunks of 100 by 8 callers
//    at once, as the event jobs do); the clock runs from the burst's start until the last friend is linked at the
//    fake (webhook intake itself is measured by the line-webhook benchmark).
//    relink_limit_s = what LINE's limits allow: ceil(friends / 500) bulk calls at 2,000 a second, plus the
//    fake's asynchronous apply of one bulk call.
// 2. Edit: the menu all of them hold is edited and published: a new version, everyone moved by one batch
//    ("link from → to"), the old version deleted; edit_s from publish to done. on_deleted_menu counts users who were
//    on a menu at LINE at the moment it was deleted (the fake's history). wrong_menu: friends not on the live
//    version at the end.
// Last line: {"friends","relink_s","relink_limit_s","wrong_menu","edit_s","on_deleted_menu"}.
//
// BENCH_FRIENDS (100000); BENCH_RICH_MENUS_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/line_crm_bench_rich_menus);
// Redis prefix "bench-rich-menus".
import { execFileSync } from "node:child_process";
import type { LineFake } from "../support/line-fake";
import { benchEnvironment, numberEnv, round, runBenchmark, sleep, startWorkers, warnings } from "./support";

const DATABASE_URL = process.env.BENCH_RICH_MENUS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/line_crm_bench_rich_menus";
const SHOP = "bench-rich-menus.myshopify.com";
const friendsCount = numberEnv("BENCH_FRIENDS", 100_000, 1, 1_000_000);

export async function run() {
  await runBenchmark(benchmark);
}

async function benchmark(port: number, fake: LineFake) {
  const env = benchEnvironment({ port, fake, databaseUrl: DATABASE_URL, queuePrefix: "bench-rich-menus" }, { WORKER_LOCK_DURATION_MS: "30000" });
  process.env.DATABASE_STATEMENT_TIMEOUT_MS = "0";
  process.env.DATABASE_QUERY_TIMEOUT_MS = "600000";
  const log = (line: string) => console.log(line);
  log(`rich-menus: ${JSON.stringify({ friends: friendsCount })}`);
  const { ensureDatabase } = await import("../../prisma/ensure-database");
  await ensureDatabase(DATABASE_URL);
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env, stdio: "ignore" });
  const { resetDatabase, resetRedis } = await import("../support/reset");
  await Promise.all([resetDatabase(), resetRedis()]);

  const { db } = await import("../../app/db.server");
  const { createLineAccount, createShop, channelId: newChannelId, channelSecret: newChannelSecret, lineUserId } = await import("../support/factories");
  const { saveRichMenu, publishRichMenu, saveRules } = await import("../../app/rich-menus/rich-menus.server");
  const { createTag } = await import("../../app/tags/tags.server");
  const { friendsChanged } = await import("../../app/friends/changes.server");
  const { menuImage, menuInput } = await import("../support/rich-menus");

  await createShop(db, { shop: SHOP });
  const channelId = newChannelId();
  const channelSecret = newChannelSecret();
  const channel = fake.addChannel({ channelId, channelSecret, bot: { userId: lineUserId(), basicId: "@bench", displayName: "Bench" } });
  const account = await createLineAccount(db, SHOP, { channelId, channelSecret, accessToken: channel.longLivedToken });
  await db.$executeRaw`
    INSERT INTO "Friend" (id, shop, "lineAccountId", "lineUserId", "displayName", "followStatus", "createdAt", "updatedAt")
    SELECT 'f' || g, ${SHOP}, ${account.id}, 'U' || md5('bench-user' || g), 'friend ' || g, 'following', now(), now()
    FROM generate_series(1, ${friendsCount}::int) AS g`;
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Friend"`);
  const friendIds = (await db.friend.findMany({ where: { lineAccountId: account.id }, select: { id: true } })).map((f) => f.id);
  const userIds = new Map((await db.friend.findMany({ where: { lineAccountId: account.id }, select: { lineUserId: true } })).map((f) => [f.lineUserId, true]));

  const workers = await startWorkers(1, env);
  const saved = await saveRichMenu(SHOP, null, menuInput(account.id), menuImage());
  if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
  const tag = await createTag(SHOP, { name: "Campaign" });
  if (!("tag" in tag)) throw new Error("tag");
  await saveRules(SHOP, account.id, [{ tagId: tag.tag.id, richMenuId: saved.menu.id }]);
  const live = await until(() => db.richMenuVersion.findFirst({ where: { richMenuId: saved.menu.id, status: "live" } }), 60_000);
  await until(async () => (await db.friendRichMenu.count({ where: { lineAccountId: account.id, dirtyAt: { not: null } } })) === 0 || null, 120_000);
  const v1 = live.lineRichMenuId!;

  // ------------------------------------------------------------ 1. the postback burst
  const started = Date.now();
  const { sql } = await import("../../app/db.server");
  const chunks: string[][] = [];
  for (let i = 0; i < friendIds.length; i += 100) chunks.push(friendIds.slice(i, i + 100));
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        // As the postback path stores a tag, then announces it.
        await sql`INSERT INTO "FriendTag" ("friendId", "tagId", shop, source, "createdAt")
                  SELECT id, ${tag.tag.id}, ${SHOP}, 'postback', now() FROM unnest(${chunk}::text[]) AS id ON CONFLICT DO NOTHING`;
        await friendsChanged(SHOP, chunk, { type: "tagsAdded", tagIds: [tag.tag.id], source: "postback" });
      }
    }),
  );
  const announced = Date.now();
  await until(async () => (fake.richMenus.linkCounts(channelId).get(v1) ?? 0) >= friendsCount || null, 600_000, 50);
  const relinkS = (Date.now() - started) / 1000;
  const relinkLimitS = Math.ceil(friendsCount / 500) / 2000 + 0.03;
  log(`relink: announced in ${round((announced - started) / 1000, 2)} s, all linked after ${round(relinkS, 2)} s (LINE's limits allow ${round(relinkLimitS, 2)} s)`);

  // ------------------------------------------------------------ 2. an edit of the menu everyone holds
  await sleep(500);
  await saveRichMenu(SHOP, saved.menu.id, { ...menuInput(account.id, "full-4"), name: "Edited" });
  const editStarted = Date.now();
  const queued = await publishRichMenu(SHOP, saved.menu.id);
  if ("errors" in queued) throw new Error(JSON.stringify(queued.errors));
  const v2 = await until(async () => {
    const row = await db.richMenuVersion.findUniqueOrThrow({ where: { id: queued.versionId } });
    return (row.migration as { step?: string }).step === "done" ? row : null;
  }, 600_000, 50);
  const editS = (Date.now() - editStarted) / 1000;
  const state = fake.richMenus.state(channelId);
  let wrong = 0;
  for (const userId of userIds.keys()) if (state.links.get(userId) !== v2.lineRichMenuId) wrong++;
  const onDeleted = fake.richMenus.onDeletedMenu(channelId).reduce((sum, e) => sum + e.users, 0);
  log(`edit: v2 live and everyone moved, v1 deleted=${state.menus.get(v1)?.deletedAt !== undefined}, in ${round(editS, 2)} s`);
  const problems = warnings(workers);
  if (problems.length) log(`worker warnings:\n${problems.slice(0, 10).join("\n")}`);
  console.log(
    JSON.stringify({ friends: friendsCount, relink_s: round(relinkS, 2), relink_limit_s: round(relinkLimitS, 2), wrong_menu: wrong, edit_s: round(editS, 2), on_deleted_menu: onDeleted }),
  );
  if (wrong || onDeleted) process.exitCode = 1;
}

async function until<T>(probe: () => Promise<T | null | undefined | false> | T | null, timeoutMs: number, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as T;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

// Benchmark: one broadcast to every following friend of an account, through the real web process (the composer's
// "send now", a signed admin request) and the real worker (planning, then the send pipeline), against an
// in-process LINE fake that enforces LINE's multicast limits: 200 requests a second per channel, 500 recipients a
// request. Seeds BENCH_FRIENDS following friends plus blocked and staff-blocked ones (never sent to), prints a
// human summary, EXPLAIN ANALYZE of the planning statement (on a rolled-back copy), then one JSON line:
// {"recipients","planning_ms","send_s","recipients_per_s","ceiling_ratio","duplicates","missing","worker_rss_mb"}.
// ceiling_ratio = recipients_per_s / 100,000 (LINE's ceiling for one channel: 200 requests × 500 recipients).
//
// BENCH_FRIENDS (1000000)   following friends (plus 5% blocked and 1% staff-blocked)
// BENCH_KILL (0)            1: kill -9 the worker when about a third of the batches were accepted, start another
// BENCH_SEND_TIMEOUT_S (600)
// BENCH_BROADCAST_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/line_crm_bench_broadcast); Redis prefix
//                           "bench-broadcast"
import { getJwt } from "@shopify/shopify-api/test-helpers";
import type { LineFake } from "../support/line-fake";
import {
  BENCH_API_SECRET,
  benchEnvironment,
  type Child,
  groupPids,
  memoryOf,
  numberEnv,
  prepareDatabase,
  round,
  runBenchmark,
  sleep,
  startWeb,
  startWorkers,
  warnings,
} from "./support";

const DATABASE_URL = process.env.BENCH_BROADCAST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/line_crm_bench_broadcast";
const QUEUE_PREFIX = "bench-broadcast";
const SHOP = "bench-broadcast.myshopify.com";
const SCOPES = "read_orders,read_customers,write_customers,read_products,write_app_proxy";
const API_KEY = "bench-api-key";
const CEILING_PER_S = 200 * 500;
const DESKTOP_USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

const config = {
  friends: numberEnv("BENCH_FRIENDS", 1_000_000, 1, 5_000_000),
  kill: process.env.BENCH_KILL === "1",
  sendTimeoutMs: numberEnv("BENCH_SEND_TIMEOUT_S", 600, 1, 7_200) * 1000,
};

export async function run() {
  await runBenchmark(benchmark);
}

async function benchmark(port: number, fake: LineFake) {
  const env = benchEnvironment(
    { port, fake, databaseUrl: DATABASE_URL, queuePrefix: QUEUE_PREFIX },
    { SCOPES, SHOPIFY_API_KEY: API_KEY, LOG_LEVEL: "info", WORKER_LOCK_DURATION_MS: "5000", WORKER_STALLED_INTERVAL_MS: "2000" },
  );
  // Seeding a million rows takes longer than a statement may in the app; the web and worker keep the app's limit.
  process.env.DATABASE_STATEMENT_TIMEOUT_MS = "0";
  process.env.DATABASE_QUERY_TIMEOUT_MS = "600000";
  const log = (line: string) => console.log(line);
  log(`broadcast: ${JSON.stringify(config)}`);
  fake.setRateLimits({ multicast: 200 }); // LINE's limit (the fake's default, stated here)
  await prepareDatabase(env);

  const { db } = await import("../../app/db.server");
  const { sessionStorage } = await import("../../app/shopify.server");
  const { createLineAccount, createShop, channelId: newChannelId, channelSecret: newChannelSecret, lineUserId } = await import("../support/factories");
  const { offlineSession } = await import("../support/shopify");
  const { saveBroadcast } = await import("../../app/broadcasts/broadcasts.server");
  const { planStatement } = await import("../../app/broadcasts/plan.server");

  // ------------------------------------------------------------ the shop, its account, the friends
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  await sessionStorage.storeSession(offlineSession(SHOP));
  const channelId = newChannelId();
  const channelSecret = newChannelSecret();
  const botUserId = lineUserId();
  const channel = fake.addChannel({ channelId, channelSecret, bot: { userId: botUserId, basicId: "@bench", displayName: "Bench tea" } });
  const account = await createLineAccount(db, SHOP, { displayName: "Bench tea", channelId, channelSecret, botUserId, accessToken: channel.longLivedToken });
  const blocked = Math.round(config.friends * 0.05);
  const staffBlocked = Math.round(config.friends * 0.01);
  const total = config.friends + blocked + staffBlocked;
  const seedStarted = Date.now();
  // g ≤ friends: following; then blocked; then following but staff-blocked. One friend a second, newest last.
  await db.$executeRaw`
    INSERT INTO "Friend" (id, shop, "lineAccountId", "lineUserId", "displayName", "followStatus", "operatorBlockedAt", "createdAt", "updatedAt")
    SELECT 'f' || g, ${SHOP}, ${account.id}, 'U' || md5('bench-user' || g), '友だち ' || g,
           CASE WHEN g > ${config.friends}::int AND g <= ${config.friends + blocked}::int THEN 'blocked' ELSE 'following' END,
           CASE WHEN g > ${config.friends + blocked}::int THEN now() ELSE NULL END,
           timestamp '2024-01-01' + g * interval '1 second', now()
    FROM generate_series(1, ${total}::int) AS g`;
  await db.$executeRawUnsafe(`VACUUM ANALYZE "Friend"`);
  log(`seeded ${total} friends (${config.friends} following, ${blocked} blocked, ${staffBlocked} staff-blocked) in ${round((Date.now() - seedStarted) / 1000)} s`);

  const created = await saveBroadcast(SHOP, null, { name: "Bench sale", lineAccountId: account.id, audience: { type: "all" }, quietHours: false }, [
    { type: "text", text: "冬のセールが始まりました。 https://bench-broadcast.myshopify.com/collections/sale" },
  ]);
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  const broadcast = created.broadcast;

  // ------------------------------------------------------------ EXPLAIN ANALYZE of the planning statement
  const explained = await db
    .$transaction(async (tx) => {
      await tx.broadcast.update({ where: { id: broadcast.id }, data: { status: "planning" } });
      const plan = await tx.$queryRaw<{ "QUERY PLAN": string }[]>`EXPLAIN (ANALYZE, BUFFERS) ${await planStatement(broadcast, null, null, new Date())}`;
      throw Object.assign(new Error("rollback"), { plan: plan.map((row) => row["QUERY PLAN"]).join("\n") });
    }, { timeout: 120_000 })
    .catch((error: { plan?: string }) => {
      if (!error.plan) throw error;
      return error.plan;
    });
  log("planning statement (EXPLAIN ANALYZE, rolled back):");
  log(explained);

  // ------------------------------------------------------------ web and worker
  const { web, url } = await startWeb(port, env);
  let workers: Child[] = await startWorkers(1, env);
  const allWorkers: Child[] = [];
  let workerPids = workers.flatMap(groupPids);
  let workerPeakMb = 0;
  const sampler = setInterval(() => {
    const sample = memoryOf(workerPids);
    workerPeakMb = Math.max(workerPeakMb, sample.peak, sample.rss);
  }, 500);
  log(`web pid ${web.process.pid}, worker pid ${workers[0].process.pid} on ${url}`);

  fake.reset();
  const accepted = () => fake.sent(channelId).filter((d) => d.kind === "multicast");
  // "Send now" as the composer's confirm button posts it.
  const token = (await getJwt(SHOP.replace(".myshopify.com", ""), API_KEY, BENCH_API_SECRET)).token;
  const form = new URLSearchParams({ intent: "schedule", mode: "now" });
  const pressed = Date.now();
  const response = await fetch(`${url}/app/broadcasts/${broadcast.id}?embedded=1&shop=${SHOP}&id_token=${token}`, {
    method: "POST",
    // A browser's user agent: the Shopify library answers 410 to bots (isbot counts Node's fetch as one).
    headers: { authorization: `Bearer ${token}`, "content-type": "application/x-www-form-urlencoded", "user-agent": DESKTOP_USER_AGENT },
    body: form,
    redirect: "manual",
  });
  if (response.status !== 302 && response.status !== 200 && response.status !== 204) throw new Error(`send now: ${response.status} ${await response.text()}`);
  log(`send now answered ${response.status} in ${Date.now() - pressed} ms`);

  const expectedBatches = Math.ceil(config.friends / 500);
  let killed = false;
  const deadline = Date.now() + config.sendTimeoutMs;
  let lastReport = Date.now();
  for (;;) {
    const done = accepted().length;
    if (config.kill && !killed && done >= expectedBatches / 3) {
      killed = true;
      log(`kill -9 the worker after ${done} accepted batches`);
      for (const pid of workerPids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone
        }
      }
      await sleep(200);
      allWorkers.push(...workers);
      workers = await startWorkers(1, env);
      workerPids = workers.flatMap(groupPids);
      log(`worker restarted (pid ${workers[0].process.pid})`);
    }
    const row = await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id }, select: { status: true } });
    if (["sent", "failed", "cancelled"].includes(row.status) || Date.now() > deadline) break;
    if (Date.now() - lastReport > 5_000) {
      log(`  ${done}/${expectedBatches} batches accepted, status ${row.status}, worker RSS ${memoryOf(workerPids).rss} MB`);
      lastReport = Date.now();
    }
    await sleep(100);
  }
  await sleep(2_000); // a late duplicate would show up now
  clearInterval(sampler);

  // ------------------------------------------------------------ figures
  const final = await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } });
  const multicasts = accepted();
  const received = new Map<string, number>();
  for (const delivery of multicasts) for (const to of delivery.to) received.set(to, (received.get(to) ?? 0) + 1);
  const duplicates = [...received.values()].reduce((sum, n) => sum + n - 1, 0);
  const expected = await db.$queryRaw<{ lineUserId: string }[]>`
    SELECT "lineUserId" FROM "Friend" WHERE "lineAccountId" = ${account.id} AND "followStatus" = 'following' AND "operatorBlockedAt" IS NULL`;
  const expectedSet = new Set(expected.map((row) => row.lineUserId));
  const missing = expected.filter((row) => !received.has(row.lineUserId)).length;
  const unexpected = [...received.keys()].filter((id) => !expectedSet.has(id)).length;
  const requests = fake.requests.filter((r) => r.path === "/v2/bot/message/multicast");
  const status = (code: number) => requests.filter((r) => r.status === code).length;
  const firstAt = Math.min(...requests.map((r) => r.at));
  const lastAccepted = Math.max(...requests.filter((r) => r.status === 200).map((r) => r.at));
  // Logged by the worker that planned (app/broadcasts/run.server.ts) when planning ended; with BENCH_KILL the first
  // worker's output is gone with it only if it was killed before planning, which the kill point (a third of the
  // batches) rules out. The send is timed from that line: the Broadcast row's plannedAt is the freezing statement's
  // start, so it would count the freeze (a part of planning) as sending.
  const plannedLine = [...allWorkers, ...workers].flatMap((w) => w.output().split("\n")).find((line) => line.includes('"broadcast planned"'));
  const planned = plannedLine ? (JSON.parse(plannedLine) as { planningMs: number; time: string }) : null;
  const planningMs = planned?.planningMs ?? null;
  const plannedAt = planned ? Date.parse(planned.time) : (final.plannedAt?.getTime() ?? firstAt);
  const sendS = (lastAccepted - plannedAt) / 1000;
  const recipientsPerS = received.size / sendS;
  const delivered = await db.delivery.groupBy({ by: ["status"], where: { kind: "broadcast", sourceId: broadcast.id }, _count: { _all: true } });

  log("");
  log(`broadcast       ${final.status}: ${final.recipients} recipients in ${final.batches} batches; deliveries ${JSON.stringify(Object.fromEntries(delivered.map((d) => [d.status, d._count._all])))}`);
  log(`planning        ${planningMs} ms in the worker (count, quota, links and the freezing statement); first multicast ${firstAt - plannedAt} ms after it`);
  log(`multicast       ${status(200)} accepted, ${status(409)} retry-key repeats (409), ${status(429)} over the rate (429), ${requests.length} requests in all`);
  log(`send            ${round(sendS, 2)} s after planning: ${round(recipientsPerS)} recipients/s (${round(recipientsPerS / CEILING_PER_S, 3)} of LINE's ceiling)`);
  log(`correctness     ${duplicates} duplicates, ${missing} missing, ${unexpected} blocked or staff-blocked reached`);
  log(`worker          peak RSS ${round(workerPeakMb)} MB${config.kill ? ", killed once and restarted" : ""}`);
  const warned = warnings([...allWorkers, ...workers, web]);
  if (warned.length) log(`warnings (${warned.length}): ${warned.slice(0, 5).join("\n")}`);

  const result = {
    recipients: received.size,
    planning_ms: planningMs,
    send_s: round(sendS, 2),
    recipients_per_s: round(recipientsPerS),
    ceiling_ratio: round(recipientsPerS / CEILING_PER_S, 3),
    duplicates: duplicates + unexpected,
    missing,
    worker_rss_mb: round(workerPeakMb),
  };
  console.log(JSON.stringify(result));
  if (result.duplicates || result.missing) process.exitCode = 1;
}

// Benchmark: step scenarios. N friends enter one 3-step scenario in the same minute (a tag added to all of them
// at once, as a broadcast's postback or a bulk tag would: one set-based FriendTag insert and one announcement, whose
// listener inserts the runs 5,000 at a time). The first step is "day 0 at HH:MM" on the shop's clock, the first whole
// minute BENCH_DELAY_MIN after the entry began, so the N sends fall due in the same second whenever each run
// started; the other two steps wait a day (2N waiting steps stay in PostgreSQL).
// The real worker (jobs/worker.ts, a child process) evaluates the new runs (each first tick computes its due
// time), then at the due second claims the due runs in batches, records one push delivery per run step and sends
// them through the pipeline to the LINE fake, which enforces LINE_PUSH_PER_SECOND. The lag of each push is the
// fake's arrival time minus the step's due time.
// Prints a human summary, then one JSON object as the last line.
//
// BENCH_FRIENDS (100000)   friends entering the scenario
// BENCH_DELAY_MIN (3)      the first step's delay after the start, in minutes: long enough for the worker to evaluate every new
//                          run before the due second (the summary says how long that took)
// BENCH_WORKERS (1)        worker processes (scheduler_rss_mb is the largest one's peak)
// BENCH_PUSH_TIMEOUT_S (600) time limit of the burst
// BENCH_STEPS_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/line_crm_bench_steps); Redis prefix "bench-steps"
// LINE_PUSH_PER_SECOND, WORKER_CONCURRENCY: passed to the worker when set
import { cpus } from "node:os";
import type { LineFake } from "../support/line-fake";
import {
  benchEnvironment,
  type Child,
  cpuDelta,
  cpuMeter,
  groupPids,
  loadAverage,
  memoryOf,
  numberEnv,
  prepareDatabase,
  REDIS_URL,
  round,
  runBenchmark,
  sleep,
  startWorkers,
  warnings,
} from "./support";

const DATABASE_URL = process.env.BENCH_STEPS_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/line_crm_bench_steps";
const QUEUE_PREFIX = "bench-steps";
const SHOP = "bench-steps.myshopify.com";
const pushBudget = Number(process.env.LINE_PUSH_PER_SECOND ?? 1_800);

const config = {
  friends: numberEnv("BENCH_FRIENDS", 100_000, 1, 2_000_000),
  delayS: numberEnv("BENCH_DELAY_MIN", 3, 1, 600) * 60,
  workers: numberEnv("BENCH_WORKERS", 1, 1, 8),
  pushTimeoutMs: numberEnv("BENCH_PUSH_TIMEOUT_S", 600, 1, 7_200) * 1000,
};

export async function run() {
  await runBenchmark(benchmark);
}

/** Redis memory used (bytes), as INFO memory reports it. */
async function redisUsedBytes(): Promise<number> {
  const { Redis } = await import("ioredis");
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await client.connect();
    const info = await client.info("memory");
    return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0);
  } finally {
    client.disconnect();
  }
}

async function benchmark(port: number, fake: LineFake) {
  const env = benchEnvironment({ port, fake, databaseUrl: DATABASE_URL, queuePrefix: QUEUE_PREFIX }, { LOG_LEVEL: "info" });
  const log = (line: string) => console.log(line);
  log(`steps: ${JSON.stringify(config)}, push budget ${pushBudget}/s`);
  await prepareDatabase(env);
  const cpuSnapshot = cpuMeter(DATABASE_URL, "bench+fake");

  const { db } = await import("../../app/db.server");
  const { friendsChanged } = await import("../../app/friends/changes.server");
  const { saveScenario } = await import("../../app/scenarios/scenarios.server");
  const { channelId: newChannelId, channelSecret: newChannelSecret, createLineAccount, createShop, lineUserId } = await import("../support/factories");

  // ------------------------------------------------------------ the shop, its account, N friends, the scenario
  await createShop(db, { shop: SHOP, timeZone: "UTC" });
  const channelId = newChannelId();
  const channelSecret = newChannelSecret();
  const botUserId = lineUserId();
  const channel = fake.addChannel({ channelId, channelSecret, bot: { userId: botUserId, basicId: "@benchsteps", displayName: "Bench tea" } });
  const account = await createLineAccount(db, SHOP, { displayName: "Bench tea", channelId, channelSecret, botUserId, accessToken: channel.longLivedToken });
  for (let start = 0; start < config.friends; start += 10_000) {
    await db.friend.createMany({
      data: Array.from({ length: Math.min(10_000, config.friends - start) }, (_, i) => ({
        shop: SHOP,
        lineAccountId: account.id,
        lineUserId: lineUserId(),
        displayName: `Friend ${start + i}`,
        followStatus: "following",
      })),
    });
  }
  const tag = await db.tag.create({ data: { shop: SHOP, name: "Campaign" } });
  // The due second: a whole minute on the shop's clock (UTC here), BENCH_DELAY_MIN after the entry begins.
  const entryAt = Date.now() + 5_000;
  const dueAt = new Date(Math.ceil((entryAt + config.delayS * 1000) / 60_000) * 60_000);
  const dueDay = Math.round((Date.UTC(dueAt.getUTCFullYear(), dueAt.getUTCMonth(), dueAt.getUTCDate()) - Date.UTC(new Date(entryAt).getUTCFullYear(), new Date(entryAt).getUTCMonth(), new Date(entryAt).getUTCDate())) / 86_400_000);
  const saved = await saveScenario(SHOP, null, {
    name: "Bench nurture",
    lineAccountId: account.id,
    status: "on",
    trigger: { type: "tagAdded", tagId: tag.id },
    quietHours: false,
    steps: [
      { delay: { kind: "dayAt", day: dueDay, time: dueAt.toISOString().slice(11, 16) }, messages: [{ type: "text", text: "Welcome, {displayName}! https://bench-steps.example/new" }] },
      { delay: { kind: "after", amount: 1, unit: "days", from: "previous" }, messages: [{ type: "text", text: "Day two" }] },
      { delay: { kind: "after", amount: 2, unit: "days", from: "start" }, messages: [{ type: "text", text: "Day three" }] },
    ],
  });
  if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
  const scenario = saved.scenario;
  await db.$executeRawUnsafe(`ANALYZE`);

  // ------------------------------------------------------------ the worker
  const workers: Child[] = await startWorkers(config.workers, env);
  const workerPids = workers.flatMap(groupPids);
  let workerPeakMb = 0;
  let redisPeakBytes = 0;
  const sampler = setInterval(() => {
    workerPeakMb = Math.max(workerPeakMb, memoryOf(workerPids).peak);
    redisUsedBytes().then((bytes) => (redisPeakBytes = Math.max(redisPeakBytes, bytes)), () => {});
  }, 1_000);
  const redisBefore = await redisUsedBytes();
  log(`worker pids ${workerPids.join(", ")} ready; Redis ${round(redisBefore / 1048576)} MB`);

  try {
    // ---------------------------------------------------------- entry: the tag for everyone, one announcement
    fake.reset();
    while (Date.now() < entryAt) await sleep(100);
    const entryStarted = Date.now();
    const tagged = await db.$queryRaw<{ friendId: string }[]>`
      INSERT INTO "FriendTag" ("friendId", "tagId", shop, source, "createdAt")
      SELECT f.id, ${tag.id}, ${SHOP}, 'broadcast', now() FROM "Friend" f WHERE f."lineAccountId" = ${account.id}
      RETURNING "friendId"`;
    await friendsChanged(SHOP, tagged.map((t) => t.friendId), { type: "tagsAdded", tagIds: [tag.id], source: "broadcast" });
    const entryMs = Date.now() - entryStarted;
    const runs = await db.scenarioRun.count({ where: { scenarioId: scenario.id } });
    const [startedAt] = await db.$queryRaw<{ min: Date; max: Date }[]>`
      SELECT min("startedAt"), max("startedAt") FROM "ScenarioRun" WHERE "scenarioId" = ${scenario.id}`;
    log(`entry: ${tagged.length} tagged, ${runs} runs started in ${entryMs} ms (start times ${startedAt.min.toISOString()} … ${startedAt.max.toISOString()}); step 1 due at ${dueAt.toISOString()}`);

    // ---------------------------------------------------------- the worker's first evaluation of every run
    const parked = async () => {
      const [row] = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM "ScenarioRun" WHERE "scenarioId" = ${scenario.id} AND status = 'active' AND "nextDueAt" = ${dueAt}`;
      return row.n;
    };
    let evaluated = 0;
    while (Date.now() < dueAt.getTime() - 1_500) {
      evaluated = await parked();
      if (evaluated === runs) break;
      await sleep(1_000);
    }
    const evaluatedMs = Date.now() - entryStarted;
    log(`first evaluation: ${evaluated}/${runs} runs waiting for the due second, ${round(evaluatedMs / 1000, 1)} s after the entry; worker RSS ${memoryOf(workerPids).rss} MB`);
    if (evaluated < runs) log("WARNING: not every run was evaluated before the due second (raise BENCH_DELAY_MIN)");
    while (Date.now() < dueAt.getTime() - 1_000) await sleep(100);

    // ---------------------------------------------------------- the due second
    const cpuDue = cpuSnapshot();
    const redisAtDue = await redisUsedBytes();
    const isPush = (r: { path: string; method: string }) => r.method === "POST" && r.path === "/v2/bot/message/push";
    const acceptedPushes = () => fake.requests.filter((r) => isPush(r) && r.status === 200).length;
    const deadline = dueAt.getTime() + config.pushTimeoutMs;
    let lastReport = Date.now();
    while (Date.now() < deadline) {
      const pushed = acceptedPushes();
      if (pushed >= runs) break;
      if (Date.now() - lastReport >= 5_000) {
        log(`  pushed ${pushed}/${runs} at ${round((Date.now() - dueAt.getTime()) / 1000, 1)} s after due, worker RSS ${memoryOf(workerPids).rss} MB, Redis ${round(redisPeakBytes / 1048576)} MB`);
        lastReport = Date.now();
      }
      await sleep(200);
    }
    await sleep(3_000); // a late second delivery would show up now
    const cpuDone = cpuSnapshot();
    clearInterval(sampler);
    workerPeakMb = Math.max(workerPeakMb, memoryOf(workerPids).peak);

    // ---------------------------------------------------------- figures
    const runSteps = await db.$queryRaw<{ lineUserId: string; dueAt: Date }[]>`
      SELECT f."lineUserId", rs."dueAt"
      FROM "ScenarioRunStep" rs JOIN "ScenarioRun" r ON r.id = rs."runId" JOIN "Friend" f ON f.id = r."friendId"
      WHERE r."scenarioId" = ${scenario.id} AND rs."stepId" = ${scenario.steps[0].id}`;
    const dueOf = new Map(runSteps.map((r) => [r.lineUserId, r.dueAt.getTime()]));
    const perUser = new Map<string, number>();
    const lags: number[] = [];
    let rejected = 0;
    for (const request of fake.requests) {
      if (!isPush(request)) continue;
      if (request.status !== 200) {
        rejected += 1;
        continue;
      }
      const to = (request.body as { to?: string }).to ?? "";
      perUser.set(to, (perUser.get(to) ?? 0) + 1);
      if (perUser.get(to) === 1) lags.push(request.at - (dueOf.get(to) ?? dueAt.getTime()));
    }
    const duplicates = [...perUser.values()].reduce((sum, n) => sum + n - 1, 0);
    const missing = runs - perUser.size;
    lags.sort((a, b) => a - b);
    const lagPercentile = (p: number) => {
      const rank = Math.max(1, Math.ceil((p / 100) * runs));
      return rank > lags.length ? null : Math.round(lags[rank - 1]);
    };
    const waiting = await db.scenarioRun.count({ where: { scenarioId: scenario.id, status: "active", nextPosition: 1 } });
    const [sizes] = await db.$queryRaw<{ runs: bigint; runSteps: bigint; deliveries: bigint; runIndexes: bigint }[]>`
      SELECT pg_total_relation_size('"ScenarioRun"') AS runs, pg_total_relation_size('"ScenarioRunStep"') AS "runSteps",
             pg_total_relation_size('"Delivery"') AS deliveries, pg_indexes_size('"ScenarioRun"') AS "runIndexes"`;
    const target = (1.15 * runs) / pushBudget;

    const result = {
      runs,
      due_at_once: runSteps.length,
      push_budget_per_s: pushBudget,
      send_lag_p50_ms: lagPercentile(50),
      send_lag_p99_ms: lagPercentile(99),
      duplicates,
      missing,
      scheduler_rss_mb: round(workerPeakMb),
      redis_mb: round(Math.max(redisPeakBytes, redisAtDue) / 1048576),
      // Beyond the fields: what a reader needs to judge the figures above.
      target_p99_ms: Math.round(target * 1000),
      redis_mb_before: round(redisBefore / 1048576),
      waiting_steps_after: waiting * 2,
      entry_ms: entryMs,
      evaluated_in_s: round(evaluatedMs / 1000, 1),
      last_push_s: lags.length ? round(lags[lags.length - 1] / 1000, 2) : null,
      rejected_pushes: rejected,
      pg_run_bytes_per_run: Math.round(Number(sizes.runs) / Math.max(1, runs)),
      pg_run_step_bytes_per_row: Math.round(Number(sizes.runSteps) / Math.max(1, runSteps.length)),
      pg_delivery_bytes_per_row: Math.round(Number(sizes.deliveries) / Math.max(1, runSteps.length)),
      workers: config.workers,
      worker_concurrency: Number(process.env.WORKER_CONCURRENCY ?? 20),
      cores: cpus().length,
    };
    const burstCpu = cpuDelta(cpuDue, cpuDone);
    log("");
    log(`pushes          ${perUser.size} friends reached (${rejected} rejected), ${missing} missing, ${duplicates} duplicates`);
    log(`lag after due   p50 ${result.send_lag_p50_ms} ms, p90 ${lagPercentile(90)} ms, p99 ${result.send_lag_p99_ms} ms (target ≤ ${result.target_p99_ms} ms), last ${result.last_push_s} s`);
    log(`memory          worker peak ${result.scheduler_rss_mb} MB; Redis ${result.redis_mb_before} MB before, ${round(redisAtDue / 1048576)} MB at due, ${result.redis_mb} MB peak`);
    log(`PostgreSQL      ScenarioRun ${round(Number(sizes.runs) / 1048576)} MB (${result.pg_run_bytes_per_run} B/run incl. indexes ${round(Number(sizes.runIndexes) / 1048576)} MB), ScenarioRunStep ${round(Number(sizes.runSteps) / 1048576)} MB, Delivery ${round(Number(sizes.deliveries) / 1048576)} MB`);
    log(`CPU s, burst    ${JSON.stringify(burstCpu)}`);
    log(`load average    ${loadAverage()} (${cpus().length} cores)`);
    const workerWarnings = warnings(workers);
    if (workerWarnings.length) log(`worker warnings ${workerWarnings.length}, e.g. ${workerWarnings[0]}`);
    if (duplicates || missing) process.exitCode = 1;
    log(JSON.stringify(result));
  } finally {
    clearInterval(sampler);
  }
}

// Benchmark: LINE webhook ingest and follow processing, through the real web process (app/server.ts) and the
// real worker (jobs/worker.ts) started as child processes, against their own database, Redis key prefix and an
// in-process LINE fake. Prints a human summary, then one JSON object as the last line.
//
// BENCH_EVENTS (20000)       distinct users, one follow event each
// BENCH_BATCH (1)            events per webhook request (LINE does batch; 1 is the hardest case)
// BENCH_CONNECTIONS (16)     concurrent keep-alive connections to the web process
// BENCH_REDELIVER (0.05)     share of requests delivered a second time (isRedelivery, same webhookEventIds)
// BENCH_GREETING (0)         1: a greeting is set, so every follow also sends a reply through the fake
// BENCH_WARMUP (1000)        events to a second account first (JIT, pools), excluded from the figures
// BENCH_SEND_TIMEOUT_S (300), BENCH_PROCESS_TIMEOUT_S (600): time limits of the two phases
// BENCH_WORKERS (1)          worker processes
// BENCH_WORKER_DURING_SEND (1)  0: workers stop after the warm-up and start again when every request is answered,
//                            to measure ingest and processing each on their own (diagnosis, not the target setup)
// WORKER_CONCURRENCY         passed to the worker when set (the app's default otherwise)
// BENCH_PROFILE=<dir>        web and worker write V8 CPU profiles (.cpuprofile) there when they stop
//
// The process, /proc and load helpers are shared with tests/bench/abandoned-cart.ts in tests/bench/support.ts.
import { createHmac } from "node:crypto";
import { cpus } from "node:os";
import type { LineFake } from "../support/line-fake";
import {
  answeredOutcomes,
  benchEnvironment,
  type Child,
  cpuDelta,
  cpuMeter,
  type Delivery,
  loadAverage,
  numberEnv,
  percentile,
  prepareDatabase,
  round,
  runBenchmark,
  send,
  sortedLatencies,
  startWeb,
  startWorkers,
  stopChild,
  waitProcessed,
  warnings,
} from "./support";

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/line_crm_bench";
const QUEUE_PREFIX = "bench";

const config = {
  events: numberEnv("BENCH_EVENTS", 20_000, 1, 1_000_000),
  batch: numberEnv("BENCH_BATCH", 1, 1, 100),
  connections: numberEnv("BENCH_CONNECTIONS", 16, 1, 256),
  redeliver: numberEnv("BENCH_REDELIVER", 0.05, 0, 1),
  greeting: process.env.BENCH_GREETING === "1",
  warmup: numberEnv("BENCH_WARMUP", 1_000, 0, 100_000),
  workers: numberEnv("BENCH_WORKERS", 1, 1, 16),
  workerDuringSend: process.env.BENCH_WORKER_DURING_SEND !== "0",
  sendTimeoutMs: numberEnv("BENCH_SEND_TIMEOUT_S", 300, 1, 3_600) * 1000,
  processTimeoutMs: numberEnv("BENCH_PROCESS_TIMEOUT_S", 600, 1, 3_600) * 1000,
};

export async function run() {
  await runBenchmark(benchmark);
}

type Webhook = Delivery & { events: number[]; redelivery: boolean };

function sign(secret: string, body: Buffer) {
  return createHmac("sha256", secret).update(body).digest("base64");
}

async function benchmark(port: number, fake: LineFake) {
  const env = benchEnvironment({ port, fake, databaseUrl: DATABASE_URL, queuePrefix: QUEUE_PREFIX });
  const log = (line: string) => console.log(line);
  log(`line-webhook: ${JSON.stringify(config)}`);
  await prepareDatabase(env);
  const cpuSnapshot = cpuMeter(DATABASE_URL, "bench");

  const { db } = await import("../../app/db.server");
  const { createLineAccount, createShop, channelId, channelSecret, lineUserId } = await import("../support/factories");
  const { lineEvents, webhookBody } = await import("../support/line");
  const shop = await createShop(db, { shop: "bench.myshopify.com" });

  async function account(label: string, users: string[]) {
    const id = channelId();
    const secret = channelSecret();
    const botUserId = lineUserId();
    const channel = fake.addChannel({
      channelId: id,
      channelSecret: secret,
      bot: { userId: botUserId, basicId: "@bench", displayName: label },
    });
    for (const userId of users) fake.setProfile(id, { userId, displayName: `Friend ${userId.slice(-6)}`, language: "ja" });
    const row = await createLineAccount(db, shop.shop, {
      displayName: label,
      channelId: id,
      channelSecret: secret,
      botUserId,
      accessToken: channel.longLivedToken,
    });
    if (config.greeting) {
      await db.greetingMessage.create({ data: { lineAccountId: row.id, shop: shop.shop, enabled: true, messages: ["ようこそ！"] } });
    }
    return { row, secret, botUserId, channelId: id };
  }

  function deliveries(target: Awaited<ReturnType<typeof account>>, users: string[], redeliver: number): Webhook[] {
    const originals: { events: object[]; indexes: number[] }[] = [];
    for (let start = 0; start < users.length; start += config.batch) {
      const indexes = users.slice(start, start + config.batch).map((_, offset) => start + offset);
      const events = indexes.map((index) =>
        lineEvents.follow({
          userId: users[index],
          ...(config.greeting
            ? { replyToken: fake.issueReplyToken(target.channelId, users[index], { ttlMs: 3_600_000 }) }
            : {}),
        }),
      );
      originals.push({ events, indexes });
    }
    const build = (events: object[], indexes: number[], redelivery: boolean): Webhook => {
      const body = Buffer.from(JSON.stringify(webhookBody(target.botUserId, events)));
      const headers = { "content-type": "application/json; charset=utf-8", "x-line-signature": sign(target.secret, body) };
      return { body, headers, events: indexes, redelivery };
    };
    // A redelivery repeats an earlier request (same webhookEventIds, isRedelivery) a little later, sometimes
    // while the original is still in flight.
    const every = redeliver > 0 ? Math.max(1, Math.round(1 / redeliver)) : 0;
    const list: Webhook[] = [];
    originals.forEach(({ events, indexes }, position) => {
      list.push(build(events, indexes, false));
      if (every && position % every === every - 1) {
        const earlier = originals[Math.max(0, position - 2 * config.connections)];
        const again = earlier.events.map((event) => ({ ...event, deliveryContext: { isRedelivery: true } }));
        list.push(build(again, earlier.indexes, true));
      }
    });
    return list;
  }

  const users = Array.from({ length: config.events }, lineUserId);
  const warmupUsers = Array.from({ length: config.warmup }, lineUserId);
  const measured = await account("bench", users);
  const warm = await account("warm-up", warmupUsers);

  const { web, url } = await startWeb(port, env);
  let workers: Child[] = [];
  const startAllWorkers = async () => {
    workers = await startWorkers(config.workers, env);
    return Date.now();
  };
  let workersReadyAt = await startAllWorkers();
  log(`web pid ${web.process.pid}, worker pid ${workers.map((w) => w.process.pid).join(", ")} ready on ${url}`);

  const countProcessed = async (lineAccountId: string) => {
    const [row] = await db.$queryRaw<{ total: bigint; processed: bigint; failed: bigint; last: Date | null }[]>`
      SELECT count(*) AS total, count("processedAt") AS processed, count("failedAt") AS failed, max("processedAt") AS last
      FROM "LineEvent" WHERE "lineAccountId" = ${lineAccountId}`;
    return { total: Number(row.total), processed: Number(row.processed), failed: Number(row.failed), last: row.last };
  };
  const waitEvents = (lineAccountId: string, expected: number, progress: boolean) =>
    waitProcessed(() => countProcessed(lineAccountId), expected, {
      timeoutMs: config.processTimeoutMs,
      pollMs: 100,
      reportMs: 5_000,
      report: progress ? (counts) => log(`  processed ${counts.processed}/${expected}`) : undefined,
    });

  const path = (target: { row: { id: string } }) => `/webhooks/line/${target.row.id}`;
  if (config.warmup) {
    log(`warm-up: ${config.warmup} events to a second account…`);
    await send(port, path(warm), deliveries(warm, warmupUsers, 0), config.connections, config.sendTimeoutMs);
    await waitEvents(warm.row.id, config.warmup, false);
  }
  if (!config.workerDuringSend) {
    await Promise.all(workers.map(stopChild));
    log("workers stopped until every request is answered");
  }
  fake.reset(); // count LINE calls of the measured run only

  const list = deliveries(measured, users, config.redeliver);
  log(`sending ${config.events} follow events in ${list.length} requests over ${config.connections} connections…`);
  const loadBefore = loadAverage();
  const cpuStart = cpuSnapshot();
  const sent = await send(port, path(measured), list, config.connections, config.sendTimeoutMs);
  const cpuSent = cpuSnapshot();
  const acked = new Set<number>();
  sent.outcomes.forEach((outcome, index) => {
    if (outcome?.status === 200) for (const event of list[index].events) acked.add(event);
  });
  log(`sent in ${round(sent.seconds, 2)} s; waiting for the worker…`);
  if (!config.workerDuringSend) workersReadyAt = await startAllWorkers();
  const counts = await waitEvents(measured.row.id, acked.size, true);
  const cpuDone = cpuSnapshot();

  // ---------------------------------------------------------------- figures
  const answered = answeredOutcomes(sent.outcomes);
  const latencies = sortedLatencies(sent.outcomes);
  const failedRequests = list.length - answered.filter((o) => o.status === 200).length;

  const events = await db.$queryRaw<{ lineUserId: string; processed: boolean; attempts: number }[]>`
    SELECT "lineUserId", "processedAt" IS NOT NULL AS processed, attempts
    FROM "LineEvent" WHERE "lineAccountId" = ${measured.row.id}`;
  const friends = await db.$queryRaw<{ lineUserId: string }[]>`
    SELECT "lineUserId" FROM "Friend" WHERE "lineAccountId" = ${measured.row.id}`;
  const processedUsers = new Set(events.filter((e) => e.processed).map((e) => e.lineUserId));
  const friendUsers = new Set(friends.map((f) => f.lineUserId));
  // Lost: acknowledged (so LINE would not send it again) but never processed, or no friend row. Events whose
  // requests were not acknowledged (errors, send time limit) are counted apart: LINE would redeliver those.
  const lost = users.filter((user, index) => acked.has(index) && (!processedUsers.has(user) || !friendUsers.has(user))).length;
  // The follow handler fetches the profile once per run of it: more than one fetch is a second processing.
  const profileFetches = new Map<string, number>();
  for (const request of fake.requests) {
    const match = /^\/v2\/bot\/profile\/(.+)$/.exec(request.path);
    if (match) profileFetches.set(match[1], (profileFetches.get(match[1]) ?? 0) + 1);
  }
  const processedTwice = [...profileFetches.values()].filter((count) => count > 1).length;
  const duplicated =
    friends.length - friendUsers.size + (events.length - new Set(events.map((e) => e.lineUserId)).size) + processedTwice;
  const retried = events.filter((e) => e.attempts > 1).length;
  const replies = fake.sent(measured.channelId).filter((d) => d.kind === "reply").length;

  // From the first ack (or, when the workers waited, from their start) to the last processedAt.
  const processingFrom = config.workerDuringSend ? sent.firstAckWallMs : workersReadyAt;
  const processingSeconds = counts.last && processingFrom ? (counts.last.getTime() - processingFrom) / 1000 : Number.NaN;
  const sendCpu = cpuDelta(cpuStart, cpuSent);
  const result = {
    events: config.events,
    ack_per_s: round(acked.size / sent.seconds),
    ack_p50_ms: round(percentile(latencies, 50), 2),
    ack_p99_ms: round(percentile(latencies, 99), 2),
    processed_per_s: round(counts.processed / processingSeconds),
    lost,
    duplicated,
    batch: config.batch,
    requests: list.length,
    req_per_s: round(answered.length / sent.seconds),
    redelivered_requests: list.filter((d) => d.redelivery).length,
    failed_requests: failedRequests,
    unacked_events: config.events - acked.size,
    retried,
    failed_events: counts.failed,
    connections: config.connections,
    workers: config.workers,
    worker_concurrency: Number(process.env.WORKER_CONCURRENCY ?? 20),
    worker_during_send: config.workerDuringSend,
    greeting: config.greeting,
    // Cores that processes outside this benchmark kept busy during the send phase, on average.
    other_load_cores: round(sendCpu.others / sent.seconds, 2),
  };

  const workerWarnings = warnings(workers);
  log("");
  log(`send phase      ${round(sent.seconds, 2)} s, ${answered.length}/${list.length} requests answered, ${failedRequests} not 200`);
  log(`ack             ${result.ack_per_s} events/s, ${result.req_per_s} requests/s (batch ${config.batch}), p50 ${result.ack_p50_ms} ms, p90 ${round(percentile(latencies, 90), 2)} ms, p99 ${result.ack_p99_ms} ms, max ${round(latencies.at(-1) ?? Number.NaN, 2)} ms`);
  log(`processing      ${counts.processed}/${config.events} processed (${counts.failed} failed) in ${round(processingSeconds, 2)} s from ${config.workerDuringSend ? "first ack" : "worker start"}: ${result.processed_per_s} events/s`);
  log(`checks          lost ${lost}, duplicated ${duplicated} (friend rows ${friends.length}, distinct ${friendUsers.size}; handled twice ${processedTwice}), retried ${retried}, greeting replies ${replies}`);
  log(`CPU s, send    ${JSON.stringify(sendCpu)}`);
  log(`CPU s, drain   ${JSON.stringify(cpuDelta(cpuSent, cpuDone))}`);
  const perEvent = Object.entries(cpuDelta(cpuStart, cpuDone)).map(([key, seconds]) => `${key} ${round((seconds * 1000) / config.events, 2)}`);
  log(`CPU ms/event   ${perEvent.join(", ")} (whole run, send + drain)`);
  log(`load average   ${loadBefore} before, ${loadAverage()} after (${cpus().length} cores)`);
  if (workerWarnings.length) log(`worker warnings ${workerWarnings.length}, e.g. ${workerWarnings[0]}`);
  if (lost || duplicated) process.exitCode = 1;
  log(JSON.stringify(result));
}

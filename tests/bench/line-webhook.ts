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
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { createServer } from "node:net";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import type { LineFake } from "../support/line-fake";

const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/line_crm_bench";
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const QUEUE_PREFIX = "bench";
const REQUEST_TIMEOUT_MS = 10_000;

function numberEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}`);
  return value;
}

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

// ---------------------------------------------------------------- child processes

type Child = { name: string; process: ChildProcess; output: () => string };
const children: Child[] = [];

/** `tsx` from PATH: under `npm run bench` that is node_modules/.bin, running on the `node` devDependency. */
function startChild(name: string, script: string, env: NodeJS.ProcessEnv): Child {
  // Its own process group, so that a stuck child and tsx's inner node process can be killed together.
  const profile = process.env.BENCH_PROFILE ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn("tsx", [...profile, script], { env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-64_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const entry = { name, process: child, output: () => output };
  children.push(entry);
  return entry;
}

async function stopChild(child: Child) {
  const { process: proc } = child;
  if (proc.exitCode !== null || proc.signalCode !== null || !proc.pid) return;
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.kill("SIGTERM"); // tsx relays it; the app stops gracefully within SHUTDOWN_DEADLINE_MS
  const timer = setTimeout(() => killGroup(proc), 15_000);
  await exited;
  clearTimeout(timer);
}

function killGroup(proc: ChildProcess) {
  try {
    if (proc.pid) process.kill(-proc.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

async function waitFor(what: string, child: Child, probe: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.process.exitCode !== null) throw new Error(`${child.name} exited early:\n${child.output()}`);
    if (await probe()) return;
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms:\n${child.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

function npx(args: string[], env: NodeJS.ProcessEnv) {
  try {
    execFileSync("npx", args, { env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const failed = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npx ${args.join(" ")} failed:\n${failed.stdout ?? ""}${failed.stderr ?? ""}`);
  }
}

// ---------------------------------------------------------------- CPU accounting from /proc (Linux)
// CPU time per component tells where the time goes even on a busy machine; "others" is what processes outside
// this benchmark (other test runs, editors…) took from the same cores meanwhile.

const TICKS_PER_S = 100;
const DATABASE_NAME = new URL(DATABASE_URL).pathname.slice(1);

function machineBusySeconds(): number {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number); // idle and iowait skipped
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_S;
}

/** CPU seconds so far: our children (by process group), this process, the bench database's backends, Redis. */
function cpuSnapshot(): Map<string, number> {
  const totals = new Map<string, number>();
  const add = (key: string, seconds: number) => totals.set(key, (totals.get(key) ?? 0) + seconds);
  const groups = new Map(children.map((child) => [child.process.pid, child.name]));
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    let command: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      command = readFileSync(`/proc/${entry}/cmdline`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S; // utime + stime
    const group = groups.get(Number(fields[2]));
    if (group) add(group, seconds);
    else if (Number(entry) === process.pid) add("bench", seconds);
    // Backends name their database in their title: "postgres: 15/main: postgres line_crm_bench 127.0.0.1(…) idle".
    else if (command.startsWith("postgres:") && command.split(" ").includes(DATABASE_NAME)) add("postgres", seconds);
    else if (command.startsWith("redis-server")) add("redis (shared)", seconds);
  }
  totals.set("machine", machineBusySeconds());
  return totals;
}

function cpuDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  let ours = 0;
  for (const [key, value] of after) {
    if (key === "machine") continue;
    delta[key] = round(value - (before.get(key) ?? 0), 2);
    ours += delta[key];
  }
  delta.others = round(Math.max(0, (after.get("machine") ?? 0) - (before.get("machine") ?? 0) - ours), 2);
  return delta;
}

// ---------------------------------------------------------------- load

type Delivery = { body: Buffer; signature: string; events: number[]; redelivery: boolean };
type Outcome = { status: number; ms: number };

function sign(secret: string, body: Buffer) {
  return createHmac("sha256", secret).update(body).digest("base64");
}

function post(agent: http.Agent, port: number, path: string, delivery: Delivery): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number) => resolve({ status, ms: performance.now() - started });
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: "POST",
        agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-length": delivery.body.length,
          "x-line-signature": delivery.signature,
        },
      },
      (response) => {
        response.resume();
        response.on("end", () => done(response.statusCode ?? 0));
        response.on("error", () => done(0));
      },
    );
    request.on("timeout", () => request.destroy(new Error("timeout")));
    request.on("error", () => done(0));
    request.end(delivery.body);
  });
}

/** Sends every delivery over at most `connections` keep-alive sockets, stopping new sends at the deadline. */
async function send(port: number, path: string, deliveries: Delivery[], connections: number, timeoutMs: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const outcomes: (Outcome | undefined)[] = new Array(deliveries.length);
  const deadline = Date.now() + timeoutMs;
  let next = 0;
  let firstAckWallMs = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < deliveries.length && Date.now() < deadline) {
      const index = next++;
      const outcome = await post(agent, port, path, deliveries[index]);
      if (outcome.status === 200 && !firstAckWallMs) firstAckWallMs = Date.now();
      outcomes[index] = outcome;
    }
  };
  await Promise.all(Array.from({ length: connections }, lane));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { outcomes, seconds, firstAckWallMs };
}

function percentile(sorted: number[], p: number) {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function round(value: number, digits = 1) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

// ---------------------------------------------------------------- the run

export async function run() {
  const port = await freePort();
  const fake = await startLineFake();
  const cleanup = async () => {
    await Promise.all(children.map(stopChild));
    await fake.close().catch(() => {});
  };
  // Ctrl-C or a kill: stop the children too (they are in their own process groups).
  const onSignal = (signal: NodeJS.Signals) => {
    cleanup().finally(() => process.exit(signal === "SIGINT" ? 130 : 143));
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  process.once("exit", () => children.forEach((child) => child.process.exitCode === null && killGroup(child.process)));
  try {
    await benchmark(port, fake);
  } finally {
    await cleanup();
  }
}

async function startLineFake(): Promise<LineFake> {
  const { startLineFake: start } = await import("../support/line-fake");
  return start();
}

async function benchmark(port: number, fake: LineFake) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_URL,
    REDIS_URL,
    QUEUE_PREFIX,
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: "bench-api-secret",
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    ENCRYPTION_KEY: `bench:${randomBytes(32).toString("base64")}`,
    LINE_API_BASE_URL: fake.url,
    LINE_DATA_API_BASE_URL: fake.url,
    LOG_LEVEL: "info",
  };
  // App modules read the configuration when first imported: set it for this process before importing any.
  Object.assign(process.env, env);

  const log = (line: string) => console.log(line);
  log(`line-webhook: ${JSON.stringify(config)}`);
  log("setting up database, Redis keys and build…");
  const { ensureDatabase } = await import("../../prisma/ensure-database");
  await ensureDatabase(DATABASE_URL);
  npx(["prisma", "migrate", "deploy"], env);
  const { resetDatabase, resetRedis } = await import("../support/reset");
  await Promise.all([resetDatabase(), resetRedis()]);
  npx(["remix", "build"], env);

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

  function deliveries(target: Awaited<ReturnType<typeof account>>, users: string[], redeliver: number): Delivery[] {
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
    const build = (events: object[], indexes: number[], redelivery: boolean): Delivery => {
      const body = Buffer.from(JSON.stringify(webhookBody(target.botUserId, events)));
      return { body, signature: sign(target.secret, body), events: indexes, redelivery };
    };
    // A redelivery repeats an earlier request (same webhookEventIds, isRedelivery) a little later, sometimes
    // while the original is still in flight.
    const every = redeliver > 0 ? Math.max(1, Math.round(1 / redeliver)) : 0;
    const list: Delivery[] = [];
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

  const web = startChild("web", "app/server.ts", env);
  const url = `http://127.0.0.1:${port}`;
  await waitFor("web /healthz", web, () => fetch(`${url}/healthz`).then((r) => r.ok, () => false));
  let workers: Child[] = [];
  const startWorkers = async () => {
    workers = Array.from({ length: config.workers }, () => startChild("worker", "jobs/worker.ts", env));
    for (const worker of workers) await waitFor("worker ready", worker, () => worker.output().includes('"worker ready"'));
    return Date.now();
  };
  let workersReadyAt = await startWorkers();
  log(`web pid ${web.process.pid}, worker pid ${workers.map((w) => w.process.pid).join(", ")} ready on ${url}`);

  const countProcessed = async (lineAccountId: string) => {
    const [row] = await db.$queryRaw<{ total: bigint; processed: bigint; failed: bigint; last: Date | null }[]>`
      SELECT count(*) AS total, count("processedAt") AS processed, count("failedAt") AS failed, max("processedAt") AS last
      FROM "LineEvent" WHERE "lineAccountId" = ${lineAccountId}`;
    return { total: Number(row.total), processed: Number(row.processed), failed: Number(row.failed), last: row.last };
  };
  const waitProcessed = async (lineAccountId: string, expected: number, timeoutMs: number, progress: boolean) => {
    const deadline = Date.now() + timeoutMs;
    let lastReport = Date.now();
    for (;;) {
      const counts = await countProcessed(lineAccountId);
      if (counts.processed + counts.failed >= expected || Date.now() > deadline) return counts;
      if (progress && Date.now() - lastReport >= 5_000) {
        log(`  processed ${counts.processed}/${expected}`);
        lastReport = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  const path = (target: { row: { id: string } }) => `/webhooks/line/${target.row.id}`;
  if (config.warmup) {
    log(`warm-up: ${config.warmup} events to a second account…`);
    await send(port, path(warm), deliveries(warm, warmupUsers, 0), config.connections, config.sendTimeoutMs);
    await waitProcessed(warm.row.id, config.warmup, config.processTimeoutMs, false);
  }
  if (!config.workerDuringSend) {
    await Promise.all(workers.map(stopChild));
    log("workers stopped until every request is answered");
  }
  fake.reset(); // count LINE calls of the measured run only

  const list = deliveries(measured, users, config.redeliver);
  log(`sending ${config.events} follow events in ${list.length} requests over ${config.connections} connections…`);
  const loadBefore = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
  const cpuStart = cpuSnapshot();
  const sent = await send(port, path(measured), list, config.connections, config.sendTimeoutMs);
  const cpuSent = cpuSnapshot();
  const acked = new Set<number>();
  sent.outcomes.forEach((outcome, index) => {
    if (outcome?.status === 200) for (const event of list[index].events) acked.add(event);
  });
  log(`sent in ${round(sent.seconds, 2)} s; waiting for the worker…`);
  if (!config.workerDuringSend) workersReadyAt = await startWorkers();
  const counts = await waitProcessed(measured.row.id, acked.size, config.processTimeoutMs, true);
  const cpuDone = cpuSnapshot();

  // ---------------------------------------------------------------- figures
  const answered = sent.outcomes.filter((o): o is Outcome => o !== undefined);
  const latencies = answered.map((o) => o.ms).sort((a, b) => a - b);
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

  const workerWarnings = workers.flatMap((worker) => worker.output().split("\n")).filter((line) => /"level":"(warn|error)"/.test(line));
  log("");
  log(`send phase      ${round(sent.seconds, 2)} s, ${answered.length}/${list.length} requests answered, ${failedRequests} not 200`);
  log(`ack             ${result.ack_per_s} events/s, ${result.req_per_s} requests/s (batch ${config.batch}), p50 ${result.ack_p50_ms} ms, p90 ${round(percentile(latencies, 90), 2)} ms, p99 ${result.ack_p99_ms} ms, max ${round(latencies.at(-1) ?? Number.NaN, 2)} ms`);
  log(`processing      ${counts.processed}/${config.events} processed (${counts.failed} failed) in ${round(processingSeconds, 2)} s from ${config.workerDuringSend ? "first ack" : "worker start"}: ${result.processed_per_s} events/s`);
  log(`checks          lost ${lost}, duplicated ${duplicated} (friend rows ${friends.length}, distinct ${friendUsers.size}; handled twice ${processedTwice}), retried ${retried}, greeting replies ${replies}`);
  log(`CPU s, send    ${JSON.stringify(sendCpu)}`);
  log(`CPU s, drain   ${JSON.stringify(cpuDelta(cpuSent, cpuDone))}`);
  const perEvent = Object.entries(cpuDelta(cpuStart, cpuDone)).map(([key, seconds]) => `${key} ${round((seconds * 1000) / config.events, 2)}`);
  log(`CPU ms/event   ${perEvent.join(", ")} (whole run, send + drain)`);
  log(`load average   ${loadBefore} before, ${readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")} after (${cpus().length} cores)`);
  if (workerWarnings.length) log(`worker warnings ${workerWarnings.length}, e.g. ${workerWarnings[0]}`);
  if (lost || duplicated) process.exitCode = 1;
  log(JSON.stringify(result));
}

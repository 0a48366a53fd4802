// Shared by the benchmarks that drive the real web process and worker: their environment and database, the child
// processes (each in its own process group, always stopped), CPU and memory from /proc (Linux), and load sent over
// a bounded number of keep-alive connections.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { performance } from "node:perf_hooks";
import type { LineFake } from "../support/line-fake";
import { freePort } from "../support/web-server";

export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
export const BENCH_API_SECRET = "bench-api-secret";
const REQUEST_TIMEOUT_MS = 10_000;
const TICKS_PER_S = 100;

export function numberEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be between ${min} and ${max}`);
  return value;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function round(value: number, digits = 1) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function percentile(sorted: number[], p: number) {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---------------------------------------------------------------- the run, its environment and database

/** Runs `benchmark` with a free port and a LINE fake; stops the children and the fake always, also on Ctrl-C. */
export async function runBenchmark(benchmark: (port: number, fake: LineFake) => Promise<void>) {
  const port = await freePort();
  const { startLineFake } = await import("../support/line-fake");
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

type Target = { port: number; fake: LineFake; databaseUrl: string; queuePrefix: string };

/**
 * The environment of the web process and the worker, `extra` last. It is set for this process too: app modules
 * read the configuration when first imported, so call this before importing any.
 */
export function benchEnvironment({ port, fake, databaseUrl, queuePrefix }: Target, extra: Record<string, string> = {}) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix,
    SHOPIFY_API_KEY: "bench-api-key",
    SHOPIFY_API_SECRET: BENCH_API_SECRET,
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    ENCRYPTION_KEY: `bench:${randomBytes(32).toString("base64")}`,
    LINE_API_BASE_URL: fake.url,
    LINE_DATA_API_BASE_URL: fake.url,
    LOG_LEVEL: "info",
    ...extra,
  };
  Object.assign(process.env, env);
  return env;
}

/** The database created if missing, migrated and emptied; the Redis keys of the prefix deleted; `remix build`. */
export async function prepareDatabase(env: NodeJS.ProcessEnv) {
  console.log("setting up database, Redis keys and build…");
  const { ensureDatabase } = await import("../../prisma/ensure-database");
  await ensureDatabase(env.DATABASE_URL!);
  npx(["prisma", "migrate", "deploy"], env);
  const { resetDatabase, resetRedis } = await import("../support/reset");
  await Promise.all([resetDatabase(), resetRedis()]);
  npx(["remix", "build"], env);
}

function npx(args: string[], env: NodeJS.ProcessEnv) {
  try {
    execFileSync("npx", args, { env, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const failed = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`npx ${args.join(" ")} failed:\n${failed.stdout ?? ""}${failed.stderr ?? ""}`);
  }
}

// ---------------------------------------------------------------- child processes

export type Child = { name: string; process: ChildProcess; output: () => string };
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

export async function stopChild(child: Child) {
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
    await sleep(100);
  }
}

/** `tsx app/server.ts`, once it answers /healthz. */
export async function startWeb(port: number, env: NodeJS.ProcessEnv) {
  const web = startChild("web", "app/server.ts", env);
  const url = `http://127.0.0.1:${port}`;
  await waitFor("web /healthz", web, () => fetch(`${url}/healthz`).then((r) => r.ok, () => false));
  return { web, url };
}

/** `count` × `tsx jobs/worker.ts`, once each has logged "worker ready". */
export async function startWorkers(count: number, env: NodeJS.ProcessEnv): Promise<Child[]> {
  const workers = Array.from({ length: count }, () => startChild("worker", "jobs/worker.ts", env));
  for (const worker of workers) await waitFor("worker ready", worker, () => worker.output().includes('"worker ready"'));
  return workers;
}

/** The warn and error log lines the children kept. */
export function warnings(of: Child[]): string[] {
  return of.flatMap((child) => child.output().split("\n")).filter((line) => /"level":"(warn|error)"/.test(line));
}

/** Polls `read` until processed + failed reach `expected` or the time limit, reporting every `reportMs`. */
export async function waitProcessed<C extends { processed: number; failed: number }>(
  read: () => Promise<C>,
  expected: number,
  { timeoutMs, pollMs, reportMs, report }: { timeoutMs: number; pollMs: number; reportMs: number; report?: (counts: C) => void },
): Promise<C> {
  const deadline = Date.now() + timeoutMs;
  let lastReport = Date.now();
  for (;;) {
    const counts = await read();
    if (counts.processed + counts.failed >= expected || Date.now() > deadline) return counts;
    if (report && Date.now() - lastReport >= reportMs) {
      report(counts);
      lastReport = Date.now();
    }
    await sleep(pollMs);
  }
}

// ---------------------------------------------------------------- /proc: CPU per component, memory, load
// CPU time per component tells where the time goes even on a busy machine; "others" is what processes outside
// this benchmark (other test runs, editors…) took from the same cores meanwhile.

function machineBusySeconds(): number {
  const [, ...fields] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number); // idle and iowait skipped
  return (user + nice + system + irq + softirq + steal) / TICKS_PER_S;
}

/** The fields of /proc/<pid>/stat after the command: [0] is the state, [2] the process group. */
function statFields(stat: string) {
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/**
 * A function returning CPU seconds so far: our children (by process group), this process (as `self`), the
 * backends of the database in `databaseUrl`, Redis, and the whole machine ("machine").
 */
export function cpuMeter(databaseUrl: string, self: string): () => Map<string, number> {
  const databaseName = new URL(databaseUrl).pathname.slice(1);
  // Processes seen so far (pid and start time → component and CPU seconds): a database backend that the pool
  // closed, or a child that exited, keeps its last figure, so that deltas never go negative.
  const seen = new Map<string, { key: string; seconds: number }>();
  return () => {
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
      const fields = statFields(stat);
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S; // utime + stime
      const group = groups.get(Number(fields[2]));
      let key: string | undefined;
      if (group) key = group;
      else if (Number(entry) === process.pid) key = self;
      // Backends name their database in their title: "postgres: 15/main: postgres line_crm_bench 127.0.0.1(…) idle".
      else if (command.startsWith("postgres:") && command.split(" ").includes(databaseName)) key = "postgres";
      else if (command.startsWith("redis-server")) key = "redis (shared)";
      if (key) seen.set(`${entry}/${fields[19]}`, { key, seconds });
    }
    const totals = new Map<string, number>();
    for (const { key, seconds } of seen.values()) totals.set(key, (totals.get(key) ?? 0) + seconds);
    totals.set("machine", machineBusySeconds());
    return totals;
  };
}

export function cpuDelta(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
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

/** The processes of a child's group (tsx's CLI and the node process running the script). */
export function groupPids(child: Child): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(statFields(readFileSync(`/proc/${entry}/stat`, "utf8"))[2]) === child.process.pid) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

/** VmRSS and VmHWM (peak) in MB of the largest process among `pids`: the app's node process, not tsx's CLI. */
export function memoryOf(pids: number[]): { rss: number; peak: number } {
  let rss = 0;
  let peak = 0;
  for (const pid of pids) {
    try {
      const status = readFileSync(`/proc/${pid}/status`, "utf8");
      const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0);
      rss = Math.max(rss, kb("VmRSS") / 1024);
      peak = Math.max(peak, kb("VmHWM") / 1024);
    } catch {
      // exited
    }
  }
  return { rss: round(rss), peak: round(peak) };
}

/** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
export function loadAverage(): string {
  return readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
}

// ---------------------------------------------------------------- load

export type Delivery = { body: Buffer; headers: Record<string, string> };
export type Outcome = { status: number; ms: number };

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
        headers: { ...delivery.headers, "content-length": delivery.body.length },
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
export async function send(
  port: number,
  path: string,
  deliveries: Delivery[],
  connections: number,
  timeoutMs: number,
  progress?: (done: number) => void,
) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const outcomes: (Outcome | undefined)[] = new Array(deliveries.length);
  const deadline = Date.now() + timeoutMs;
  let next = 0;
  let firstAckWallMs = 0;
  const startedWallMs = Date.now();
  const started = performance.now();
  const lane = async () => {
    while (next < deliveries.length && Date.now() < deadline) {
      const index = next++;
      const outcome = await post(agent, port, path, deliveries[index]);
      if (outcome.status === 200 && !firstAckWallMs) firstAckWallMs = Date.now();
      outcomes[index] = outcome;
    }
  };
  const reporter = progress ? setInterval(() => progress(next), 30_000) : undefined;
  await Promise.all(Array.from({ length: connections }, lane));
  clearInterval(reporter);
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { outcomes, seconds, startedWallMs, firstAckWallMs };
}

/** The requests that were answered (not cut off by the deadline). */
export function answeredOutcomes(outcomes: (Outcome | undefined)[]): Outcome[] {
  return outcomes.filter((o): o is Outcome => o !== undefined);
}

/** Latencies of the answered requests, sorted for `percentile`. */
export function sortedLatencies(outcomes: (Outcome | undefined)[]): number[] {
  return answeredOutcomes(outcomes).map((o) => o.ms).sort((a, b) => a - b);
}

// Benchmark: abandoned-cart reminders end to end, through the real web process (app/server.ts) and the real
// worker (jobs/worker.ts) started as child processes, against their own database, Redis key prefix and an
// in-process LINE fake.
//
// Phase 1 (ingest): N signed checkouts/create webhooks to the web process over keep-alive connections; M of
// them are for carts linked to a LINE friend, all with the same created_at, so that their M reminders fall due
// in the same second, a little after the worker has processed every receipt. The others match no friend.
// Phase 2 (burst): when the due second comes, the worker pushes the M reminders to the LINE fake; the lag of
// each push is the fake's arrival time minus the reminder's dueAt.
// Prints a human summary, then one JSON object as the last line.
//
// BENCH_CHECKOUTS (100000)  checkouts/create webhooks in the measured run
// BENCH_DUE (10000)         of which for linked carts: reminders falling due in the same second
// BENCH_CONNECTIONS (16)    concurrent keep-alive connections to the web process
// BENCH_WARMUP (2000)       unlinked checkouts first (JIT, pools, rate estimate), excluded from the figures
// BENCH_DUE_AFTER_S         due moment, in seconds after the measured send starts; by default estimated from the
//                           warm-up's rates (the slower of ack and processing) × 1.2 + BENCH_MARGIN_S
// BENCH_MARGIN_S (15)       seconds between the expected end of processing and the due moment
// BENCH_WORKERS (1)         worker processes (rss_mb is the largest one's peak)
// BENCH_ACCOUNTS (1)        LINE accounts (channels) of the shop; the linked friends are spread over them evenly,
//                           so the due reminders go out through as many per-channel push budgets
//                           (LINE_PUSH_PER_SECOND, the pipeline's budget per channel, is passed to the worker)
// BENCH_WORKER_DURING_SEND (1)  0: the workers stop after the warm-up and start again when every webhook is
//                           acknowledged, to measure the web process's ingest on its own (diagnosis only)
// BENCH_SEND_TIMEOUT_S (3600), BENCH_PROCESS_TIMEOUT_S (3600), BENCH_PUSH_TIMEOUT_S (300): phase time limits
// BENCH_PROFILE=<dir>       web and worker write V8 CPU profiles (.cpuprofile) there when they stop
// BENCH_LOG_LEVEL (info)    LOG_LEVEL of web and worker
// WORKER_CONCURRENCY        passed to the worker when set (the app's default otherwise)
// BENCH_CART_DATABASE_URL (postgresql://postgres@127.0.0.1:5432/line_crm_bench_cart): its own database, so it
//                           can run beside the line-webhook benchmark (line_crm_bench); Redis prefix "bench-cart"
//
// The process, /proc and load helpers are shared with tests/bench/line-webhook.ts in tests/bench/support.ts.
import { randomBytes } from "node:crypto";
import { cpus } from "node:os";
import { performance } from "node:perf_hooks";
import type { LineFake } from "../support/line-fake";
import {
  BENCH_API_SECRET,
  benchEnvironment,
  type Child,
  cpuDelta,
  cpuMeter,
  type Delivery,
  groupPids,
  loadAverage,
  memoryOf,
  numberEnv,
  percentile,
  prepareDatabase,
  round,
  runBenchmark,
  send,
  sleep,
  sortedLatencies,
  startWeb,
  startWorkers,
  stopChild,
  waitProcessed,
  warnings,
} from "./support";

const DATABASE_URL = process.env.BENCH_CART_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/line_crm_bench_cart";
const QUEUE_PREFIX = "bench-cart";
const SHOP = "bench-cart.myshopify.com";
const SCOPES = "read_orders,read_customers,write_customers,read_products,write_files,write_app_proxy";
const DELAY_MINUTES = 60; // one of the delays the settings page offers
// Every checkout carries this product and variant; their image cache rows are filled in beforehand, so the
// worker never calls the Admin API (there is no Shopify here).
const PRODUCT_ID = 1001;
const VARIANT_ID = 2001;
const WEBHOOK_PATH = "/webhooks/checkouts/create";

/** The worker's push budget per channel: LINE_PUSH_PER_SECOND when set (the worker inherits it), else its default. */
const pushBudget = Number(process.env.LINE_PUSH_PER_SECOND ?? 1_800);

const config = {
  checkouts: numberEnv("BENCH_CHECKOUTS", 100_000, 1, 1_000_000),
  due: numberEnv("BENCH_DUE", 10_000, 1, 1_000_000),
  connections: numberEnv("BENCH_CONNECTIONS", 16, 1, 256),
  warmup: numberEnv("BENCH_WARMUP", 2_000, 100, 100_000),
  dueAfterS: process.env.BENCH_DUE_AFTER_S ? numberEnv("BENCH_DUE_AFTER_S", 0, 1, 36_000) : null,
  marginS: numberEnv("BENCH_MARGIN_S", 15, 1, 3_600),
  workers: numberEnv("BENCH_WORKERS", 1, 1, 8),
  accounts: numberEnv("BENCH_ACCOUNTS", 1, 1, 100),
  workerDuringSend: process.env.BENCH_WORKER_DURING_SEND !== "0",
  sendTimeoutMs: numberEnv("BENCH_SEND_TIMEOUT_S", 3_600, 1, 7_200) * 1000,
  processTimeoutMs: numberEnv("BENCH_PROCESS_TIMEOUT_S", 3_600, 1, 7_200) * 1000,
  pushTimeoutMs: numberEnv("BENCH_PUSH_TIMEOUT_S", 300, 1, 7_200) * 1000,
  logLevel: process.env.BENCH_LOG_LEVEL ?? "info",
};

export async function run() {
  if (config.due > config.checkouts) throw new Error("BENCH_DUE must not exceed BENCH_CHECKOUTS");
  await runBenchmark(benchmark);
}

async function benchmark(port: number, fake: LineFake) {
  const env = benchEnvironment({ port, fake, databaseUrl: DATABASE_URL, queuePrefix: QUEUE_PREFIX }, { SCOPES, LOG_LEVEL: config.logLevel });
  const log = (line: string) => console.log(line);
  log(`abandoned-cart: ${JSON.stringify(config)}`);
  await prepareDatabase(env);
  const cpuSnapshot = cpuMeter(DATABASE_URL, "bench+fake");

  const { db } = await import("../../app/db.server");
  const { sessionStorage } = await import("../../app/shopify.server");
  const { channelId: newChannelId, channelSecret: newChannelSecret, createLineAccount, createShop, lineUserId } = await import(
    "../support/factories"
  );
  const { checkoutPayload } = await import("../support/checkouts");
  const { offlineSession, signedWebhook } = await import("../support/shopify");

  // ------------------------------------------------------------ the shop, its accounts, M linked friends
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  await sessionStorage.storeSession(offlineSession(SHOP));
  const accounts = [];
  for (let index = 0; index < config.accounts; index += 1) {
    const channelId = newChannelId();
    const channelSecret = newChannelSecret();
    const botUserId = lineUserId();
    const channel = fake.addChannel({ channelId, channelSecret, bot: { userId: botUserId, basicId: `@bench${index}`, displayName: "Bench tea" } });
    const created = await createLineAccount(db, SHOP, {
      displayName: `Bench tea ${index + 1}`,
      channelId,
      channelSecret,
      botUserId,
      accessToken: channel.longLivedToken,
    });
    await db.cartReminderSettings.create({
      data: { lineAccountId: created.id, shop: SHOP, enabled: true, delayMinutes: DELAY_MINUTES, quietHoursEnabled: false },
    });
    accounts.push(created);
  }
  const accountIds = accounts.map((a) => a.id);
  for (const [key, url, handle] of [
    [`product:${PRODUCT_ID}`, "https://cdn.shopify.com/s/files/bench/sencha.jpg", "sencha"],
    [`variant:${VARIANT_ID}`, "https://cdn.shopify.com/s/files/bench/sencha-can.jpg", null],
  ] as const) {
    await db.productImage.create({ data: { shop: SHOP, key, url, handle } });
  }

  const users = Array.from({ length: config.due }, () => lineUserId());
  const cartTokens = users.map(() => randomBytes(12).toString("hex"));
  for (let start = 0; start < users.length; start += 5_000) {
    await db.friend.createMany({
      data: users.slice(start, start + 5_000).map((lineUser, offset) => ({
        shop: SHOP,
        lineAccountId: accountIds[(start + offset) % accountIds.length],
        lineUserId: lineUser,
        displayName: `Friend ${start + offset}`,
        followStatus: "following",
      })),
    });
  }
  const friendIds = new Map(
    (await db.friend.findMany({ where: { lineAccountId: { in: accountIds } }, select: { id: true, lineUserId: true } })).map((f) => [f.lineUserId, f.id]),
  );
  for (let start = 0; start < users.length; start += 5_000) {
    await db.cartLink.createMany({
      data: users.slice(start, start + 5_000).map((lineUser, offset) => ({
        shop: SHOP,
        lineAccountId: accountIds[(start + offset) % accountIds.length],
        friendId: friendIds.get(lineUser)!,
        cartToken: cartTokens[start + offset],
      })),
    });
  }
  await db.$executeRawUnsafe(`ANALYZE`);

  const items = [{ productId: PRODUCT_ID, variantId: VARIANT_ID, title: "煎茶 100g", variantTitle: "缶入り", quantity: 2, price: "1200" }];
  /** A checkouts/create delivery signed as Shopify signs it (tests/support/shopify.ts). */
  async function delivery(options: { cartToken: string; createdAt: Date }): Promise<Delivery> {
    const body = checkoutPayload({ ...options, items, shop: SHOP });
    const request = signedWebhook({ topic: "checkouts/create", shop: SHOP, body, secret: BENCH_API_SECRET });
    return { body: Buffer.from(await request.text()), headers: Object.fromEntries(request.headers) };
  }

  // ------------------------------------------------------------ processes
  const { web, url } = await startWeb(port, env);
  let workers: Child[] = [];
  let workerPids: number[] = [];
  const startAllWorkers = async () => {
    workers = await startWorkers(config.workers, env);
    workerPids = workers.flatMap(groupPids);
    return Date.now();
  };
  await startAllWorkers();
  const webPids = groupPids(web);
  log(`web pid ${web.process.pid}, worker pids ${workers.map((w) => w.process.pid).join(", ")} (groups ${workerPids.join(", ")}) ready on ${url}`);

  // Worker memory, every second until the end (bounded by the phases' own time limits).
  let workerPeakMb = 0;
  let webPeakMb = 0;
  const sampler = setInterval(() => {
    const sample = memoryOf(workerPids);
    workerPeakMb = Math.max(workerPeakMb, sample.peak, sample.rss);
    webPeakMb = Math.max(webPeakMb, memoryOf(webPids).peak);
  }, 1_000);
  const rssNow = () => memoryOf(workerPids).rss;
  const marks: Record<string, number> = { ready: rssNow() };

  try {
    // Transactions the bench database committed: each statement outside a transaction is one, so this counts
    // round trips of work per webhook and per reminder (PostgreSQL publishes these within about a second).
    const transactions = async () => {
      const [row] = await db.$queryRaw<{ n: bigint }[]>`
        SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()`;
      return Number(row.n);
    };
    const receiptCounts = async () => {
      const [row] = await db.$queryRaw<{ total: bigint; processed: bigint; failed: bigint; last: Date | null }[]>`
        SELECT count(*) AS total, count("processedAt") AS processed, count("failedAt") AS failed, max("processedAt") AS last
        FROM "WebhookReceipt"`;
      return { total: Number(row.total), processed: Number(row.processed), failed: Number(row.failed), last: row.last };
    };
    const waitReceipts = (expected: number, progress: boolean) =>
      waitProcessed(receiptCounts, expected, {
        timeoutMs: config.processTimeoutMs,
        pollMs: 250,
        reportMs: 10_000,
        report: progress ? (counts) => log(`  receipts processed ${counts.processed}/${expected}, worker RSS ${rssNow()} MB`) : undefined,
      });

    // ---------------------------------------------------------- warm-up: unlinked checkouts, and the rates
    log(`warm-up: ${config.warmup} unlinked checkouts…`);
    const warmList: Delivery[] = [];
    for (let i = 0; i < config.warmup; i += 1) warmList.push(await delivery({ cartToken: randomBytes(12).toString("hex"), createdAt: new Date() }));
    const warm = await send(port, WEBHOOK_PATH, warmList, config.connections, config.sendTimeoutMs);
    const warmCounts = await waitReceipts(config.warmup, false);
    const warmAckRate = config.warmup / warm.seconds;
    const warmProcessRate = warmCounts.last ? config.warmup / Math.max(0.001, (warmCounts.last.getTime() - warm.startedWallMs) / 1000) : warmAckRate;
    marks.warmedUp = rssNow();
    log(`warm-up: acked ${round(warmAckRate)}/s, processed ${round(warmProcessRate)}/s (${warmCounts.processed}/${config.warmup})`);

    // ---------------------------------------------------------- the due moment and the measured deliveries
    // Reminders of linked carts fall due when the whole run should have been ingested and processed: the due
    // second is a whole second, and each linked checkout started DELAY_MINUTES before it.
    if (!config.workerDuringSend) {
      await Promise.all(workers.map(stopChild));
      log("workers stopped until every webhook is acknowledged");
    }
    const expectedS = config.workerDuringSend
      ? config.checkouts / Math.min(warmAckRate, warmProcessRate)
      : config.checkouts / warmAckRate + config.checkouts / warmProcessRate;
    const dueAfterS = config.dueAfterS ?? Math.ceil(expectedS * 1.2 + config.marginS);
    log(`preparing ${config.checkouts} deliveries (${config.due} linked); due ${dueAfterS} s after the send starts…`);
    // Linked carts spread evenly over the run: exactly `due` of them. The unlinked ones are prepared first; the
    // linked ones, which carry the due moment, last, so that the send starts right after.
    const isLinked = (i: number) => Math.floor(((i + 1) * config.due) / config.checkouts) > Math.floor((i * config.due) / config.checkouts);
    const list: Delivery[] = new Array(config.checkouts);
    const unlinkedCreatedAt = new Date(Date.now() - 5 * 60_000);
    const prepareStarted = performance.now();
    for (let i = 0; i < config.checkouts; i += 1) {
      if (!isLinked(i)) list[i] = await delivery({ cartToken: randomBytes(12).toString("hex"), createdAt: unlinkedCreatedAt });
    }
    const msPerDelivery = (performance.now() - prepareStarted) / Math.max(1, config.checkouts - config.due);
    const plannedStart = Date.now() + Math.ceil(msPerDelivery * config.due * 1.5) + 1_000;
    // A whole second; each linked checkout started DELAY_MINUTES before it.
    const dueAt = new Date(Math.ceil((plannedStart + dueAfterS * 1000) / 1000) * 1000);
    const linkedCreatedAt = new Date(dueAt.getTime() - DELAY_MINUTES * 60_000);
    let linked = 0;
    for (let i = 0; i < config.checkouts; i += 1) {
      if (isLinked(i)) list[i] = await delivery({ cartToken: cartTokens[linked++], createdAt: linkedCreatedAt });
    }
    if (linked !== config.due) throw new Error(`prepared ${linked} linked checkouts, expected ${config.due}`);
    fake.reset(); // count LINE calls of the measured run only
    while (Date.now() < plannedStart) await sleep(50);

    // ---------------------------------------------------------- phase 1: ingest
    log(`sending ${config.checkouts} checkouts/create webhooks over ${config.connections} connections (due at ${dueAt.toISOString()})…`);
    const loadBefore = loadAverage();
    const cpuStart = cpuSnapshot();
    const xactStart = await transactions();
    const sent = await send(port, WEBHOOK_PATH, list, config.connections, config.sendTimeoutMs, (done) =>
      log(`  sent ${done}/${config.checkouts}, worker RSS ${rssNow()} MB`),
    );
    const cpuSent = cpuSnapshot();
    marks.sent = rssNow();
    list.length = 0; // the bodies are no longer needed
    const acked = sent.outcomes.filter((o) => o?.status === 200).length;
    log(`sent in ${round(sent.seconds, 2)} s (${acked} acked); waiting for the worker…`);
    const processingFrom = config.workerDuringSend ? sent.startedWallMs : await startAllWorkers();
    const counts = await waitReceipts(config.checkouts + config.warmup, true);
    const drainedAt = Date.now();
    const cpuDrained = cpuSnapshot();
    await sleep(1_500);
    const xactDrained = await transactions();
    marks.drained = rssNow();
    const slackS = (dueAt.getTime() - drainedAt) / 1000;
    log(`receipts processed ${counts.processed} (${counts.failed} failed), ${round(slackS, 1)} s before the due moment`);
    if (slackS < 0) log("WARNING: the due moment passed before every receipt was processed; the lags include that backlog (set BENCH_DUE_AFTER_S)");

    // ---------------------------------------------------------- phase 2: the due second
    const isPush = (r: { path: string; method: string }) => r.method === "POST" && r.path === "/v2/bot/message/push";
    const acceptedPushes = () => fake.requests.filter((r) => isPush(r) && r.status === 200).length;
    const pending = async () =>
      db.cartReminder.count({ where: { lineAccountId: { in: accountIds }, status: { in: ["scheduled", "sending"] } } });
    // Idle until just before the due second, so that the burst's CPU figures hold the burst only.
    while (Date.now() < dueAt.getTime() - 1_000) await sleep(100);
    const cpuDue = cpuSnapshot();
    const xactDue = await transactions();
    const pushDeadline = Math.max(Date.now(), dueAt.getTime()) + config.pushTimeoutMs;
    let lastReport = Date.now();
    let lastDbCheck = 0;
    let stillPending = -1;
    for (;;) {
      const now = Date.now();
      if (now > pushDeadline) break;
      if (now >= dueAt.getTime()) {
        // The fake is in this process and free to read; the database only every 2 s, not to load it meanwhile.
        const pushed = acceptedPushes();
        if (pushed >= config.due || now - lastDbCheck >= 2_000) {
          lastDbCheck = now;
          stillPending = await pending();
          if (stillPending === 0) break;
        }
        if (now - lastReport >= 5_000) {
          log(`  pushed ${pushed}/${config.due} at ${round((now - dueAt.getTime()) / 1000, 1)} s after due, worker RSS ${rssNow()} MB`);
          lastReport = now;
        }
      }
      await sleep(100);
    }
    await sleep(3_000); // a late second delivery would show up now
    const cpuDone = cpuSnapshot();
    const xactDone = await transactions();
    marks.afterBurst = rssNow();
    clearInterval(sampler);
    workerPeakMb = Math.max(workerPeakMb, memoryOf(workerPids).peak);

    // ---------------------------------------------------------- figures
    const reminders = await db.$queryRaw<{ lineUserId: string; checkoutId: string; dueAt: Date; createdAt: Date; status: string }[]>`
      SELECT f."lineUserId", r."checkoutId", r."dueAt", r."createdAt", r.status
      FROM "CartReminder" r JOIN "Friend" f ON f.id = r."friendId" WHERE r."lineAccountId" = ANY(${accountIds})`;
    const byUser = new Map(reminders.map((r) => [r.lineUserId, r]));
    const statuses: Record<string, number> = {};
    for (const r of reminders) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    const perCheckout = new Map<string, number>();
    for (const r of reminders) perCheckout.set(r.checkoutId, (perCheckout.get(r.checkoutId) ?? 0) + 1);
    const extraRows = [...perCheckout.values()].reduce((sum, n) => sum + n - 1, 0);
    const scheduledAfterDue = reminders.filter((r) => r.createdAt.getTime() > r.dueAt.getTime()).length;

    const firstPush = new Map<string, number>();
    const pushesPerUser = new Map<string, number>();
    let pushes = 0;
    let rejected = 0;
    let unexpected = 0;
    for (const request of fake.requests) {
      if (!isPush(request)) continue;
      if (request.status !== 200) {
        rejected += 1; // 409 (retry key seen) or an error: not a delivery
        continue;
      }
      pushes += 1;
      const to = (request.body as { to?: string }).to ?? "";
      if (!byUser.has(to)) unexpected += 1;
      pushesPerUser.set(to, (pushesPerUser.get(to) ?? 0) + 1);
      if (!firstPush.has(to)) firstPush.set(to, request.at);
    }
    const extraDeliveries = [...pushesPerUser.values()].reduce((sum, n) => sum + n - 1, 0);
    const duplicates = extraDeliveries + extraRows;
    const lags: number[] = [];
    for (const [user, at] of firstPush) {
      const reminder = byUser.get(user);
      if (reminder) lags.push(at - reminder.dueAt.getTime());
    }
    lags.sort((a, b) => a - b);
    const missing = config.due - lags.length;
    // A reminder never pushed has no lag: with any missing, percentiles past the pushed share are unknown (null).
    const lagPercentile = (p: number) => {
      const rank = Math.max(1, Math.ceil((p / 100) * config.due));
      return rank > lags.length ? null : Math.round(lags[rank - 1]);
    };
    const lastPushS = lags.length ? (lags[lags.length - 1]) / 1000 : Number.NaN;
    const firstPushS = lags.length ? lags[0] / 1000 : Number.NaN;

    const result = {
      checkouts: config.checkouts,
      webhooks_per_s: round(acked / sent.seconds),
      due_at_once: config.due,
      send_lag_p50_ms: lagPercentile(50),
      send_lag_p99_ms: lagPercentile(99),
      pushes,
      duplicates,
      rss_mb: round(workerPeakMb),
      // Beyond the fields: what a reader needs to judge the figures above.
      ack_p50_ms: round(percentile(sortedLatencies(sent.outcomes), 50), 2),
      ack_p99_ms: round(percentile(sortedLatencies(sent.outcomes), 99), 2),
      failed_requests: config.checkouts - acked,
      receipts_failed: counts.failed,
      ingest_processed_per_s: counts.last ? round((counts.processed - config.warmup) / ((counts.last.getTime() - processingFrom) / 1000)) : null,
      due_slack_s: round(slackS, 1),
      scheduled_after_due: scheduledAfterDue,
      missing,
      last_push_s: round(lastPushS, 2),
      accounts: config.accounts,
      // The pipeline's push budget per channel (app/messaging/budget.server.ts); one account cannot push faster.
      push_budget_per_s: pushBudget,
      pushes_per_s: lags.length ? round(lags.length / Math.max(0.001, lastPushS - Math.max(0, firstPushS))) : null,
      reminder_statuses: statuses,
      workers: config.workers,
      worker_during_send: config.workerDuringSend,
      worker_concurrency: Number(process.env.WORKER_CONCURRENCY ?? 20),
      connections: config.connections,
      web_rss_mb: round(webPeakMb),
      cores: cpus().length,
    };

    const sendCpu = cpuDelta(cpuStart, cpuSent);
    const workerWarnings = warnings(workers);
    log("");
    log(`ingest          ${acked}/${config.checkouts} acked in ${round(sent.seconds, 2)} s: ${result.webhooks_per_s}/s; ack p50 ${result.ack_p50_ms} ms, p99 ${result.ack_p99_ms} ms`);
    log(`processing      ${counts.processed - config.warmup} receipts (${counts.failed} failed) by ${round((drainedAt - processingFrom) / 1000, 1)} s after ${config.workerDuringSend ? "the send" : "the workers"} started: ${result.ingest_processed_per_s}/s`);
    log(`due second      ${dueAt.toISOString()}, ${round(slackS, 1)} s after the last receipt was processed; reminders scheduled after it: ${scheduledAfterDue}`);
    log(`pushes          ${pushes} accepted (${rejected} rejected, ${unexpected} to unexpected users), ${missing} of ${config.due} never pushed; statuses ${JSON.stringify(statuses)}`);
    log(`lag after due   first ${round(firstPushS, 2)} s, p50 ${result.send_lag_p50_ms} ms, p90 ${lagPercentile(90)} ms, p99 ${result.send_lag_p99_ms} ms, last ${round(lastPushS, 2)} s: ${result.pushes_per_s} pushes/s`);
    log(`duplicates      ${duplicates} (second deliveries ${extraDeliveries}, extra reminder rows ${extraRows})`);
    log(`worker RSS MB   peak ${result.rss_mb}; at ready ${marks.ready}, warmed up ${marks.warmedUp}, sent ${marks.sent || "(stopped)"}, drained ${marks.drained}, after burst ${marks.afterBurst}; web peak ${result.web_rss_mb}`);
    log(`CPU s, ingest  ${JSON.stringify(sendCpu)} (others: ${round(sendCpu.others / sent.seconds, 2)} cores busy outside this benchmark)`);
    log(`CPU s, drain   ${JSON.stringify(cpuDelta(cpuSent, cpuDrained))}`);
    const burstCpu = cpuDelta(cpuDue, cpuDone);
    log(`CPU s, burst   ${JSON.stringify(burstCpu)} (from 1 s before the due second to 3 s after the last push)`);
    const ingestCpu = cpuDelta(cpuStart, cpuDrained);
    const perUnit = (cpu: Record<string, number>, units: number) =>
      Object.entries(cpu).filter(([key]) => key !== "others").map(([key, seconds]) => `${key} ${round((seconds * 1000) / units, 2)}`).join(", ");
    log(`CPU ms/webhook ${perUnit(ingestCpu, config.checkouts)} (send + drain); ${round((xactDrained - xactStart) / config.checkouts, 1)} database transactions per webhook`);
    if (slackS > 0) {
      log(`CPU ms/push    ${perUnit(burstCpu, Math.max(1, pushes))}; ${round((xactDone - xactDue) / Math.max(1, pushes), 1)} database transactions per reminder`);
    } else {
      log("CPU ms/push    n/a: the reminders were sent while receipts were still being processed");
    }
    log(`load average   ${loadBefore} before, ${loadAverage()} after (${cpus().length} cores)`);
    if (workerWarnings.length) log(`worker warnings ${workerWarnings.length}, e.g. ${workerWarnings[0]}`);
    if (duplicates || missing || counts.failed) process.exitCode = 1;
    log(JSON.stringify(result));
  } finally {
    clearInterval(sampler);
  }
}

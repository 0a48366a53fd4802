// The environment every test process runs with: its own database, Redis DB and queue prefix per Vitest worker.
import { API_KEY, API_SECRET_KEY, APP_URL } from "@shopify/shopify-api/test-helpers";

export const TEST_DATABASE_TEMPLATE = "line_crm_test_template";
export const TEST_WORKERS = 2;
export { REDIS_URL as TEST_REDIS_URL };
export const ADMIN_DATABASE_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
// Logical DB 8 keeps tests clear of a developer's app on DB 0; keys are further prefixed per run and worker.
const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379/8";

/**
 * Set by global-setup for the whole run: two runs on one machine (two terminals, CI beside a developer)
 * then never share a database or a Redis key.
 */
export function runId() {
  const id = process.env.TEST_RUN_ID;
  if (!id) throw new Error("TEST_RUN_ID is set by tests/support/global-setup.ts");
  return id;
}

export function databaseUrl(name: string) {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export const WORKER_DATABASE_PREFIX = "line_crm_test_run";

export function workerDatabaseName(slot: number, run = runId()) {
  return `${WORKER_DATABASE_PREFIX}${run}_${slot}`;
}

export function queuePrefix(slot: number, run = runId()) {
  return `t${run}s${slot}`;
}

/** Slot 1..TEST_WORKERS for this Vitest worker (its pool id may grow beyond that when workers are recycled). */
export function workerSlot() {
  const poolId = Number(process.env.VITEST_POOL_ID ?? "1");
  return ((poolId - 1) % TEST_WORKERS) + 1;
}

export const TEST_ENCRYPTION_KEY = Buffer.alloc(32, 7).toString("base64");

export function testEnvironment(slot = workerSlot()): Record<string, string> {
  return {
    NODE_ENV: "test",
    DATABASE_URL: databaseUrl(workerDatabaseName(slot)),
    REDIS_URL,
    QUEUE_PREFIX: queuePrefix(slot),
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET_KEY,
    SHOPIFY_APP_URL: APP_URL,
    SCOPES: "read_orders,read_customers,write_customers,read_products,write_files,write_app_proxy",
    ENCRYPTION_KEY: `t1:${TEST_ENCRYPTION_KEY}`,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "error",
    SHUTDOWN_DEADLINE_MS: "5000",
    // The database is shared by every test process on a busy machine: bounded waits, but generous ones. Tests of
    // a silent database set their own.
    DATABASE_CONNECT_TIMEOUT_MS: "30000",
    DATABASE_STATEMENT_TIMEOUT_MS: "50000",
    DATABASE_QUERY_TIMEOUT_MS: "60000",
  };
}

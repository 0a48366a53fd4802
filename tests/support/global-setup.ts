// Once per run: migrate a template database, then clone it for each Vitest worker under this run's id.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { ensureDatabase } from "../../prisma/ensure-database";
import { buildIsFresh } from "./build-fresh";
import {
  ADMIN_DATABASE_URL,
  databaseUrl,
  TEST_DATABASE_TEMPLATE,
  TEST_REDIS_URL,
  TEST_WORKERS,
  WORKER_DATABASE_PREFIX,
  workerDatabaseName,
} from "./test-env";

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function withAdmin<T>(run: (client: pg.Client) => Promise<T>) {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    return await run(admin);
  } finally {
    await admin.end();
  }
}

async function dropRunDatabases(admin: pg.Client, keep: (run: number) => boolean) {
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
    `${WORKER_DATABASE_PREFIX}%`,
  ]);
  for (const { datname } of rows) {
    const run = Number(datname.slice(WORKER_DATABASE_PREFIX.length).split("_")[0]);
    if (!keep(run)) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  }
}

async function deleteRedisKeys(pattern: string) {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** Another run may be migrating the template this very moment ("being accessed by other users"): wait. */
async function cloneTemplate(admin: pg.Client, name: string, template: string) {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      return;
    } catch (error) {
      if (attempt >= 50 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A fingerprint of every migration file: the template is rebuilt when any of them changed, not only added. */
function migrationsFingerprint() {
  const root = path.resolve("prisma/migrations");
  const hash = createHash("sha256");
  for (const name of readdirSync(root).sort()) {
    if (name.endsWith(".toml")) continue;
    hash.update(name).update(readFileSync(path.join(root, name, "migration.sql")));
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * The template is named after the migrations it holds, so runs of checkouts with different migrations (a branch
 * beside main) never rebuild a template another run is cloning.
 */
async function prepareTemplate() {
  const fingerprint = migrationsFingerprint();
  const template = `${TEST_DATABASE_TEMPLATE}_${fingerprint}`;
  const current = await withAdmin(async (admin) => {
    const { rows } = await admin.query<{ comment: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
      [template],
    );
    return rows[0]?.comment ?? null;
  });
  if (current === fingerprint) return template;
  await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`));
  const templateUrl = databaseUrl(template);
  await ensureDatabase(templateUrl);
  execFileSync("prisma", ["migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: templateUrl },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await withAdmin((admin) => admin.query(`COMMENT ON DATABASE "${template}" IS '${fingerprint}'`));
  return template;
}

export default async function globalSetup() {
  const run = String(process.pid);
  process.env.TEST_RUN_ID = run; // inherited by the worker processes Vitest forks next
  const template = await prepareTemplate();
  // Browser tests start the real web process, which serves this build; built once here so that test files
  // running side by side never rebuild under each other's servers, and not at all when nothing changed since.
  if (!buildIsFresh()) execFileSync("remix", ["build"], { stdio: ["ignore", "ignore", "inherit"] });
  await withAdmin(async (admin) => {
    // Databases of runs that were killed before their teardown.
    await dropRunDatabases(admin, (other) => alive(other) && String(other) !== run);
    for (let slot = 1; slot <= TEST_WORKERS; slot += 1) {
      await cloneTemplate(admin, workerDatabaseName(slot, run), template);
    }
  });

  return async function teardown() {
    await withAdmin((admin) => dropRunDatabases(admin, (other) => String(other) !== run));
    await deleteRedisKeys(`t${run}s*`);
  };
}

import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { env } from "./env.server";
import { within } from "./within";

declare global {
  // Survives module reloads in development so connections are not leaked.
  var prismaGlobal: PrismaClient | undefined;
  // The pool behind each client, for the few raw statements on the hottest paths (see `sql` below).
  var pgPoolsGlobal: WeakMap<PrismaClient, pg.Pool> | undefined;
  var pgStatementsGlobal: { names: Map<string, string>; count: number } | undefined;
}

const pools = (globalThis.pgPoolsGlobal ??= new WeakMap());

/**
 * Every wait on PostgreSQL is bounded, so a database that stops answering fails requests (webhooks answer 5xx and
 * are delivered again) instead of hanging them, and a connection stuck on it is dropped rather than reused.
 * Sessions run in UTC: `timestamp` columns hold UTC, and SQL time functions must agree with the Dates written.
 */
export function poolConfig(databaseUrl = env.DATABASE_URL): pg.PoolConfig {
  // The URL's own `options` would replace ours (pg lets the connection string win): keep both.
  const url = new URL(databaseUrl);
  const options = [url.searchParams.get("options"), "-c TimeZone=UTC"].filter(Boolean).join(" ");
  url.searchParams.delete("options");
  return {
    connectionString: url.toString(),
    options,
    max: 10,
    connectionTimeoutMillis: env.DATABASE_CONNECT_TIMEOUT_MS,
    query_timeout: env.DATABASE_QUERY_TIMEOUT_MS,
    statement_timeout: env.DATABASE_STATEMENT_TIMEOUT_MS || undefined,
    idle_in_transaction_session_timeout: env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS || undefined,
    // A peer that vanished (network cut, host gone) is noticed by the kernel instead of never.
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
  };
}

function createClient() {
  // One pool serves both Prisma and `sql`, so a process holds one set of connections.
  const pool = new pg.Pool(poolConfig());
  pool.on("error", () => {}); // an idle connection dropped by the server; the next query opens another
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  pools.set(client, pool);
  return client;
}

export const db: PrismaClient = globalThis.prismaGlobal ?? createClient();
if (!env.isProduction) globalThis.prismaGlobal = db;
const pool = pools.get(db)!;

// Prisma stores DateTime as `timestamp(3)` holding UTC. pg would read such a value in the process's local time
// zone and write a Date with its local offset, which a `timestamp` column ignores; both are pinned to UTC here.
const TIMESTAMP = 1114;
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMP ? (value: string) => new Date(`${value.replace(" ", "T")}Z`) : pg.types.getTypeParser(oid, format),
} as pg.CustomTypesConfig;

// Each statement text is prepared once per connection under a name, so PostgreSQL parses and plans it once
// (about a third of its CPU per statement on the webhook path, tests/bench/README.md). The names live as long as
// the pool's connections do (a module reloaded in development must not reuse a name for another text).
const statements = (globalThis.pgStatementsGlobal ??= { names: new Map<string, string>(), count: 0 });
const statementName = (text: string) =>
  statements.names.get(text) ?? statements.names.set(text, `line_crm_${statements.count++}`).get(text)!;

const param = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

/**
 * A parameterised statement straight through pg: `sql<Row>`SELECT … WHERE id = ${id}``. Prisma 6's client engine
 * compiles every query, raw ones included, at 0.2–1 ms of CPU each (tests/bench/README.md); the webhook and event
 * hot paths use this instead. Arrays become PostgreSQL arrays (`= ANY(${ids})`, `unnest(${values}::text[])`).
 */
export async function sql<Row = Record<string, unknown>>(strings: TemplateStringsArray, ...values: unknown[]): Promise<Row[]> {
  const text = strings.reduce((query, part, index) => `${query}$${index}${part}`);
  const name = env.DATABASE_PREPARED_STATEMENTS ? statementName(text) : undefined;
  try {
    return (await pool.query({ name, text, values: values.map(param), types })).rows as Row[];
  } catch (error) {
    // A migration changed a table under a prepared `SELECT *` or `RETURNING *`: prepare it anew under a new name.
    if (!name || (error as { code?: string }).code !== "0A000") throw error;
    statements.names.delete(text);
    return (await pool.query({ name: statementName(text), text, values: values.map(param), types })).rows as Row[];
  }
}

/** For /healthz: false when PostgreSQL does not answer within `timeoutMs`, however long the pool would wait. */
export async function checkDatabase(timeoutMs = 1_500): Promise<boolean> {
  const check = pool.query({ text: "SELECT 1", query_timeout: timeoutMs } as pg.QueryConfig).then(
    () => true,
    () => false,
  );
  return within(check, timeoutMs, false);
}

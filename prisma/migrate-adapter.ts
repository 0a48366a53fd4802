// Driver adapter for Prisma's Wasm schema engine (`engine: "js"`), which lets migrations run without the
// downloaded schema-engine binary. It works around three upstream bugs; delete each when its fix lands.
// Beware: the adapter runs a migration by splitting its SQL on ";", so a migration's comments must not contain one.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

type Queryable = { query: (...args: never[]) => Promise<unknown> };

const NAME_OID = 19;
const CHAR_OID = 18;
const TEXT_OID = 25;

// prisma/prisma#27403: the Wasm engine cannot read catalog columns of type `name` and `"char"`; they are text.
function readCatalogTypesAsText(target: Queryable) {
  const query = target.query.bind(target) as (...args: unknown[]) => Promise<unknown>;
  (target as { query: unknown }).query = async (...args: unknown[]) => {
    const result = (await query(...args)) as { fields?: { dataTypeID: number }[] } | undefined;
    for (const field of result?.fields ?? []) {
      if (field.dataTypeID === NAME_OID || field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
    }
    return result;
  };
}

// The adapter names the shadow database by overriding `database`, which a connectionString would silently
// beat, so the pool is configured with discrete fields.
export function poolConfigFromUrl(databaseUrl: string): pg.PoolConfig {
  const url = new URL(databaseUrl);
  return {
    host: decodeURIComponent(url.hostname) || "127.0.0.1",
    port: Number(url.port || 5432),
    user: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    database: decodeURIComponent(url.pathname.slice(1)),
  };
}

class MigrationPgAdapter extends PrismaPg {
  constructor(private readonly poolConfig: pg.PoolConfig) {
    super(poolConfig);
  }

  override async connect() {
    const adapter = await super.connect();
    const pool = adapter.underlyingDriver() as pg.Pool;
    readCatalogTypesAsText(pool);
    pool.on("connect", (client) => readCatalogTypesAsText(client));
    return adapter;
  }

  // Upstream drops the shadow database while its own pool still holds a connection ("being accessed by other
  // users"): close that pool first, then drop WITH (FORCE).
  override async connectToShadowDb() {
    const main = await this.connect();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await main.executeScript(`CREATE DATABASE "${database}"`);
    const shadow = await new MigrationPgAdapter({ ...this.poolConfig, database }).connect();
    const shadowPool = shadow.underlyingDriver() as pg.Pool;
    shadowPool.on("error", () => {});
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await main.executeScript(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await main.dispose();
    };
    return shadow;
  }
}

export function migrationAdapter(databaseUrl: string) {
  return new MigrationPgAdapter(poolConfigFromUrl(databaseUrl));
}

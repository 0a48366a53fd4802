import { Redis } from "ioredis";
import pg from "pg";

/** Empties every application table (not the migrations ledger) in this worker's database. */
export async function resetDatabase() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    if (rows.length) {
      await client.query(`TRUNCATE ${rows.map((row) => `"${row.tablename}"`).join(", ")} RESTART IDENTITY CASCADE`);
    }
  } finally {
    await client.end();
  }
}

/** Deletes this worker's keys only: other runs may share the Redis DB. */
export async function resetRedis() {
  const redis = new Redis(process.env.REDIS_URL!, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${process.env.QUEUE_PREFIX}:*`, "COUNT", 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== "0");
  await redis.quit();
}

/** Closes what the app modules opened, if this file loaded them. */
export async function closeConnections() {
  const [{ closeQueues }, { closeRedis }, { db }] = await Promise.all([
    import("../../jobs/queues"),
    import("../../app/redis.server"),
    import("../../app/db.server"),
  ]);
  await closeQueues();
  await closeRedis();
  await db.$disconnect();
}

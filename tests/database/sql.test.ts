// The `sql` tag on the hot paths: timestamps in UTC whatever the process's time zone, and prepared statements
// that survive a migration changing the table under them.
import { afterEach, describe, expect, it, vi } from "vitest";
import { db, sql } from "~/db.server";
import { createShop } from "../support/factories";

const zone = process.env.TZ;
afterEach(() => {
  process.env.TZ = zone;
  delete process.env.DATABASE_PREPARED_STATEMENTS;
  vi.resetModules();
});

describe("sql", () => {
  it("writes and reads timestamp(3) columns as UTC, as Prisma does, in any process time zone", async () => {
    process.env.TZ = "Asia/Tokyo";
    const at = new Date("2026-11-21T23:30:00.123Z"); // already the 22nd in Tokyo
    await createShop(db, { shop: "sql-utc.myshopify.com" });
    await sql`UPDATE "Shop" SET "installedAt" = ${at} WHERE shop = ${"sql-utc.myshopify.com"}`;
    expect((await db.shop.findUniqueOrThrow({ where: { shop: "sql-utc.myshopify.com" } })).installedAt).toEqual(at);
    const [row] = await sql<{ installedAt: Date; text: string }>`
      SELECT "installedAt", "installedAt"::text AS text FROM "Shop" WHERE shop = ${"sql-utc.myshopify.com"}`;
    expect(row).toEqual({ installedAt: at, text: "2026-11-21 23:30:00.123" });
  });

  it("prepares a statement again when a migration changed its result columns", async () => {
    await sql`CREATE TABLE IF NOT EXISTS sql_probe (id int PRIMARY KEY)`;
    await sql`INSERT INTO sql_probe VALUES (1) ON CONFLICT DO NOTHING`;
    const read = () => sql`SELECT * FROM sql_probe`;
    expect(await read()).toEqual([{ id: 1 }]);
    await sql`ALTER TABLE sql_probe ADD COLUMN note text DEFAULT 'added'`;
    // Every pooled connection that prepared the old statement would now fail with "cached plan must not change result type".
    expect(await Promise.all(Array.from({ length: 12 }, read))).toEqual(Array(12).fill([{ id: 1, note: "added" }]));
    await sql`DROP TABLE sql_probe`;
  });

  it("prepares statements by name unless DATABASE_PREPARED_STATEMENTS is false", async () => {
    // A statement sees itself in pg_prepared_statements only when it runs as a named (prepared) statement.
    const [on] = await sql<{ prepared: boolean }>`
      SELECT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE statement LIKE '%probe-on%') AS prepared`;
    expect(on.prepared).toBe(true);

    process.env.DATABASE_PREPARED_STATEMENTS = "false";
    vi.resetModules();
    const unprepared = await import("~/db.server");
    const [off] = await unprepared.sql<{ prepared: boolean }>`
      SELECT EXISTS (SELECT 1 FROM pg_prepared_statements WHERE statement LIKE '%probe-off%') AS prepared`;
    expect(off.prepared).toBe(false);
  });
});

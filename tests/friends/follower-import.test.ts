// The background follower import's edges: Redis down at the click, a run declared interrupted while it goes on,
// a job for an import that is no longer running. The page flow is in tests/routes/app-friends.test.ts.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { runFollowerImport, startFollowerImport } from "~/friends/follower-import.server";
import { translate } from "~/i18n/messages";
import { lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";

const SHOP = "follower-import.myshopify.com";
const followerCalls = () => lineFake().requests.filter((r) => r.path === "/v2/bot/followers/ids");

beforeEach(async () => {
  lineFake().reset();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
});

describe("startFollowerImport", () => {
  it("fails the import at once with a clear reason when Redis is down, and a later click can start again", async () => {
    const { account } = await connectedAccount(db, SHOP, { accessToken: true });
    const previous = { url: process.env.REDIS_URL, client: globalThis.prismaGlobal };
    globalThis.prismaGlobal = undefined; // db.server.ts reuses it across module reloads
    process.env.REDIS_URL = "redis://127.0.0.1:1"; // nothing listens there
    vi.resetModules();
    try {
      const down = await import("~/friends/follower-import.server");
      const result = await down.startFollowerImport(SHOP, account.id);
      expect(result).toEqual({ reason: "friends.import.error.queue", importId: expect.any(String) });
      await (await import("../../jobs/queues")).closeQueues();
      await (await import("~/redis.server")).closeRedis();
      await (await import("~/db.server")).db.$disconnect();
    } finally {
      process.env.REDIS_URL = previous.url;
      globalThis.prismaGlobal = previous.client;
      vi.resetModules();
    }
    const [row] = await db.followerImport.findMany();
    expect(row).toMatchObject({ status: "failed", reason: "friends.import.error.queue", finishedAt: expect.any(Date) });
    expect(translate("ja", row.reason as never)).toContain("バックグラウンド処理を利用できない");

    expect(await startFollowerImport(SHOP, account.id)).toEqual({ importId: expect.any(String) });
  });

  it("refuses a disconnected account", async () => {
    const { account } = await connectedAccount(db, SHOP, { accessToken: true });
    await db.lineAccount.update({ where: { id: account.id }, data: { status: "disconnected" } });
    expect(await startFollowerImport(SHOP, account.id)).toEqual({ reason: "friends.import.error.disconnected" });
    expect(await db.followerImport.count()).toBe(0);
  });
});

describe("runFollowerImport", () => {
  it("stops between pages when its import was declared interrupted, and leaves the row as it was marked", async () => {
    const { account } = await connectedAccount(db, SHOP, { followers: Array.from({ length: 3500 }, () => lineUserId()), accessToken: true });
    const run = await db.followerImport.create({ data: { shop: SHOP, lineAccountId: account.id } });
    lineFake().delayNext(4, 200, { path: "/v2/bot/followers/ids" });

    const running = runFollowerImport(run.id);
    await lineFake().waitFor(() => followerCalls().length >= 1, 5_000);
    await db.followerImport.update({ where: { id: run.id }, data: { status: "failed", reason: "friends.import.error.interrupted" } });

    expect(await running).toBe("abandoned");
    expect(followerCalls().length).toBeLessThan(4);
    expect(await db.followerImport.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "failed",
      reason: "friends.import.error.interrupted",
    });
  });

  it("skips an import that is not running, without calling LINE", async () => {
    const { account } = await connectedAccount(db, SHOP, { followers: [lineUserId()], accessToken: true });
    const done = await db.followerImport.create({ data: { shop: SHOP, lineAccountId: account.id, status: "done", finishedAt: new Date() } });
    expect(await runFollowerImport(done.id)).toBe("skipped");
    expect(await runFollowerImport("no-such-import")).toBe("skipped");
    expect(followerCalls()).toHaveLength(0);
  });

  it("keeps the count imported before LINE failed, with LINE's words", async () => {
    const { account } = await connectedAccount(db, SHOP, { followers: Array.from({ length: 1500 }, () => lineUserId()), accessToken: true });
    const run = await db.followerImport.create({ data: { shop: SHOP, lineAccountId: account.id } });
    lineFake().delayNext(2, 200, { path: "/v2/bot/followers/ids" });

    const running = runFollowerImport(run.id);
    await lineFake().waitFor(() => followerCalls().length >= 1, 5_000);
    lineFake().failNext(1, { status: 500, path: "/v2/bot/followers/ids" }); // the second page

    expect(await running).toBe("failed");
    expect(await db.followerImport.findUniqueOrThrow({ where: { id: run.id } })).toMatchObject({
      status: "failed",
      reason: "friends.import.error.line",
      detail: "500 Internal server error",
      imported: 1000,
      existing: 0,
      finishedAt: expect.any(Date),
    });
    expect(await db.friend.count({ where: { lineAccountId: account.id } })).toBe(1000);
  });
});

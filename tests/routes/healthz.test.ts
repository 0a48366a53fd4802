import { describe, expect, it, vi } from "vitest";

async function health() {
  const { loader } = await import("~/routes/healthz");
  const response = await loader();
  return { status: response.status, body: await response.json() };
}

describe("GET /healthz", () => {
  it("is 200 when PostgreSQL and Redis answer", async () => {
    expect(await health()).toEqual({ status: 200, body: { status: "ok", database: "up", redis: "up" } });
  });

  it("is 503 naming Redis when Redis is down, without throwing", async () => {
    const { closeRedis } = await import("~/redis.server");
    await closeRedis();
    vi.resetModules();
    const previous = process.env.REDIS_URL;
    process.env.REDIS_URL = "redis://127.0.0.1:1"; // nothing listens there
    try {
      expect(await health()).toEqual({ status: 503, body: { status: "degraded", database: "up", redis: "down" } });
    } finally {
      const { closeRedis: closeDead } = await import("~/redis.server");
      await closeDead();
      process.env.REDIS_URL = previous;
      vi.resetModules();
    }
  });
});

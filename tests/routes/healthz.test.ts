import { describe, expect, it } from "vitest";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { withEnv } from "../support/with-env";

async function health() {
  const { loader } = await import("~/routes/healthz");
  const response = await loader();
  return { status: response.status, body: await response.json() };
}

function through(proxy: TcpProxy, url: string) {
  const proxied = new URL(url);
  proxied.port = String(proxy.port);
  return proxied.toString();
}

describe("GET /healthz", () => {
  it("is 200 when PostgreSQL and Redis answer", async () => {
    expect(await health()).toEqual({ status: 200, body: { status: "ok", database: "up", redis: "up" } });
  });

  it("is 503 naming Redis when Redis is down, without throwing", async () => {
    await withEnv({ REDIS_URL: "redis://127.0.0.1:1" }, async () => {
      expect(await health()).toEqual({ status: 503, body: { status: "degraded", database: "up", redis: "down" } });
    });
  });

  // The checks have their own short bound: the pool's and Redis' own timeouts are set far beyond the test's here.
  it.each([
    ["PostgreSQL", "DATABASE_URL", { status: "degraded", database: "down", redis: "up" }],
    ["Redis", "REDIS_URL", { status: "degraded", database: "up", redis: "down" }],
  ] as const)("is 503 when %s keeps the connection but stops answering, and 200 once it answers", async (_, variable, body) => {
    const url = new URL(process.env[variable]!);
    const proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
    try {
      const patient = { DATABASE_QUERY_TIMEOUT_MS: "600000", DATABASE_CONNECT_TIMEOUT_MS: "600000", REDIS_COMMAND_TIMEOUT_MS: "600000" };
      await withEnv({ ...patient, [variable]: through(proxy, url.toString()) }, async () => {
        expect((await health()).status).toBe(200);
        proxy.freeze();
        expect(await health()).toEqual({ status: 503, body });
        proxy.thaw();
        expect((await health()).status).toBe(200);
      });
    } finally {
      proxy.thaw();
      await proxy.close();
    }
  });
});

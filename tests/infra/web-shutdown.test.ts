// SIGTERM in the middle of a request: the web process stops accepting connections, lets the request finish and
// answers it, closes kept-alive idle connections, and exits cleanly once nothing is left. The request is held in
// flight by a PostgreSQL that does not answer until the test lets it.
import { Agent, request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { waitUntil } from "../support/worker";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineEvents, lineWebhookRequest, webhookBody } from "../support/line";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { testEnvironment } from "../support/test-env";
import { startWebServer, WEB_SERVER_HOOK_TIMEOUT_MS, type WebServer } from "../support/web-server";

const SHOP = "web-shutdown.myshopify.com";
let postgres: TcpProxy;
let web: WebServer;
let line: Awaited<ReturnType<typeof connectedAccount>>;

beforeAll(async () => {
  await createShop(db, { shop: SHOP });
  line = await connectedAccount(db, SHOP);
  const databaseUrl = new URL(testEnvironment().DATABASE_URL);
  postgres = await startTcpProxy({ host: "127.0.0.1", port: Number(databaseUrl.port || 5432) });
  databaseUrl.port = String(postgres.port);
  web = await startWebServer({
    DATABASE_URL: databaseUrl.toString(),
    LOG_LEVEL: "info",
    // Far beyond the test's timeout: the process must exit because its work is done, not because time ran out.
    SHUTDOWN_DEADLINE_MS: "600000",
    DATABASE_QUERY_TIMEOUT_MS: "600000",
  });
}, WEB_SERVER_HOOK_TIMEOUT_MS);

afterAll(async () => {
  postgres?.thaw();
  await web?.stop();
  await postgres?.close();
});

type Answer = { status: number; body: string };

function post(url: string, agent: Agent, body: Buffer, headers: Record<string, string>) {
  return new Promise<Answer>((resolve, reject) => {
    const outgoing = request(url, { method: "POST", agent, headers: { ...headers, "content-length": String(body.length) } }, (response) => {
      response.setEncoding("utf8");
      let text = "";
      response.on("data", (chunk) => (text += chunk));
      response.on("end", () => resolve({ status: response.statusCode!, body: text }));
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

describe("web shutdown", () => {
  it("answers a request in flight when SIGTERM arrives, refuses new connections, and exits 0", async () => {
    const agent = new Agent({ keepAlive: true });
    // A kept-alive connection that is idle when the signal arrives must not hold the exit up.
    const idle = await new Promise<number>((resolve, reject) =>
      request(`${web.url}/healthz`, { agent }, (response) => resolve(response.resume().statusCode!)).on("error", reject).end(),
    );
    expect(idle).toBe(200);

    const userId = lineUserId();
    const signed = lineWebhookRequest(line.account.id, line.channelSecret, webhookBody("Ubot", [lineEvents.follow({ userId })]));
    postgres.freeze();
    const answer = post(`${web.url}/webhooks/line/${line.account.id}`, agent, Buffer.from(await signed.text()), {
      "content-type": "application/json",
      "x-line-signature": signed.headers.get("x-line-signature")!,
    });
    await waitUntil(async () => postgres.held() > 0, 60_000); // the request waits on the database

    web.signal("SIGTERM");
    await web.printed(/web stopping/);
    expect(await fetch(`${web.url}/healthz`).then(() => "answered", () => "refused")).toBe("refused");
    postgres.thaw();

    expect(await answer).toEqual({ status: 200, body: "OK" });
    expect(await web.exited).toBe(0);
    expect(await db.lineEvent.count({ where: { lineUserId: userId } })).toBe(1);
    agent.destroy();
  });
});

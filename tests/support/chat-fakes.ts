// HTTP fakes of Chatwork's API (POST /v2/rooms/{room_id}/messages with X-ChatWorkToken) and of Slack incoming
// webhooks (POST a JSON { text }), on loopback. Each can be told to answer the next requests with an error status.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type ChatRequest = { path: string; headers: IncomingMessage["headers"]; body: string };

export type ChatFake = {
  host: string;
  url: string;
  requests: ChatRequest[];
  failNext(count: number, status: number): void;
  close(): Promise<void>;
};

function start(handle: (request: ChatRequest) => { status: number; body: string }): Promise<ChatFake> {
  const requests: ChatRequest[] = [];
  let failures = { count: 0, status: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const received = { path: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
      if (failures.count > 0) {
        failures.count--;
        response.writeHead(failures.status).end("failure");
        return;
      }
      const answer = handle(received);
      if (answer.status < 300) requests.push(received);
      response.writeHead(answer.status, { "content-type": "application/json" }).end(answer.body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        host,
        url: `http://${host}`,
        requests,
        failNext(count, status) {
          failures = { count, status };
        },
        close: () => new Promise<void>((done) => server.close(() => done())),
      });
    }),
  );
}

/** Chatwork: a known token and numeric room; 401 for another token, as the real API answers. */
export function startChatworkFake(validToken: string) {
  return start((request) => {
    if (request.headers["x-chatworktoken"] !== validToken) return { status: 401, body: JSON.stringify({ errors: ["Invalid API token"] }) };
    if (!/^\/v2\/rooms\/\d+\/messages$/.test(request.path)) return { status: 404, body: "{}" };
    if (!new URLSearchParams(request.body).get("body")) return { status: 400, body: JSON.stringify({ errors: ["body is required"] }) };
    return { status: 200, body: JSON.stringify({ message_id: String(Date.now()) }) };
  });
}

/** Slack: an incoming webhook under /services/…; 404 elsewhere ("no_service"), 400 without text. */
export function startSlackFake() {
  return start((request) => {
    if (!request.path.startsWith("/services/")) return { status: 404, body: "no_service" };
    try {
      if (!JSON.parse(request.body).text) return { status: 400, body: "no_text" };
    } catch {
      return { status: 400, body: "invalid_payload" };
    }
    return { status: 200, body: "ok" };
  });
}

// A LINE call given up on is aborted, not abandoned: its connection closes, so nothing it sent can still land
// after a retry, and a hung LINE does not pile up open requests.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { callLine, postLine } from "~/line/client.server";
import { createShop } from "../support/factories";
import { connectedAccount } from "../support/line";
import { waitUntil } from "../support/worker";

// A LINE that accepts requests and never answers.
let silent: Server;
let silentUrl = "";
const open = new Set<string>();
let seen = 0;

beforeAll(async () => {
  silent = createServer((request) => {
    const id = String((seen += 1));
    open.add(id);
    request.socket.on("close", () => open.delete(id));
  });
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  silentUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`;
});

afterAll(async () => {
  silent.closeAllConnections();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

it("aborts a call at its timeout and closes its connection", async () => {
  await createShop(db, { shop: "abort.myshopify.com" });
  const { account } = await connectedAccount(db, "abort.myshopify.com", { accessToken: true });
  const base = env.LINE_API_BASE_URL;
  env.LINE_API_BASE_URL = silentUrl;
  try {
    await expect(callLine(account, ({ messaging }) => messaging.getBotInfo(), 200)).rejects.toMatchObject({ name: "LineTimeoutError" });
  } finally {
    env.LINE_API_BASE_URL = base;
  }
  expect(seen).toBe(1);
  await waitUntil(async () => open.size === 0);
});

it("aborts the send pipeline's lean POST at its timeout too, and closes its connection", async () => {
  await createShop(db, { shop: "abort-post.myshopify.com" });
  const { account } = await connectedAccount(db, "abort-post.myshopify.com", { accessToken: true });
  const before = seen;
  const base = env.LINE_API_BASE_URL;
  env.LINE_API_BASE_URL = silentUrl;
  try {
    await expect(postLine(account, "/v2/bot/info", "{}", {}, 200)).rejects.toMatchObject({ name: "LineTimeoutError" });
  } finally {
    env.LINE_API_BASE_URL = base;
  }
  expect(seen).toBe(before + 1);
  await waitUntil(async () => open.size === 0);
});

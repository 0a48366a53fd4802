// A LINE call given up on is aborted, not abandoned: its connection closes, so nothing it sent can still land
// after a retry, and a hung LINE does not pile up open requests.
import { expect, it } from "vitest";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { callLine, postLine } from "~/line/client.server";
import { createShop } from "../support/factories";
import { connectedAccount } from "../support/line";
import { silentServer } from "../support/silent-server";
import { waitUntil } from "../support/worker";

const silent = silentServer();

it("aborts a call at its timeout and closes its connection", async () => {
  await createShop(db, { shop: "abort.myshopify.com" });
  const { account } = await connectedAccount(db, "abort.myshopify.com", { accessToken: true });
  const base = env.LINE_API_BASE_URL;
  env.LINE_API_BASE_URL = silent.url;
  try {
    await expect(callLine(account, ({ messaging }) => messaging.getBotInfo(), 200)).rejects.toMatchObject({ name: "LineTimeoutError" });
  } finally {
    env.LINE_API_BASE_URL = base;
  }
  expect(silent.seen).toBe(1);
  await waitUntil(async () => silent.open.size === 0);
});

it("aborts the send pipeline's lean POST at its timeout too, and closes its connection", async () => {
  await createShop(db, { shop: "abort-post.myshopify.com" });
  const { account } = await connectedAccount(db, "abort-post.myshopify.com", { accessToken: true });
  const before = silent.seen;
  const base = env.LINE_API_BASE_URL;
  env.LINE_API_BASE_URL = silent.url;
  try {
    await expect(postLine(account, "/v2/bot/info", "{}", {}, 200)).rejects.toMatchObject({ name: "LineTimeoutError" });
  } finally {
    env.LINE_API_BASE_URL = base;
  }
  expect(silent.seen).toBe(before + 1);
  await waitUntil(async () => silent.open.size === 0);
});

// Runs before every test file, before the file imports app modules: point them at this worker's
// database and Redis, and start the file from empty tables and an empty Redis DB.
import { afterAll, beforeAll } from "vitest";
import { testEnvironment } from "./test-env";

Object.assign(process.env, testEnvironment());

// Every file gets its own LINE fake; app modules read its URL from the environment when they load.
const { startLineFake } = await import("./line-fake");
globalThis.lineFakeForFile = await startLineFake();
process.env.LINE_API_BASE_URL = globalThis.lineFakeForFile.url;
process.env.LINE_DATA_API_BASE_URL = globalThis.lineFakeForFile.url;

// …and its own Shopify Admin API fake (product images), in place before the Shopify library captures fetch.
const { installAdminFake } = await import("./shopify-admin-fake");
globalThis.adminFakeForFile = installAdminFake();

const { resetDatabase, resetRedis, closeConnections } = await import("./reset");

beforeAll(async () => {
  await Promise.all([resetDatabase(), resetRedis()]);
});

afterAll(async () => {
  await closeConnections();
  await globalThis.lineFakeForFile?.close();
  globalThis.adminFakeForFile?.restore();
});

// The web process: Remix behind Express, with static assets and a graceful stop.
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ActionFunction, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { env } from "./env.server";
import { logger } from "./logger.server";
import { requestClientAddress } from "./storefront/client-address.server";

const buildPath = path.resolve("build/index.js");
const build = (await import(buildPath)) as ServerBuild;

// Webhook deliveries (LINE, Shopify) skip Remix's request handling: its route matching alone costs about 0.3 ms
// of CPU per request (tests/bench/README.md), more than the rest of a LINE delivery. These routes are actions
// only, with no loader, UI or parent data, so calling the action of the same route module from the same build
// behaves as Remix would: the same module instances, caches and database pool.
const webhookRoutes = Object.values(build.routes).flatMap((route) => {
  const action = route.module.action as ActionFunction | undefined;
  if (!route.path?.startsWith("webhooks/") || !action) return [];
  const names: string[] = [];
  const source = route.path.replace(/:(\w+)/g, (_, name: string) => (names.push(name), "([^/]+)"));
  return [{ pattern: new RegExp(`^/${source}/?$`), names, action }];
});

// Far above any LINE delivery or Shopify payload; a larger body is refused before it is held in memory.
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

async function webhookDelivery(req: express.Request, res: express.Response, next: express.NextFunction) {
  const match = webhookRoutes.map((route) => ({ route, found: route.pattern.exec(req.path) })).find(({ found }) => found);
  if (!match?.found) return next();
  const { route, found } = match;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_WEBHOOK_BYTES) return res.status(413).set("connection", "close").type("text/plain").send("Payload too large");
    chunks.push(chunk as Buffer);
  }
  const headers = new Headers();
  for (let index = 0; index < req.rawHeaders.length; index += 2) headers.append(req.rawHeaders[index], req.rawHeaders[index + 1]);
  const request = new Request(`${req.protocol}://${req.get("host")}${req.originalUrl}`, {
    method: req.method,
    headers,
    body: Buffer.concat(chunks),
  });
  const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(found[index + 1])]));
  let response: Response;
  try {
    const result: unknown = await route.action({ request, params, context: {} });
    response = result instanceof Response ? result : Response.json(result);
  } catch (thrown) {
    if (!(thrown instanceof Response)) {
      logger.error("webhook delivery failed", { path: req.path, error: (thrown as Error)?.message });
      return res.status(500).type("text/plain").send("Internal Server Error");
    }
    response = thrown; // the Shopify library answers a bad HMAC or a missing header by throwing a Response
  }
  res.status(response.status);
  response.headers.forEach((value, name) => res.setHeader(name, value));
  res.end(Buffer.from(await response.arrayBuffer()));
}

let stopping = false;

const app = express();
app.disable("x-powered-by");
// While stopping, a request on a kept-alive connection is still answered, and that connection is closed after it.
app.use((_req, res, next) => {
  if (stopping) res.set("Connection", "close");
  next();
});
app.post("/webhooks/*", (req, res, next) => {
  webhookDelivery(req, res, next).catch(next);
});
app.use(compression());
// Fingerprinted client bundles can be cached forever; everything else in public/ briefly.
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all(
  "*",
  createRequestHandler({
    build,
    mode: env.isProduction ? "production" : "development",
    getLoadContext: (req) => ({ clientAddress: requestClientAddress(req, env.TRUST_PROXY) }),
  }),
);

const server = app.listen(env.PORT, () => logger.info("web ready", { port: env.PORT, pid: process.pid }));

/**
 * Stops accepting connections, lets requests in flight finish, closes kept-alive connections as soon as they are
 * idle, and exits once none is left; at SHUTDOWN_DEADLINE_MS whatever still runs is cut.
 */
function stop(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  logger.info("web stopping", { signal });
  server.close(() => {
    logger.info("web stopped");
    process.exit(0);
  });
  server.closeIdleConnections();
  // A connection becomes idle when its request ends; close it then rather than at its keep-alive timeout.
  setInterval(() => server.closeIdleConnections(), 100).unref();
  setTimeout(() => {
    logger.warn("shutdown deadline passed; closing connections with requests still running", {
      deadlineMs: env.SHUTDOWN_DEADLINE_MS,
    });
    server.closeAllConnections();
    process.exit(1);
  }, env.SHUTDOWN_DEADLINE_MS).unref();
}

for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => stop(signal));

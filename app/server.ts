// The web process: Remix behind Express, with static assets and a graceful stop.
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { env } from "./env.server";
import { logger } from "./logger.server";

const buildPath = path.resolve("build/index.js");
const build = (await import(buildPath)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
app.use(compression());
// Fingerprinted client bundles can be cached forever; everything else in public/ briefly.
app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));
app.all("*", createRequestHandler({ build, mode: env.isProduction ? "production" : "development" }));

const server = app.listen(env.PORT, () => logger.info("web ready", { port: env.PORT, pid: process.pid }));

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    logger.info("web stopping", { signal });
    const deadline = setTimeout(() => process.exit(1), env.SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    server.close(() => process.exit(0));
    server.closeAllConnections?.();
  });
}

// Anyone can request /webhooks/<anything>: each such request costs one log line, not Remix's multi-line
// "no route matches" errors with their stack traces. Served through the built app, as the web process serves it.
import path from "node:path";
import { format } from "node:util";
import type { ServerBuild } from "@remix-run/node";
import { afterEach, describe, expect, it, vi } from "vitest";

/** Every line written to the console or to stdout/stderr while `run` runs. */
async function linesLogged(run: () => Promise<unknown>) {
  const lines: string[] = [];
  const capture = (text: string) => lines.push(...text.split("\n").filter((line) => line.trim()));
  for (const method of ["log", "info", "warn", "error", "debug"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => capture(format(...args)));
  }
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => (capture(String(chunk)), true));
  }
  await run();
  vi.restoreAllMocks();
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe("unknown /webhooks/* paths", () => {
  it("answer 404 with one log line each", async () => {
    process.env.LOG_LEVEL = "info"; // read by the build's own configuration module when it loads
    const build = (await import(path.resolve("build/index.js"))) as ServerBuild;
    const { createRequestHandler } = await import("@remix-run/node");
    const handle = createRequestHandler(build, "production");

    for (const [method, url] of [
      ["POST", "https://app.example/webhooks/products/create"],
      ["GET", "https://app.example/webhooks/nope"],
      ["POST", "https://app.example/webhooks/line/account/extra"],
    ]) {
      let status = 0;
      const lines = await linesLogged(async () => {
        status = (await handle(new Request(url, { method, body: method === "POST" ? "{}" : undefined }))).status;
      });
      expect(status).toBe(404);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0])).toMatchObject({ level: "info", message: "no webhook route", method, path: new URL(url).pathname });
    }
  });
});

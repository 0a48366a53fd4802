// Runs the real web process (app/server.ts, built once per run by global-setup.ts) on a free port, against this
// worker's database and Redis.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { testEnvironment } from "./test-env";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export type WebServer = { url: string; stop: () => Promise<void> };

export async function startWebServer(extraEnv: Record<string, string> = {}): Promise<WebServer> {
  const port = await freePort();
  // Node itself with tsx as a loader, so stopping it stops the server (not just a launcher).
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "app/server.ts"], {
    env: { ...process.env, ...testEnvironment(), PORT: String(port), ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`web server exited early:\n${output}`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`web server did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

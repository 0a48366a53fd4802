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

export type WebServer = {
  url: string;
  /** SIGTERM, then waits for the exit. */
  stop: () => Promise<void>;
  signal: (signal: NodeJS.Signals) => void;
  /** The exit code (null when killed by a signal), once the process has exited. */
  exited: Promise<number | null>;
  /** Resolves once the process has printed a line matching `pattern` (run it with LOG_LEVEL=info for log lines). */
  printed: (pattern: RegExp) => Promise<void>;
};

// Start-up compiles app/server.ts and loads the build: seconds on an idle machine, far more with both cores busy.
const START_TIMEOUT_MS = 120_000;
/** For the hook that starts a server: longer than the start-up wait, so the wait (which stops the child) ends first. */
export const WEB_SERVER_HOOK_TIMEOUT_MS = START_TIMEOUT_MS + 60_000;

export async function startWebServer(extraEnv: Record<string, string> = {}): Promise<WebServer> {
  const port = await freePort();
  // Node itself with tsx as a loader, so stopping it stops the server (not just a launcher).
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "app/server.ts"], {
    env: { ...process.env, ...testEnvironment(), PORT: String(port), ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const listeners = new Set<() => void>();
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (chunk) => {
      output += chunk;
      for (const listener of listeners) listener();
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const printed = (pattern: RegExp) =>
    new Promise<void>((resolve) => {
      const check = () => {
        if (!pattern.test(output)) return;
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
      check();
    });
  // A test process that ends without stopping its server (a crash, a timed-out hook) takes the server with it.
  const orphanGuard = () => child.kill("SIGKILL");
  process.once("exit", orphanGuard);
  void exited.then(() => process.removeListener("exit", orphanGuard));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(child, url, () => output);
  } catch (error) {
    // A server that missed the wait must not outlive the test run.
    child.kill("SIGKILL");
    await exited;
    throw error;
  }
  return { url, stop, signal: (signal) => child.kill(signal), exited, printed };
}

async function waitForHealth(child: ChildProcess, url: string, output: () => string) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`web server exited early:\n${output()}`);
    const ok = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) }).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`web server did not answer /healthz within ${START_TIMEOUT_MS} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

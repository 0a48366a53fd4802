// The real worker process (jobs/worker.ts) on this test file's database, Redis and LINE fake, for tests that kill it
// mid-send. Its output is printed when a test fails; every process still running is killed after each test.
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach } from "vitest";
import { lineFake } from "./line";
import { testEnvironment } from "./test-env";

export function workerProcesses() {
  const children: ChildProcess[] = [];
  const logs: string[] = [];

  afterEach((context) => {
    if (context.task.result?.state === "fail") console.log(logs.join(""));
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  });

  /** Resolves once the worker logged "worker ready". */
  function start(extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
    // Node itself with tsx as a loader: killing a `tsx` launcher would leave its node child running.
    const child = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
      env: {
        ...process.env,
        ...testEnvironment(),
        LINE_API_BASE_URL: lineFake().url,
        LINE_DATA_API_BASE_URL: lineFake().url,
        // A killed worker's job is taken up again after about this long (BullMQ's defaults are 30 s).
        WORKER_LOCK_DURATION_MS: "2000",
        WORKER_STALLED_INTERVAL_MS: "1000",
        LOG_LEVEL: "info",
        ...extraEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    return new Promise<ChildProcess>((resolve, reject) => {
      let output = "";
      const onData = (chunk: Buffer) => {
        output += chunk;
        logs.push(String(chunk));
        if (output.includes('"worker ready"')) resolve(child);
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.once("exit", (code) => reject(new Error(`worker exited (${code}):\n${output}`)));
    });
  }

  /** Kills the process as a crash would (SIGKILL) and waits for it to be gone. */
  async function kill(child: ChildProcess) {
    child.kill("SIGKILL");
    if (child.exitCode === null) await new Promise((resolve) => child.once("exit", resolve));
  }

  return { start, kill, logs };
}

import type { Worker } from "bullmq";
import { startWorkers, stopWorkers } from "../../jobs/worker";

/** Runs the real worker process' queues inside the test process. */
export async function withWorkers<T>(run: () => Promise<T>): Promise<T> {
  const workers: Worker[] = await startWorkers();
  try {
    return await run();
  } finally {
    await stopWorkers(workers, 10_000);
  }
}

export async function waitUntil<T>(probe: () => Promise<T>, timeoutMs = 30_000, intervalMs = 25): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

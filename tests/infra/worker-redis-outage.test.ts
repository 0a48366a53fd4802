// Redis goes away under a running worker and comes back: the worker says so once, and once again when it is
// back, instead of a line per connection and retry (about 21 a second before), and then processes jobs again.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";

let redis: TcpProxy;
const previous = { url: process.env.REDIS_URL, level: process.env.LOG_LEVEL, client: globalThis.prismaGlobal };

beforeAll(async () => {
  const url = new URL(process.env.REDIS_URL!);
  redis = await startTcpProxy({ host: url.hostname, port: Number(url.port) });
  url.port = String(redis.port);
  process.env.REDIS_URL = url.toString();
  process.env.LOG_LEVEL = "info";
  vi.resetModules();
});

afterAll(async () => {
  await redis.close();
  process.env.REDIS_URL = previous.url;
  process.env.LOG_LEVEL = previous.level;
  vi.resetModules();
});

function captureLogs() {
  const lines: { level: string; message: string }[] = [];
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: never[]) => {
      for (const line of String(chunk).split("\n").filter(Boolean)) {
        try {
          lines.push(JSON.parse(line));
        } catch {
          lines.push({ level: "raw", message: line });
        }
      }
      return write(chunk, ...rest);
    }) as typeof stream.write);
  }
  return lines;
}

describe("worker while Redis is down", () => {
  it("logs the outage once and its end once, then works again", async () => {
    const { startWorkers, stopWorkers } = await import("../../jobs/worker");
    const { waitUntil } = await import("../support/worker");
    const workers = await startWorkers();
    const lines = captureLogs();
    try {
      redis.cut();
      const outage = await waitUntil(async () => lines.find((line) => /redis/i.test(line.message) && line.level !== "info"), 60_000);
      // Every worker and its blocking connection keep retrying meanwhile: several rounds of reconnects.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      await redis.restore();
      await waitUntil(async () => lines.some((line) => /redis/i.test(line.message) && line.level === "info"), 60_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(outage.message).toMatch(/redis/i);
      expect(lines.map((line) => `${line.level} ${line.message}`)).toEqual([`${outage.level} ${outage.message}`, expect.stringMatching(/^info .*redis/i)]);

      const { maintenanceQueue } = await import("../../jobs/queues");
      const job = await maintenanceQueue().add("sweep", { type: "sweep-inboxes" });
      await waitUntil(() => job.isCompleted(), 60_000);
    } finally {
      vi.restoreAllMocks();
      await stopWorkers(workers);
    }
  });
});

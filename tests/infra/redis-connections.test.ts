// The command timeout that keeps a silent Redis from hanging web requests must never reach BullMQ's workers:
// their blocking reads wait for jobs on purpose, and BullMQ duplicates the worker connection for them.
import { afterAll, describe, expect, it } from "vitest";
import { closeRedis, producerConnection, workerConnection } from "~/redis.server";

const opened = workerConnection();

afterAll(async () => {
  opened.disconnect();
  await closeRedis();
});

describe("Redis connections", () => {
  it("bound the producer's commands and leave the workers' blocking commands unbounded", () => {
    expect(producerConnection().options.commandTimeout).toBeGreaterThan(0);
    expect(opened.options.commandTimeout).toBeUndefined();
    const blocking = opened.duplicate();
    blocking.disconnect();
    expect(blocking.options.commandTimeout).toBeUndefined();
    expect(blocking.options.maxRetriesPerRequest).toBeNull();
  });
});

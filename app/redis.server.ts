import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env.server";
import { logger } from "./logger.server";
import { within } from "./within";

// Producers (web requests) must fail fast when Redis is down instead of queueing commands in memory:
// the caller then keeps the durable row for the sweeper. A Redis that keeps the connection but stops answering
// is bounded by `commandTimeout`. Workers need `maxRetriesPerRequest: null` and no command timeout, so their
// blocking reads survive reconnects and long waits (BullMQ "going to production").
const producerOptions: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2_000,
  commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS,
  retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
};
const workerOptions: RedisOptions = { maxRetriesPerRequest: null };

function connect(options: RedisOptions, role: string) {
  const redis = new Redis(env.REDIS_URL, options);
  // Without a listener ioredis logs every reconnect failure as an unhandled error event.
  redis.on("error", (error) => logger.debug("redis connection error", { role, error: error.message }));
  return redis;
}

let producer: Redis | undefined;

/** The shared connection for queues that only add jobs (web process, schedulers). */
export function producerConnection(): Redis {
  producer ??= connect(producerOptions, "producer");
  return producer;
}

/** A new connection for a BullMQ Worker or QueueEvents (each blocks on its own connection). */
export function workerConnection(): Redis {
  return connect(workerOptions, "worker");
}

/** Waits briefly for the first connect, so a fresh process does not report Redis down while still dialling. */
async function whenReady(redis: Redis, timeoutMs: number) {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("redis not ready")), timeoutMs);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * BullMQ waits for a connection to become ready before its first command, however long that takes; producers
 * call this first so that a request fails within `timeoutMs` when Redis is down.
 */
export async function readyProducer(timeoutMs = 500): Promise<Redis> {
  const redis = producerConnection();
  await whenReady(redis, timeoutMs);
  return redis;
}

/** For /healthz: false when Redis does not answer within `timeoutMs`. */
export async function checkRedis(timeoutMs = 1_500): Promise<boolean> {
  const check = readyProducer(timeoutMs)
    .then((redis) => redis.ping())
    .then((answer) => answer === "PONG", () => false);
  return within(check, timeoutMs, false);
}

export async function closeRedis() {
  await producer?.quit().catch(() => producer?.disconnect());
  producer = undefined;
}

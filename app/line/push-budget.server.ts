// LINE limits push requests per channel (2,000 a second for the push endpoint) and answers 429 beyond that. The
// budget and the pause after a 429 are kept per channel in Redis, shared by every worker process, so that one
// merchant's burst or 429 never holds up another merchant's reminders (a queue-wide limiter would).
import { env } from "../env.server";
import type { Redis } from "ioredis";
import { readyProducer } from "../redis.server";

/** Below LINE's 2,000 so that other senders on the same channel (the merchant's own tools) keep some room. */
export const PUSHES_PER_SECOND = 1_800;
/** After LINE's 429 the channel waits this long before its next push. */
export const PAUSE_AFTER_429_MS = 1_000;

const secondKey = (accountId: string, second: number) => `${env.QUEUE_PREFIX}:line-push:${accountId}:${second}`;
const pauseKey = (accountId: string) => `${env.QUEUE_PREFIX}:line-push-pause:${accountId}`;

// One round trip per push: the pause, then this second's count (kept 2 s). Returns minus the pause left in ms, or
// the count including this push.
const TAKE_SLOT = `
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then return -paused end
local taken = redis.call('INCR', KEYS[2])
if taken == 1 then redis.call('EXPIRE', KEYS[2], 2) end
return taken`;

type BudgetRedis = Redis & { takePushSlot(pause: string, second: string): Promise<number> };
const scripted = new WeakSet<Redis>();

async function budgetRedis(): Promise<BudgetRedis> {
  const redis = await readyProducer();
  if (!scripted.has(redis)) {
    redis.defineCommand("takePushSlot", { numberOfKeys: 2, lua: TAKE_SLOT });
    scripted.add(redis);
  }
  return redis as BudgetRedis;
}

/**
 * Takes one push from the channel's budget for the current second. Null when the push may go now; otherwise the
 * moment to try again (the channel is paused after a 429, or this second's budget is spent).
 */
export async function takePushSlot(accountId: string, limit = PUSHES_PER_SECOND, now = Date.now()): Promise<Date | null> {
  const second = Math.floor(now / 1_000);
  const result = await (await budgetRedis()).takePushSlot(pauseKey(accountId), secondKey(accountId, second));
  if (result < 0) return new Date(now - result);
  if (result <= limit) return null;
  // Spread the retries over the next second instead of all at its first millisecond.
  return new Date((second + 1) * 1_000 + Math.floor(Math.random() * 200));
}

/** Pauses the channel's pushes after LINE answered 429. */
export async function pauseChannel(accountId: string, ms = PAUSE_AFTER_429_MS) {
  const redis = await readyProducer();
  await redis.set(pauseKey(accountId), "429", "PX", ms);
}

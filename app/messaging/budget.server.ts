// LINE limits requests per channel and per endpoint (push 2,000/s, multicast 200/s) and answers 429 beyond that.
// The budget and the pause after a 429 are kept per (account, endpoint) in Redis, shared by every worker process,
// so one merchant's burst or 429 never holds up another merchant's sends, and a broadcast's multicasts never
// hold up the same account's pushes (a queue-wide limiter would do both).
import type { Redis } from "ioredis";
import { env } from "../env.server";
import { readyProducer } from "../redis.server";

export type BudgetedEndpoint = "push" | "multicast";

/** Requests a second per channel: below LINE's limits so the merchant's own tools on the channel keep some room. */
export function budgetPerSecond(endpoint: BudgetedEndpoint): number {
  return endpoint === "push" ? env.LINE_PUSH_PER_SECOND : env.LINE_MULTICAST_PER_SECOND;
}

/** After LINE's 429 the channel's endpoint waits this long before its next request. */
export const PAUSE_AFTER_429_MS = 1_000;

const secondKey = (accountId: string, endpoint: BudgetedEndpoint, second: number) =>
  `${env.QUEUE_PREFIX}:line-budget:${endpoint}:${accountId}:${second}`;
const pauseKey = (accountId: string, endpoint: BudgetedEndpoint) => `${env.QUEUE_PREFIX}:line-pause:${endpoint}:${accountId}`;

// One round trip per request: the pause, then this second's count (kept 2 s). Returns minus the pause left in ms,
// or the count including this request.
const TAKE_SLOT = `
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then return -paused end
local taken = redis.call('INCR', KEYS[2])
if taken == 1 then redis.call('EXPIRE', KEYS[2], 2) end
return taken`;

type BudgetRedis = Redis & { takeLineSlot(pause: string, second: string): Promise<number> };
const scripted = new WeakSet<Redis>();

async function budgetRedis(): Promise<BudgetRedis> {
  const redis = await readyProducer();
  if (!scripted.has(redis)) {
    redis.defineCommand("takeLineSlot", { numberOfKeys: 2, lua: TAKE_SLOT });
    scripted.add(redis);
  }
  return redis as BudgetRedis;
}

/**
 * Takes one request from the channel's budget for the endpoint in the current second. Null when the request may
 * go now; otherwise the moment to try again (paused after a 429, or this second's budget is spent).
 */
export async function takeSlot(
  accountId: string,
  endpoint: BudgetedEndpoint,
  limit = budgetPerSecond(endpoint),
  now = Date.now(),
): Promise<Date | null> {
  const second = Math.floor(now / 1_000);
  const result = await (await budgetRedis()).takeLineSlot(pauseKey(accountId, endpoint), secondKey(accountId, endpoint, second));
  if (result < 0) return new Date(now - result);
  if (result <= limit) return null;
  // Spread the retries over the next second instead of all at its first millisecond.
  return new Date((second + 1) * 1_000 + Math.floor(Math.random() * 200));
}

/** Pauses the channel's endpoint after LINE answered 429; the account's other endpoint goes on. */
export async function pauseEndpoint(accountId: string, endpoint: BudgetedEndpoint, ms = PAUSE_AFTER_429_MS) {
  const redis = await readyProducer();
  await redis.set(pauseKey(accountId, endpoint), "429", "PX", ms);
}

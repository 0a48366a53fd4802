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

// One round trip per batch: the pause, then as many of the wanted requests as this second's count (kept 2 s) still
// admits. Returns minus the pause left in ms, or the number granted (0 when this second's budget is spent).
const TAKE_SLOTS = `
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then return -paused end
local limit = tonumber(ARGV[1])
local wanted = tonumber(ARGV[2])
local taken = tonumber(redis.call('GET', KEYS[2]) or '0')
local granted = math.min(wanted, limit - taken)
if granted <= 0 then return 0 end
redis.call('INCRBY', KEYS[2], granted)
if taken == 0 then redis.call('EXPIRE', KEYS[2], 2) end
return granted`;

type BudgetRedis = Redis & { takeLineSlots(pause: string, second: string, limit: number, wanted: number): Promise<number> };
const scripted = new WeakSet<Redis>();

async function budgetRedis(): Promise<BudgetRedis> {
  const redis = await readyProducer();
  if (!scripted.has(redis)) {
    redis.defineCommand("takeLineSlots", { numberOfKeys: 2, lua: TAKE_SLOTS });
    scripted.add(redis);
  }
  return redis as BudgetRedis;
}

/**
 * Takes up to `wanted` requests from the channel's budget for the endpoint in the current second. `granted` may go
 * now; the others wait until `retryAt`: the end of a pause after a 429, or the next second when this one's budget
 * is spent (null when all were granted).
 */
export async function takeSlots(
  accountId: string,
  endpoint: BudgetedEndpoint,
  wanted: number,
  limit = budgetPerSecond(endpoint),
  now = Date.now(),
): Promise<{ granted: number; retryAt: Date | null }> {
  if (wanted <= 0) return { granted: 0, retryAt: null };
  const second = Math.floor(now / 1_000);
  const result = await (await budgetRedis()).takeLineSlots(pauseKey(accountId, endpoint), secondKey(accountId, endpoint, second), limit, wanted);
  if (result < 0) return { granted: 0, retryAt: new Date(now - result) };
  return { granted: result, retryAt: result < wanted ? new Date((second + 1) * 1_000) : null };
}

/**
 * takeSlots for one request: null when it may go now, else the moment to try again, spread over the next second's
 * first 200 ms so that many waiting jobs do not all come back at its first millisecond.
 */
export async function takeSlot(
  accountId: string,
  endpoint: BudgetedEndpoint,
  limit = budgetPerSecond(endpoint),
  now = Date.now(),
): Promise<Date | null> {
  const { granted, retryAt } = await takeSlots(accountId, endpoint, 1, limit, now);
  if (granted || !retryAt) return null;
  return spread(retryAt, now);
}

/** A moment to try again, spread when it is the start of a second (a pause's end is kept as it is). */
export function spread(retryAt: Date, now = Date.now()): Date {
  return retryAt.getTime() % 1_000 === 0 && retryAt.getTime() > now ? new Date(retryAt.getTime() + Math.floor(Math.random() * 200)) : retryAt;
}

/** Pauses the channel's endpoint after LINE answered 429; the account's other endpoint goes on. */
export async function pauseEndpoint(accountId: string, endpoint: BudgetedEndpoint, ms = PAUSE_AFTER_429_MS) {
  const redis = await readyProducer();
  await redis.set(pauseKey(accountId, endpoint), "429", "PX", ms);
}

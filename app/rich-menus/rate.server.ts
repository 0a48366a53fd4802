// LINE's hourly limits on rich-menu endpoints, per channel and endpoint (Messaging API reference, "Rate limits"):
// create and delete a menu, delete an alias, and read a batch's progress 100 an hour; the batch itself 3 an hour.
// Every call to these endpoints first takes a slot here (a one-hour sliding log in Redis, shared by every worker);
// when none is left the work waits until one frees up, and the page is told when the change will be live.
import type { Redis } from "ioredis";
import { db } from "../db.server";
import { env } from "../env.server";
import { readyProducer } from "../redis.server";

export const HOURLY_LIMITS = { create: 100, delete: 100, deleteAlias: 100, batchProgress: 100, batch: 3 } as const;
export type HourlyEndpoint = keyof typeof HOURLY_LIMITS;
export const WINDOW_MS = 3_600_000;

/** Other rich-menu endpoints (link, bulk link, alias create/update, default, image): 2,000 a second per channel. */
export const PER_SECOND_LIMIT = 2_000;
/** Users per bulk link/unlink call, and operations per batch call. */
export const BULK_USERS = 500;

const logKey = (accountId: string, endpoint: HourlyEndpoint) => `${env.QUEUE_PREFIX}:richmenu-rate:${endpoint}:${accountId}`;

// Returns 0 when a slot was taken, else the ms until the oldest call leaves the window.
const TAKE = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)`;

type RateRedis = Redis & { takeRichMenuSlot(key: string, now: number, window: number, limit: number, member: string): Promise<number> };
const scripted = new WeakSet<Redis>();

async function rateRedis(): Promise<RateRedis> {
  const redis = await readyProducer();
  if (!scripted.has(redis)) {
    redis.defineCommand("takeRichMenuSlot", { numberOfKeys: 1, lua: TAKE });
    scripted.add(redis);
  }
  return redis as RateRedis;
}

let sequence = 0;

/** Takes a slot of the endpoint for the account now, or says when one frees up. */
export async function takeSlot(accountId: string, endpoint: HourlyEndpoint): Promise<{ ok: true } | { ok: false; retryAt: Date }> {
  const redis = await rateRedis();
  const now = Date.now();
  const wait = await redis.takeRichMenuSlot(logKey(accountId, endpoint), now, WINDOW_MS, HOURLY_LIMITS[endpoint], `${now}-${process.pid}-${sequence++}`);
  return wait === 0 ? { ok: true } : { ok: false, retryAt: new Date(now + Number(wait)) };
}

/**
 * LINE answered 429 on an hourly endpoint (the merchant's other tools use the same channel): the endpoint counts as
 * spent for the account until the oldest of its calls we know of leaves the window, or for a minute at least.
 */
export async function markSpent(accountId: string, endpoint: HourlyEndpoint) {
  const redis = await rateRedis();
  const now = Date.now();
  const key = logKey(accountId, endpoint);
  const multi = redis.multi();
  for (let i = 0; i < HOURLY_LIMITS[endpoint]; i++) multi.zadd(key, now - WINDOW_MS + 60_000, `429-${now}-${i}`);
  multi.pexpire(key, WINDOW_MS);
  await multi.exec();
}

/** When `count` more calls of the endpoint could start (now when there is room). Reserves nothing. */
export async function nextSlots(accountId: string, endpoint: HourlyEndpoint, count = 1): Promise<Date> {
  const redis = await rateRedis();
  const now = Date.now();
  const key = logKey(accountId, endpoint);
  await redis.zremrangebyscore(key, "-inf", now - WINDOW_MS);
  const scores = (await redis.zrange(key, 0, -1, "WITHSCORES")).filter((_, i) => i % 2 === 1).map(Number);
  const limit = HOURLY_LIMITS[endpoint];
  const free = limit - scores.length;
  if (count <= free) return new Date(now);
  // The (count - free)-th oldest call frees the last slot needed; beyond a window, whole windows more.
  const needed = count - free;
  const windows = Math.floor((needed - 1) / limit);
  const within = (needed - 1) % limit;
  const at = (scores[within] ?? now) + WINDOW_MS * (windows + 1);
  return new Date(Math.max(now, at));
}

/** Forgets the account's spent slots (tests and the benchmark start from LINE's full budget). */
export async function resetSlots(accountId: string) {
  const redis = await rateRedis();
  await redis.del(...(Object.keys(HOURLY_LIMITS) as HourlyEndpoint[]).map((e) => logKey(accountId, e)));
}

/**
 * When a queued version will be live for everyone: its menu can be created once a create slot is free (after the
 * versions queued before it), then friends on the old version are moved by a batch (or in bulk while the batch's
 * 3 an hour is spent), about 100,000 a minute.
 */
export async function estimateLiveBy(accountId: string, versionId: string): Promise<Date> {
  const ahead = await db.richMenuVersion.count({
    where: { lineAccountId: accountId, status: "creating", lineRichMenuId: null, id: { not: versionId } },
  });
  const created = await nextSlots(accountId, "create", ahead + 1);
  const version = await db.richMenuVersion.findFirst({ where: { id: versionId }, select: { richMenuId: true } });
  const onOld = version
    ? await db.friendRichMenu.count({ where: { lineAccountId: accountId, richMenuId: version.richMenuId } })
    : 0;
  const moveMs = Math.ceil(onOld / BULK_USERS / 50) * 1_000; // bulk calls at 50 a second, well below 2,000
  return new Date(created.getTime() + 30_000 + moveMs);
}

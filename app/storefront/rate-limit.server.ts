// Request limits in Redis, shared by every web process. When Redis is down the request is allowed: the endpoints
// it guards verify everything with LINE anyway.
import { randomUUID } from "node:crypto";
import { env } from "../env.server";
import { logger } from "../logger.server";
import { readyProducer } from "../redis.server";

// A sliding log: at most `max` requests in any `window` ms, by Redis's clock (web processes' clocks may differ).
// A refused request is not recorded, so it neither extends a flood's lockout nor grows the key past `max` entries.
const SLIDING_LOG = `
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], ms, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 1`;

export async function withinLimit(name: string, key: string, max: number, windowSeconds: number): Promise<boolean> {
  const redisKey = `${env.QUEUE_PREFIX}:rate:${name}:${key}`;
  try {
    const redis = await readyProducer();
    return (await redis.eval(SLIDING_LOG, 1, redisKey, max, windowSeconds * 1000, randomUUID())) === 1;
  } catch (error) {
    logger.warn("rate limit unavailable", { name, error: (error as Error).message });
    return true;
  }
}

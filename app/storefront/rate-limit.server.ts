// Fixed-window request limits in Redis, shared by every web process. When Redis is down the request is
// allowed: the endpoints it guards verify everything with LINE anyway.
import { env } from "../env.server";
import { logger } from "../logger.server";
import { producerConnection } from "../redis.server";

export async function withinLimit(name: string, key: string, max: number, windowSeconds: number): Promise<boolean> {
  const window = Math.floor(Date.now() / 1000 / windowSeconds);
  const redisKey = `${env.QUEUE_PREFIX}:rate:${name}:${key}:${window}`;
  try {
    const redis = producerConnection();
    const [[, count]] = (await redis.multi().incr(redisKey).expire(redisKey, windowSeconds * 2).exec()) as [[null, number], unknown];
    return count <= max;
  } catch (error) {
    logger.warn("rate limit unavailable", { name, error: (error as Error).message });
    return true;
  }
}

/** The client address as the load balancer saw it (first X-Forwarded-For hop), else unknown. */
export function clientAddress(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || request.headers.get("x-real-ip") || "unknown";
}

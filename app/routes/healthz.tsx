import { json } from "@remix-run/node";
import { checkDatabase } from "../db.server";
import { checkRedis } from "../redis.server";

/** Liveness and dependencies for load balancers: 503 when PostgreSQL or Redis is unreachable. */
export const loader = async () => {
  const [database, redis] = await Promise.all([checkDatabase(), checkRedis()]);
  const ok = database && redis;
  return json(
    { status: ok ? "ok" : "degraded", database: database ? "up" : "down", redis: redis ? "up" : "down" },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
};

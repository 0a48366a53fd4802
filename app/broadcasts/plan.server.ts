// Starting a broadcast: its audience frozen into deliveries in ONE statement, then queued for the send pipeline.
//
// A multicast batch holds up to 500 LINE user ids (LINE's limit per request); personalised messages ({displayName})
// go as one push per friend, each with the friend's own name. The statement claims the broadcast row (FOR UPDATE,
// plannedAt still empty) and marks it planned in the same statement: a worker killed mid-plan leaves nothing
// behind (the statement rolls back), and a second planning, in parallel or later, inserts nothing.
import { Prisma, type Broadcast } from "@prisma/client";
import { db, sql } from "../db.server";
import { AUDIENCE_ORDER, audienceWhere } from "./audience.server";
import { saveLinks, trackedMessages, composedOf } from "./links.server";
import { isPersonalised } from "../messages/model";
import { queueDeliveries } from "../messaging/deliveries.server";

export const BATCH_SIZE = 500;
// Stands in for the display name in the personalised template; replaced per friend in SQL.
const NAME_TOKEN = "__LINE_CRM_DISPLAY_NAME_7f3a__";

export type PlanOutcome = { planned: boolean; recipients: number; batches: number };

/**
 * Freezes the audience (at most `limit` friends, newest first; null: everyone) into Delivery rows. Planning an
 * already planned broadcast changes nothing and says planned: false.
 */
export async function freezeAudience(broadcast: Broadcast, limit: number | null, audienceSize: number | null, now = new Date()): Promise<PlanOutcome> {
  const [row] = await db.$queryRaw<{ planned: number; recipients: number; batches: number }[]>(await planStatement(broadcast, limit, audienceSize, now));
  return { planned: row.planned === 1, recipients: row.recipients, batches: row.batches };
}

/** The one statement that freezes the audience (separate so the benchmark can EXPLAIN ANALYZE it). */
export async function planStatement(broadcast: Broadcast, limit: number | null, audienceSize: number | null, now: Date): Promise<Prisma.Sql> {
  const where = await audienceWhere(broadcast.shop, broadcast.lineAccountId, broadcast.audience as never);
  const named = trackedMessages(broadcast, isPersonalised(composedOf(broadcast)) ? NAME_TOKEN : undefined);
  await saveLinks(broadcast.shop, broadcast.id, named.links);
  const template = JSON.stringify(named.messages);
  const common = Prisma.sql`${broadcast.shop}, ${broadcast.lineAccountId}, 'broadcast'`;
  const claim = Prisma.sql`
    SELECT id FROM "Broadcast"
    WHERE id = ${broadcast.id} AND shop = ${broadcast.shop} AND "plannedAt" IS NULL AND status IN ('scheduled', 'planning')
    FOR UPDATE`;
  const audience = Prisma.sql`
    SELECT f.id, f."lineUserId", f."displayName", row_number() OVER (ORDER BY ${AUDIENCE_ORDER}) - 1 AS n
    FROM "Friend" f
    WHERE EXISTS (SELECT 1 FROM claim) AND ${where}
    ORDER BY ${AUDIENCE_ORDER}
    LIMIT ${limit}::bigint`;
  let insert: Prisma.Sql;
  if (named.messages.length && template.includes(NAME_TOKEN)) {
    const anonymous = JSON.stringify(trackedMessages(broadcast, null).messages);
    // The name as a JSON string's contents (quotes stripped), so any name is safe inside the template.
    insert = Prisma.sql`
      INSERT INTO "Delivery" (id, shop, "lineAccountId", kind, channel, "sourceId", recipients, "friendId", messages,
                              "aggregationUnit", status, "quotaCost", "dueAt", "createdAt", "updatedAt")
      SELECT gen_random_uuid()::text, ${common}, 'push', ${broadcast.id}, ARRAY[a."lineUserId"], a.id,
             CASE WHEN a."displayName" IS NULL THEN ${anonymous}::jsonb
                  ELSE replace(${template}, ${NAME_TOKEN}, substr(to_jsonb(a."displayName")::text, 2, length(to_jsonb(a."displayName")::text) - 2))::jsonb
             END,
             ${broadcast.customAggregationUnit}, 'scheduled', 1, ${now}, ${now}, ${now}
      FROM audience a ORDER BY a.n
      RETURNING "quotaCost"`;
  } else {
    insert = Prisma.sql`
      INSERT INTO "Delivery" (id, shop, "lineAccountId", kind, channel, "sourceId", recipients, messages,
                              "aggregationUnit", status, "quotaCost", "dueAt", "createdAt", "updatedAt")
      SELECT gen_random_uuid()::text, ${common}, 'multicast', ${broadcast.id}, b.recipients, ${template}::jsonb,
             ${broadcast.customAggregationUnit}, 'scheduled', cardinality(b.recipients), ${now}, ${now}, ${now}
      FROM (SELECT a.n / ${Prisma.raw(String(BATCH_SIZE))} AS batch, array_agg(a."lineUserId" ORDER BY a.n) AS recipients
            FROM audience a GROUP BY 1) b
      ORDER BY b.batch
      RETURNING "quotaCost"`;
  }
  return Prisma.sql`
    WITH claim AS (${claim}),
    audience AS (${audience}),
    inserted AS (${insert}),
    totals AS (SELECT coalesce(sum("quotaCost"), 0)::int AS recipients, count(*)::int AS batches FROM inserted),
    marked AS (
      UPDATE "Broadcast" b SET "plannedAt" = ${now}, status = 'sending', recipients = t.recipients, batches = t.batches,
             "audienceSize" = ${audienceSize}::int, "startedAt" = coalesce(b."startedAt", ${now}), "updatedAt" = ${now}
      FROM totals t WHERE b.id IN (SELECT id FROM claim)
      RETURNING b.id)
    SELECT (SELECT count(*) FROM marked)::int AS planned, t.recipients, t.batches FROM totals t`;
}

/** Queues the broadcast's deliveries not yet sent (the pipeline's queueing is idempotent). */
export async function queueBroadcast(broadcastId: string) {
  const rows = await sql<{ id: string; channel: "push" | "multicast"; dueAt: Date }>`
    SELECT id, channel, "dueAt" FROM "Delivery" WHERE kind = 'broadcast' AND "sourceId" = ${broadcastId} AND status = 'scheduled'`;
  for (let start = 0; start < rows.length; start += 10_000) await queueDeliveries(rows.slice(start, start + 10_000));
  return rows.length;
}

// "Import existing followers" in the background: the web request creates a FollowerImport row and queues it,
// the worker runs importFollowers and writes the progress on the row after every page, the friends page
// follows the row. Failures are i18n keys (app/i18n/friends.ts) with LINE's own message as detail.
import { Prisma } from "@prisma/client";
import { enqueueFollowerImport } from "../../jobs/queues";
import { db } from "../db.server";
import { errorFields, logger } from "../logger.server";
import { isNotFound } from "../prisma-errors";
import { importFollowers } from "./import.server";

// A page is one LINE call (10 s timeout) and two writes: a running import silent this long has lost its worker.
export const STALE_IMPORT_MS = 10 * 60_000;

export type StartResult = { importId: string } | { reason: string; importId?: string };

/** The row was declared interrupted while this run was still going: stop, the merchant may have started anew. */
class ImportAbandoned extends Error {}

const isUniqueViolation = (error: unknown) =>
  error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

function finish(importId: string, data: Prisma.FollowerImportUpdateManyMutationInput) {
  // Only a running row: one declared interrupted stays so, whatever a late worker finds.
  return db.followerImport.updateMany({ where: { id: importId, status: "running" }, data: { ...data, finishedAt: new Date() } });
}

/** Running imports whose worker died (no progress for STALE_IMPORT_MS) become failed, so a new one can start. */
function expireStaleImports(shop: string, lineAccountIds: string[], now = new Date()) {
  return db.followerImport.updateMany({
    where: { shop, lineAccountId: { in: lineAccountIds }, status: "running", updatedAt: { lt: new Date(now.getTime() - STALE_IMPORT_MS) } },
    data: { status: "failed", reason: "friends.import.error.interrupted", finishedAt: now },
  });
}

/** Checks the account, records a running import and queues it. At most one runs per account (a unique index). */
export async function startFollowerImport(shop: string, lineAccountId: string): Promise<StartResult> {
  const account = await db.lineAccount.findFirst({ where: { id: lineAccountId, shop }, select: { status: true } });
  if (!account) return { reason: "friends.import.error.notFound" };
  if (account.status !== "connected") return { reason: "friends.import.error.disconnected" };

  await expireStaleImports(shop, [lineAccountId]);
  let importId: string;
  try {
    ({ id: importId } = await db.followerImport.create({
      data: { shop, lineAccount: { connect: { id: lineAccountId, shop } } },
      select: { id: true },
    }));
  } catch (error) {
    if (isNotFound(error)) return { reason: "friends.import.error.notFound" };
    // FollowerImport_running_key: a double click, another tab or another staff member got there first.
    if (isUniqueViolation(error)) return { reason: "friends.import.error.running" };
    throw error;
  }
  try {
    await enqueueFollowerImport(importId);
  } catch (error) {
    // Nothing would ever run it: fail the row now rather than leave the page showing "running".
    logger.warn("could not queue a follower import", { importId, ...errorFields(error) });
    await finish(importId, { status: "failed", reason: "friends.import.error.queue" });
    return { reason: "friends.import.error.queue", importId };
  }
  return { importId };
}

/**
 * The worker's side: imports with progress on the row, then done or failed with the reason. A run repeated after
 * a worker died starts from LINE's first page again; followers the first run added then count as existing.
 */
export async function runFollowerImport(importId: string): Promise<"done" | "failed" | "skipped" | "abandoned"> {
  const run = await db.followerImport.findUnique({ where: { id: importId } });
  if (run?.status !== "running") return "skipped";
  let result;
  try {
    result = await importFollowers(run.shop, run.lineAccountId, {
      onPage: async (progress) => {
        const { count } = await db.followerImport.updateMany({ where: { id: importId, status: "running" }, data: progress });
        if (!count) throw new ImportAbandoned();
      },
    });
  } catch (error) {
    if (error instanceof ImportAbandoned) return "abandoned";
    // Our side failed (the database, most likely): if this write fails too, the row expires as interrupted.
    await finish(importId, { status: "failed", reason: "friends.import.error.unexpected" }).catch(() => {});
    throw error;
  }
  if ("reason" in result) {
    const { reason, detail, imported, existing } = result;
    await finish(importId, { status: "failed", reason, detail: detail ?? null, imported, existing });
    return "failed";
  }
  await finish(importId, { status: "done", imported: result.imported, existing: result.existing });
  return "done";
}

/**
 * The newest import of each of the given accounts. A running one whose worker died (no progress for STALE_IMPORT_MS)
 * is shown as interrupted; the row itself is only changed when a new import starts (the page polls this every 2 s).
 */
export async function latestImports(shop: string, lineAccountIds: string[], now = new Date()) {
  const latest = await Promise.all(
    lineAccountIds.map((lineAccountId) =>
      db.followerImport.findFirst({
        where: { shop, lineAccountId },
        orderBy: { startedAt: "desc" },
        select: {
          id: true, lineAccountId: true, status: true, imported: true, existing: true,
          reason: true, detail: true, startedAt: true, finishedAt: true, updatedAt: true,
        },
      }),
    ),
  );
  return latest.flatMap((row) => {
    if (!row) return [];
    const { updatedAt, ...run } = row;
    const stale = run.status === "running" && updatedAt.getTime() < now.getTime() - STALE_IMPORT_MS;
    return [stale ? { ...run, status: "failed", reason: "friends.import.error.interrupted", finishedAt: updatedAt } : run];
  });
}

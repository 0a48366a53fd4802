// A durable note of a revoked token: LINE answered 401 to the account's token even after it was renewed (the
// merchant reissued or revoked the long-lived token, or deleted the channel). Home shows it as an alert; the next
// call LINE accepts clears it. Clearing is one cheap conditional update, asked at most once a minute per account
// and process, so the send pipeline's thousands of pushes do not each touch the database.
import { db } from "../db.server";
import { reconcileAttention } from "../home/attention.server";
import { errorFields, logger } from "../logger.server";

const CLEAR_EVERY_MS = 60_000;
const lastCleared = new Map<string, number>();

export async function noteTokenRevoked(accountId: string, now = new Date()): Promise<void> {
  lastCleared.delete(accountId);
  try {
    const [row] = await db.lineAccount.updateManyAndReturn({
      where: { id: accountId, tokenRevokedAt: null },
      data: { tokenRevokedAt: now },
      select: { shop: true },
    });
    if (row) await reconcileAttention(row.shop, accountId);
  } catch (error) {
    logger.warn("could not record a revoked LINE token", { accountId, ...errorFields(error) });
  }
}

export async function noteTokenWorks(accountId: string): Promise<void> {
  const at = lastCleared.get(accountId);
  if (at !== undefined && Date.now() - at < CLEAR_EVERY_MS) return;
  if (lastCleared.size >= 10_000) lastCleared.clear();
  lastCleared.set(accountId, Date.now());
  await db.lineAccount
    .updateMany({ where: { id: accountId, tokenRevokedAt: { not: null } }, data: { tokenRevokedAt: null } })
    .catch((error) => logger.warn("could not clear a revoked LINE token", { accountId, ...errorFields(error) }));
}

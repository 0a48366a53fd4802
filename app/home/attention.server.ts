// Staff are told (notification event "accountAttention") when an account newly enters an attention state: once per
// entry. The states told are kept on the account; a state whose cause is fixed leaves the list, so entering it
// again is told again. The list is swapped only if nobody else changed it meanwhile, so two callers never both tell.
import { db } from "../db.server";
import { attentionReasons, type AttentionReason } from "../line/account-state";
import { errorFields, logger } from "../logger.server";
import { notifyStaff } from "../notifications/notify.server";

export async function reconcileAttention(shop: string, accountId: string): Promise<AttentionReason[]> {
  const account = await db.lineAccount.findFirst({ where: { id: accountId, shop } });
  if (!account) return [];
  const reasons = attentionReasons(account);
  const told = account.attentionNotified;
  const entered = reasons.filter((reason) => !told.includes(reason));
  const same = reasons.length === told.length && entered.length === 0;
  if (same) return [];
  const swapped = await db.lineAccount.updateMany({
    where: { id: accountId, shop, attentionNotified: { equals: told } },
    data: { attentionNotified: reasons },
  });
  if (swapped.count !== 1) return [];
  for (const reason of entered) {
    await notifyStaff(shop, { type: "accountAttention", lineAccountId: accountId, reason }).catch((error) =>
      logger.warn("could not notify staff of an account needing attention", { accountId, reason, ...errorFields(error) }),
    );
  }
  return entered;
}

/** Every account of the shop (home and the accounts page call it on load). */
export async function reconcileShopAttention(shop: string): Promise<void> {
  const accounts = await db.lineAccount.findMany({ where: { shop }, select: { id: true } });
  for (const account of accounts) await reconcileAttention(shop, account.id);
}

import { db } from "../db.server";
import { ensureShop } from "./shops.server";

export type SetupState = {
  timeZone: string;
  lineAccounts: { connected: number };
  cartReminders: { enabled: boolean; delayMinutes: number | null };
  friends: { total: number; following: number };
};

/** What the home page shows: the shop's real progress through set-up. */
export async function getSetupState(shop: string): Promise<SetupState> {
  const [shopRow, connected, cartSettings, total, following] = await Promise.all([
    // Loaders run in parallel: the layout may not have created the row yet.
    ensureShop(shop),
    db.lineAccount.count({ where: { shop, status: "connected" } }),
    db.cartReminderSettings.findFirst({
      where: { shop, enabled: true, lineAccount: { status: "connected" } },
      select: { delayMinutes: true },
    }),
    db.friend.count({ where: { shop } }),
    db.friend.count({ where: { shop, followStatus: "following" } }),
  ]);
  return {
    timeZone: shopRow.timeZone,
    lineAccounts: { connected },
    cartReminders: { enabled: Boolean(cartSettings), delayMinutes: cartSettings?.delayMinutes ?? null },
    friends: { total, following },
  };
}

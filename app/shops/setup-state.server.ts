import { db } from "../db.server";
import { accountState } from "../line/account-state";
import { ensureShop } from "./shops.server";

export type SetupState = {
  timeZone: string;
  /** connected: status "connected"; ready: of those, LINE's webhook test passed, mode is Bot and the token works. */
  lineAccounts: { connected: number; ready: number; firstId: string | null };
  cartReminders: { enabled: boolean; delayMinutes: number | null };
  /** A test message reached LINE (the cart-reminder settings' "send a test", or a broadcast's test send). */
  testSent: boolean;
  friends: { total: number; following: number };
};

/** What the home page shows: the shop's real progress through set-up. */
export async function getSetupState(shop: string): Promise<SetupState> {
  const [shopRow, accounts, cartSettings, test, total, following] = await Promise.all([
    // Loaders run in parallel: the layout may not have created the row yet.
    ensureShop(shop),
    db.lineAccount.findMany({
      where: { shop, status: "connected" },
      select: { id: true, status: true, webhookTestOk: true, chatMode: true, tokenRevokedAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.cartReminderSettings.findFirst({
      where: { shop, enabled: true, lineAccount: { status: "connected" } },
      select: { delayMinutes: true },
    }),
    db.delivery.findFirst({ where: { shop, kind: { in: ["test", "broadcast-test"] }, status: "sent" }, select: { id: true } }),
    db.friend.count({ where: { shop } }),
    db.friend.count({ where: { shop, followStatus: "following" } }),
  ]);
  return {
    timeZone: shopRow.timeZone,
    lineAccounts: {
      connected: accounts.length,
      ready: accounts.filter((account) => accountState(account).kind === "connected").length,
      firstId: accounts[0]?.id ?? null,
    },
    cartReminders: { enabled: Boolean(cartSettings), delayMinutes: cartSettings?.delayMinutes ?? null },
    testSent: Boolean(test),
    friends: { total, following },
  };
}

// What the "LINE accounts" page loads and does, kept out of the route so the route stays thin.
import type { SerializeFrom } from "@remix-run/node";
import { reconcileAttention, reconcileShopAttention } from "../home/attention.server";
import { cleanUpRichMenus, type CleanupResult } from "../rich-menus/cleanup.server";
import { db } from "../db.server";
import type { AccountInput, FieldErrors } from "./account-input";
import {
  connectAccount,
  disconnectAccount,
  listAccounts,
  PLAN_ACCOUNT_LIMITS,
  publicAccount,
  updateAccount,
  webhookUrlFor,
} from "./accounts.server";
import { callLine } from "./client.server";
import { registerWebhook } from "./connect.server";
import { forgetToken } from "./tokens.server";
import { forgetWebhookAccount } from "./webhook.server";

export async function accountsPage(shop: string) {
  await reconcileShopAttention(shop);
  const [accounts, shopRow] = await Promise.all([listAccounts(shop), db.shop.findUnique({ where: { shop } })]);
  return {
    accounts: accounts.map((account) => ({ ...publicAccount(account), webhookUrl: account.webhookUrl ?? webhookUrlFor(account.id) })),
    limit: PLAN_ACCOUNT_LIMITS[shopRow?.plan ?? "entry"] ?? 1,
  };
}

export type AccountsPageData = Awaited<ReturnType<typeof accountsPage>>;
export type AccountRow = SerializeFrom<AccountsPageData["accounts"][number]>;

type Request =
  | { intent: "connect" | "update"; id: string; input: AccountInput }
  | { intent: "disconnect" | "retest"; id: string };

type Outcome =
  | { account: ReturnType<typeof publicAccount>; richMenus?: CleanupResult }
  | { errors: FieldErrors; detail?: string };

export async function accountAction(shop: string, request: Request): Promise<Outcome> {
  const outcome = await run(shop, request);
  // This process' caches of the account's secret and token must not outlive a change.
  if ("account" in outcome) {
    forgetWebhookAccount(outcome.account.id);
    await forgetToken(outcome.account.id);
    // Staff hear once of a state the account newly entered (a failed webhook test, Chat mode …).
    await reconcileAttention(shop, outcome.account.id);
  }
  return outcome;
}

async function run(shop: string, request: Request): Promise<Outcome> {
  switch (request.intent) {
    case "connect":
    case "update": {
      const result =
        request.intent === "connect"
          ? await connectAccount(shop, request.input)
          : await updateAccount(shop, request.id, request.input);
      return "errors" in result ? result : { account: publicAccount(result.account) };
    }
    case "disconnect": {
      const account = await disconnectAccount(shop, request.id);
      if (!account) return { errors: { form: "accounts.error.notFound" } };
      // What the app set up at LINE is removed; what is left is said on the page.
      const richMenus = await cleanUpRichMenus(account);
      return { account: publicAccount(account), richMenus };
    }
    case "retest": {
      const account = await db.lineAccount.findFirst({ where: { id: request.id, shop, status: "connected" } });
      if (!account) return { errors: { form: "accounts.error.notFound" } };
      // The response mode may have changed in LINE Official Account Manager since it was read.
      const bot = await callLine(account, ({ messaging }) => messaging.getBotInfo()).catch(() => null);
      const fresh = bot ? await db.lineAccount.update({ where: { id: account.id, shop }, data: { chatMode: bot.chatMode ?? null } }) : account;
      return { account: publicAccount(await registerWebhook(fresh, webhookUrlFor(account.id))) };
    }
  }
}

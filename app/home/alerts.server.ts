// Home's alerts, each read from the data that causes it, so it disappears when its cause is fixed: an account whose
// token LINE refuses, whose webhook test failed, whose response mode is Chat, whose monthly quota is (nearly) used,
// a LIFF problem only the merchant can fix, the storefront button missing from the live theme, a failed broadcast.
import { db } from "../db.server";
import { attentionReasons } from "../line/account-state";
import type { QuotaMeter } from "../quota/meter.server";
import type { AlertAction, HomeAlert } from "./alerts";
import type { StorefrontButton } from "./theme.server";

export const LINE_DEVELOPERS_CONSOLE = "https://developers.line.biz/console/";
export const LINE_MANAGER = "https://manager.line.biz/";
/** "Nearly used": less than this share of the month's quota is left. */
export const QUOTA_LOW_SHARE = 0.1;
/** A failed broadcast is shown this long, unless a later broadcast of the account went out or is scheduled. */
export const FAILED_BROADCAST_DAYS = 7;

export async function homeAlerts(
  shop: string,
  input: { quota: QuotaMeter[]; storefront: StorefrontButton; themeEditorUrl: string; now?: Date },
): Promise<HomeAlert[]> {
  const now = input.now ?? new Date();
  const accounts = await db.lineAccount.findMany({ where: { shop, status: "connected" }, orderBy: { createdAt: "asc" } });
  const alerts: HomeAlert[] = [];
  const retest = (id: string): AlertAction => ({ type: "post", label: "retest", action: "/app/accounts", intent: "retest", id });

  for (const account of accounts) {
    const values = { account: account.displayName };
    for (const reason of attentionReasons(account)) {
      if (reason === "token-revoked") {
        alerts.push({ key: `${reason}:${account.id}`, kind: reason, tone: "critical", values, actions: [
          { type: "link", label: "edit", url: `/app/accounts?edit=${account.id}` },
          { type: "link", label: "console", url: LINE_DEVELOPERS_CONSOLE, external: true },
        ] });
      } else if (reason === "webhook-test-failed") {
        alerts.push({ key: `${reason}:${account.id}`, kind: reason, tone: "critical", values: { ...values, detail: account.webhookTestDetail ?? "" }, actions: [
          retest(account.id),
          { type: "link", label: "console", url: LINE_DEVELOPERS_CONSOLE, external: true },
        ] });
      } else {
        alerts.push({ key: `${reason}:${account.id}`, kind: reason, tone: "warning", values, actions: [
          { type: "link", label: "manager", url: LINE_MANAGER, external: true },
          retest(account.id),
        ] });
      }
    }
    if (account.liffProblem) {
      alerts.push({ key: `liff:${account.id}`, kind: "liff-problem", tone: "warning", values: { ...values, code: account.liffProblem }, actions: [
        { type: "link", label: "console", url: LINE_DEVELOPERS_CONSOLE, external: true },
        { type: "post", label: "resolved", action: "/app?index", intent: "liff-resolved", id: account.id },
      ] });
    }
  }

  for (const meter of input.quota) {
    if (meter.limit === null) continue;
    const values = { account: meter.accountName, remaining: meter.remaining ?? 0, limit: meter.limit };
    const plan: AlertAction = { type: "link", label: "plan", url: LINE_MANAGER, external: true };
    if (meter.exhausted || (meter.remaining ?? 0) <= 0) {
      alerts.push({ key: `quota:${meter.lineAccountId}`, kind: "quota-exhausted", tone: "critical", values, actions: [plan] });
    } else if ((meter.remaining ?? 0) < meter.limit * QUOTA_LOW_SHARE) {
      alerts.push({ key: `quota:${meter.lineAccountId}`, kind: "quota-low", tone: "warning", values, actions: [plan] });
    }
  }

  if (accounts.length && (input.storefront === "missing" || input.storefront === "disabled")) {
    alerts.push({ key: "storefront", kind: "storefront-button", tone: "warning", values: {}, actions: [
      { type: "link", label: "themeEditor", url: input.themeEditorUrl, external: true },
    ] });
  } else if (accounts.length && input.storefront === "no-scope") {
    alerts.push({ key: "storefront", kind: "storefront-button-scope", tone: "warning", values: {}, actions: [
      { type: "grantScope", label: "grant", scope: "read_themes" },
    ] });
  }

  const since = new Date(now.getTime() - FAILED_BROADCAST_DAYS * 86_400_000);
  const failed = await db.broadcast.findMany({
    where: { shop, status: "failed", finishedAt: { gte: since } },
    orderBy: { finishedAt: "desc" },
    take: 5,
    select: { id: true, name: true, lineAccountId: true, finishedAt: true },
  });
  for (const broadcast of failed) {
    // A later broadcast of the same account that went out (or will) means the merchant has dealt with it.
    const later = await db.broadcast.count({
      where: { shop, lineAccountId: broadcast.lineAccountId, status: { in: ["scheduled", "planning", "sending", "sent"] }, createdAt: { gt: broadcast.finishedAt! } },
    });
    if (later) continue;
    alerts.push({ key: `broadcast:${broadcast.id}`, kind: "broadcast-failed", tone: "critical", values: { broadcast: broadcast.name }, actions: [
      { type: "link", label: "results", url: `/app/broadcasts/${broadcast.id}/results` },
    ] });
  }
  return alerts;
}

/** The merchant says the LIFF problem is fixed (the LIFF page writes it again if it is not). */
export async function clearLiffProblem(shop: string, accountId: string): Promise<boolean> {
  const { count } = await db.lineAccount.updateMany({ where: { id: accountId, shop }, data: { liffProblem: null, liffProblemAt: null } });
  return count === 1;
}

import { db } from "../db.server";
import { PermanentError } from "../errors";

/**
 * app/uninstalled: the shop stops. Sessions go (the token is dead anyway) and the shop is marked uninstalled;
 * every sender re-checks `isInstalled` before it sends, so nothing goes out for this shop from now on.
 * Shop data stays until shop/redact (Shopify sends it 48 hours later).
 */
export async function markUninstalled(shop: string, triggeredAt: Date | null) {
  const row = await db.shop.findUnique({ where: { shop } });
  // A delivery that was triggered before the latest install is stale (the merchant reinstalled meanwhile).
  if (row && triggeredAt && row.installedAt > triggeredAt) return "stale" as const;
  await db.$transaction([
    db.session.deleteMany({ where: { shop } }),
    db.shop.upsert({
      where: { shop },
      create: { shop, uninstalledAt: new Date() },
      update: { uninstalledAt: row?.uninstalledAt ?? new Date() },
    }),
  ]);
  return "uninstalled" as const;
}

/** app/scopes_update: the granted scopes changed; keep the sessions and the shop row in step. */
export async function updateScopes(shop: string, payload: unknown) {
  const current = (payload as { current?: unknown } | null)?.current;
  if (!Array.isArray(current)) throw new PermanentError("payload has no current scopes");
  const scope = current.map(String).join(",");
  await db.$transaction([
    db.session.updateMany({ where: { shop }, data: { scope } }),
    db.shop.updateMany({ where: { shop }, data: { scopes: scope } }),
  ]);
}

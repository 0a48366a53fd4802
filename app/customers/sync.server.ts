// What the customers queue's jobs do (jobs/processors/customer.ts only dispatches): the import at link time, which
// hands over to one bulk operation when many customers of the shop wait; the hourly sweep, which deletes customers
// no friend references any more and imports linked customers the app holds nothing of yet.
import { enqueueBulkImport } from "../../jobs/queues";
import { sql } from "../db.server";
import { logger } from "../logger.server";
import type { CostAwareClient } from "./admin-api.server";
import { BULK_THRESHOLD, IMPORT_CLAIM_MS, importCustomer, pendingImports, type ImportOutcome } from "./import.server";
import { deleteUnreferencedCustomers, shopsWithUnreferencedCustomers } from "./store.server";

export async function runCustomerImport(shop: string, customerId: string, client: CostAwareClient): Promise<ImportOutcome | "bulk"> {
  if ((await pendingImports(shop)) > BULK_THRESHOLD) {
    await enqueueBulkImport(shop);
    return "bulk";
  }
  return importCustomer(shop, customerId, client);
}

/**
 * "Import all linked": a pending customer row for every linked customer of the shop (all shops when none given)
 * that has none yet, then one bulk import per shop that got any. Returns the shops.
 */
export async function importAllLinked(shop?: string): Promise<string[]> {
  const now = new Date();
  const rows = await sql<{ shop: string }>`
    INSERT INTO "Customer" ("id", "shop", "customerId", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, l."shop", l."customerId", ${now}, ${now}
    FROM (SELECT DISTINCT f."shop", f."shopifyCustomerId" AS "customerId" FROM "Friend" f
          WHERE f."shopifyCustomerId" IS NOT NULL AND (${shop ?? null}::text IS NULL OR f."shop" = ${shop ?? null})) l
    WHERE NOT EXISTS (SELECT 1 FROM "Customer" c WHERE c."shop" = l."shop" AND c."customerId" = l."customerId")
    ON CONFLICT ("shop", "customerId") DO NOTHING
    RETURNING "shop"`;
  const shops = [...new Set(rows.map((row) => row.shop))];
  for (const each of shops) await enqueueBulkImport(each);
  return shops;
}

/** Imports that failed for good an hour ago (Shopify or the shop's token was down; not a deleted customer) and
 * imports whose worker was lost go round again, in one bulk import per shop. Returns the shops. */
export async function retryFailedImports(now = new Date()): Promise<string[]> {
  const rows = await sql<{ shop: string }>`
    UPDATE "Customer" SET "importStatus" = 'pending', "updatedAt" = ${now}
    WHERE ("importStatus" = 'failed' AND "importError" IS DISTINCT FROM 'not-found' AND "updatedAt" < ${new Date(now.getTime() - RETRY_FAILED_AFTER_MS)}::timestamp)
       OR ("importStatus" = 'importing' AND "updatedAt" < ${new Date(now.getTime() - IMPORT_CLAIM_MS)}::timestamp)
    RETURNING "shop"`;
  const shops = [...new Set(rows.map((row) => row.shop))];
  for (const shop of shops) await enqueueBulkImport(shop);
  return shops;
}

const RETRY_FAILED_AFTER_MS = 3_600_000;

export async function sweepCustomers() {
  let deleted = 0;
  for (const shop of await shopsWithUnreferencedCustomers()) deleted += await deleteUnreferencedCustomers(shop);
  const importing = new Set([...(await importAllLinked()), ...(await retryFailedImports())]);
  if (deleted || importing.size) logger.info("customers swept", { deleted, importing: importing.size });
  return { deleted, importing: importing.size };
}

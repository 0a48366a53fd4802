// The import of a linked customer and all their orders through the Admin GraphQL API, in the worker: page by page
// within the query cost limits (admin-api.server.ts). When many customers of a shop wait for their import at once
// (many links in a short time, or the import of every linked friend), one bulk operation fetches them all
// (bulk-import.server.ts) instead of thousands of paged queries.
import { sql } from "../db.server";
import { logger } from "../logger.server";
import type { CostAwareClient } from "./admin-api.server";
import { customerFromGraphql, orderFromGraphql, type GraphqlCustomer, type GraphqlLine, type GraphqlOrder } from "./payloads";
import { CUSTOMER_ORDERS_QUERY, ORDER_LINES_QUERY } from "./queries";
import { attributeOrder } from "./attribution.server";
import { recomputeFigures, storeCustomer, storeOrder } from "./store.server";

/** More customers than this waiting for their import in one shop: one bulk operation takes them all. */
export const BULK_THRESHOLD = 25;
/** An import (single or bulk) that has not finished within this is taken as lost and may be claimed again. */
export const IMPORT_CLAIM_MS = 15 * 60_000;

type Page<T> = { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: T[] };
type ImportedOrder = GraphqlOrder & { lineItems: Page<GraphqlLine> };
type CustomerPage = { customer: (GraphqlCustomer & { orders: Page<ImportedOrder> }) | null };

/** How many customers of the shop wait for an import (up to BULK_THRESHOLD + 1: all the caller needs to know). */
export async function pendingImports(shop: string): Promise<number> {
  const [row] = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM (
      SELECT 1 FROM "Customer" WHERE "shop" = ${shop} AND "importStatus" = 'pending' LIMIT ${BULK_THRESHOLD + 1}) p`;
  return row?.n ?? 0;
}

/** Claims the customer's import: false when another import (a bulk one) holds it. */
async function claim(shop: string, customerId: string): Promise<boolean> {
  const now = new Date();
  const rows = await sql`
    UPDATE "Customer" SET "importStatus" = 'importing', "importError" = NULL, "updatedAt" = ${now}
    WHERE "shop" = ${shop} AND "customerId" = ${customerId}
      AND ("importStatus" <> 'importing' OR "updatedAt" < ${new Date(now.getTime() - IMPORT_CLAIM_MS)}::timestamp)
    RETURNING 1`;
  return rows.length > 0;
}

export async function finishImport(shop: string, customerIds: string[], status: "done" | "failed" | "pending", error: string | null = null) {
  if (!customerIds.length) return;
  const now = new Date();
  await sql`
    UPDATE "Customer" SET "importStatus" = ${status}, "importError" = ${error},
      "importedAt" = CASE WHEN ${status} = 'done' THEN ${now}::timestamp ELSE "importedAt" END, "updatedAt" = ${now}
    WHERE "shop" = ${shop} AND "customerId" = ANY(${customerIds}::text[])`;
}

export type ImportOutcome = "imported" | "not-linked" | "busy" | "not-found";

/** Fetches the customer and every order (pages of ORDERS_PER_PAGE) and stores them; then the figures. */
export async function importCustomer(shop: string, customerId: string, client: CostAwareClient): Promise<ImportOutcome> {
  const [row] = await sql<{ importStatus: string }>`SELECT "importStatus" FROM "Customer" WHERE "shop" = ${shop} AND "customerId" = ${customerId}`;
  if (!row) return "not-linked";
  if (!(await claim(shop, customerId))) return "busy";
  try {
    let after: string | null = null;
    let orders = 0;
    for (;;) {
      const page: CustomerPage = await client.request<CustomerPage>(CUSTOMER_ORDERS_QUERY, {
        id: `gid://shopify/Customer/${customerId}`,
        after,
      });
      if (!page.customer) {
        await finishImport(shop, [customerId], "failed", "not-found");
        return "not-found";
      }
      if (!after) await storeCustomer(shop, customerFromGraphql(page.customer));
      // Further lines first (Admin API calls one after another, within the bucket), then the page's orders are
      // stored a few at a time: each is its own statement and attribution, independent of the others.
      const withLines: [ImportedOrder, GraphqlLine[]][] = [];
      for (const order of page.customer.orders.nodes) withLines.push([order, await allLines(order, client)]);
      await inBatches(withLines, STORE_AT_ONCE, async ([order, lines]) => {
        await attributeOrder(shop, (await storeOrder(shop, orderFromGraphql(order, customerId, lines))).id);
      });
      orders += withLines.length;
      if (!page.customer.orders.pageInfo.hasNextPage) break;
      after = page.customer.orders.pageInfo.endCursor;
    }
    await recomputeFigures(shop, [customerId]);
    await finishImport(shop, [customerId], "done");
    logger.info("customer imported", { shop, orders, waitedMs: client.waitedMs() });
    return "imported";
  } catch (error) {
    // Back to pending: the job's retry (or the next link) imports again; the last error is kept for the merchant.
    await finishImport(shop, [customerId], "failed", (error as Error).message.slice(0, 500));
    throw error;
  }
}

/** Orders of a page stored at once: a few of the pool's connections, leaving the rest to webhooks. */
const STORE_AT_ONCE = 4;

async function inBatches<T>(items: T[], size: number, run: (item: T) => Promise<void>) {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(run));
}

/** The order's lines: the first page came with the order; further pages are asked for on their own. */
async function allLines(order: ImportedOrder, client: CostAwareClient): Promise<GraphqlLine[]> {
  const lines = [...order.lineItems.nodes];
  let page = order.lineItems.pageInfo;
  while (page.hasNextPage) {
    type More = { order: { lineItems: Page<GraphqlLine> } | null };
    const more: More = await client.request<More>(ORDER_LINES_QUERY, { id: order.id, after: page.endCursor });
    if (!more.order) break;
    lines.push(...more.order.lineItems.nodes);
    page = more.order.lineItems.pageInfo;
  }
  return lines;
}

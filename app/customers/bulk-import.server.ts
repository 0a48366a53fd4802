// Many customers of one shop at once: one bulk operation (bulkOperationRunQuery) over the customers waiting for
// their import, polled with currentBulkOperation until Shopify has written the JSONL file, which is then read and
// stored like the paged import's answers. Shopify runs one bulk query per app and shop at a time.
import { sql } from "../db.server";
import { logger } from "../logger.server";
import { AdminApiError, assertNoUserErrors, type CostAwareClient } from "./admin-api.server";
import { IMPORT_CLAIM_MS, finishImport } from "./import.server";
import { customerFromGraphql, numericId, orderFromGraphql, type GraphqlCustomer, type GraphqlLine, type GraphqlOrder } from "./payloads";
import { BULK_RUN_MUTATION, BULK_STATUS_QUERY, bulkCustomersQuery } from "./queries";
import { attributeOrder } from "./attribution.server";
import { recomputeFigures, storeCustomer, storeOrder } from "./store.server";

/** Customers per bulk operation: the search query names each id; the rest wait for the next operation. */
export const BULK_MAX_CUSTOMERS = 1_000;

export type BulkStarted = { operationId: string; customerIds: string[] };

/** Claims the shop's waiting customers and starts the operation; null when none wait. */
export async function startBulkImport(shop: string, client: CostAwareClient): Promise<BulkStarted | null> {
  const now = new Date();
  const claimed = await sql<{ customerId: string }>`
    UPDATE "Customer" SET "importStatus" = 'importing', "importError" = NULL, "updatedAt" = ${now}
    WHERE "id" IN (
      SELECT "id" FROM "Customer"
      WHERE "shop" = ${shop} AND ("importStatus" = 'pending'
        OR ("importStatus" = 'importing' AND "updatedAt" < ${new Date(now.getTime() - IMPORT_CLAIM_MS)}::timestamp))
      ORDER BY "createdAt" LIMIT ${BULK_MAX_CUSTOMERS} FOR UPDATE SKIP LOCKED)
    RETURNING "customerId"`;
  const customerIds = claimed.map((row) => row.customerId);
  if (!customerIds.length) return null;
  try {
    type Run = { bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: { message: string }[] } };
    const run = await client.request<Run>(BULK_RUN_MUTATION, { query: bulkCustomersQuery(customerIds) });
    assertNoUserErrors("bulkOperationRunQuery", run.bulkOperationRunQuery);
    const operationId = run.bulkOperationRunQuery.bulkOperation?.id;
    if (!operationId) throw new AdminApiError("bulkOperationRunQuery returned no operation");
    logger.info("customer bulk import started", { shop, customers: customerIds.length, operationId });
    return { operationId, customerIds };
  } catch (error) {
    await finishImport(shop, customerIds, "pending");
    throw error;
  }
}

type Operation = { id: string; status: string; errorCode: string | null; objectCount: string | null; url: string | null };

export type BulkProgress = { state: "running" } | { state: "done"; imported: number; missing: number } | { state: "failed"; reason: string };

/** Reads the operation's state; once COMPLETED, downloads and stores its customers and orders. */
export async function pollBulkImport(shop: string, started: BulkStarted, client: CostAwareClient): Promise<BulkProgress> {
  const { currentBulkOperation: op } = await client.request<{ currentBulkOperation: Operation | null }>(BULK_STATUS_QUERY);
  if (op && op.id === started.operationId && (op.status === "CREATED" || op.status === "RUNNING")) return { state: "running" };
  if (!op || op.id !== started.operationId || op.status !== "COMPLETED") {
    const reason = op?.id === started.operationId ? `${op.status}${op.errorCode ? ` ${op.errorCode}` : ""}` : "operation replaced";
    await finishImport(shop, started.customerIds, "pending");
    return { state: "failed", reason };
  }
  const found = op.url ? await storeJsonl(shop, new Set(started.customerIds), await download(op.url)) : new Set<string>();
  const missing = started.customerIds.filter((id) => !found.has(id));
  await recomputeFigures(shop, [...found]);
  await finishImport(shop, [...found], "done");
  await finishImport(shop, missing, "failed", "not-found");
  logger.info("customer bulk import stored", { shop, imported: found.size, missing: missing.length });
  return { state: "done", imported: found.size, missing: missing.length };
}

async function download(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new AdminApiError(`bulk result download: HTTP ${response.status}`);
  return response.text();
}

type Record = { __parentId?: string } & Partial<GraphqlCustomer & GraphqlOrder & GraphqlLine>;

/**
 * The JSONL file: a customer line, then lines of its orders (parent: the customer), each followed by its lines
 * (parent: the order). Only customers of the claimed list are stored (the search could match more).
 */
async function storeJsonl(shop: string, wanted: Set<string>, jsonl: string): Promise<Set<string>> {
  const customers = new Map<string, GraphqlCustomer>();
  const orders = new Map<string, { order: GraphqlOrder; customerId: string; lines: GraphqlLine[] }>();
  for (const line of jsonl.split("\n")) {
    if (!line.trim()) continue;
    const record = JSON.parse(line) as Record;
    const parent = record.__parentId;
    if (!parent && record.id?.includes("/Customer/")) customers.set(record.id, record as GraphqlCustomer);
    else if (parent?.includes("/Customer/") && record.id) {
      orders.set(record.id, { order: record as GraphqlOrder, customerId: numericId(parent)!, lines: [] });
    } else if (parent?.includes("/Order/")) orders.get(parent)?.lines.push(record as GraphqlLine);
  }
  const stored = new Set<string>();
  for (const node of customers.values()) {
    const customerId = numericId(node.id)!;
    if (!wanted.has(customerId)) continue;
    await storeCustomer(shop, customerFromGraphql(node));
    stored.add(customerId);
  }
  for (const { order, customerId, lines } of orders.values()) {
    if (stored.has(customerId)) await attributeOrder(shop, (await storeOrder(shop, orderFromGraphql(order, customerId, lines))).id);
  }
  return stored;
}

import { DelayedError, type Job } from "bullmq";
import { costAwareClient } from "../../app/customers/admin-api.server";
import { pollBulkImport, startBulkImport } from "../../app/customers/bulk-import.server";
import { pendingImports } from "../../app/customers/import.server";
import { runCustomerImport, sweepCustomers } from "../../app/customers/sync.server";
import { syncCustomerTags } from "../../app/customers/tag-mirror.server";
import { unauthenticated } from "../../app/shopify.server";
import { enqueueBulkImport, enqueueCustomerImport, type CustomerJob } from "../queues";

// How often a running bulk operation is asked for its state.
const BULK_POLL_MS = 2_000;

async function adminClient(shop: string) {
  const { admin } = await unauthenticated.admin(shop);
  return costAwareClient((query, options) => admin.graphql(query, options));
}

export async function processCustomerJob(job: Job<CustomerJob>, token?: string) {
  const data = job.data;
  switch (data.type) {
    case "import":
      return runCustomerImport(data.shop, data.customerId, await adminClient(data.shop));
    case "sync-tags":
      return syncCustomerTags(data.shop, data.customerId, await adminClient(data.shop));
    case "sweep":
      return sweepCustomers();
    case "bulk-import": {
      const client = await adminClient(data.shop);
      if (!data.operationId || !data.customerIds) {
        const started = await startBulkImport(data.shop, client);
        if (!started) return "nothing-pending";
        await job.updateData({ ...data, ...started });
        return waitAgain(job, token);
      }
      const progress = await pollBulkImport(data.shop, { operationId: data.operationId, customerIds: data.customerIds }, client);
      if (progress.state === "running") return waitAgain(job, token);
      if (progress.state === "failed") {
        // Shopify could not run it: each customer is imported on its own instead.
        for (const customerId of data.customerIds) await enqueueCustomerImport(data.shop, customerId);
        return `failed: ${progress.reason}`;
      }
      if (await pendingImports(data.shop)) await enqueueBulkImport(data.shop);
      return `imported ${progress.imported}`;
    }
  }
}

/** The same job waits for the operation again; a delay is not an attempt. */
async function waitAgain(job: Job<CustomerJob>, token?: string): Promise<never> {
  await job.moveToDelayed(Date.now() + BULK_POLL_MS, token);
  throw new DelayedError();
}

// Customer data reacts to friend changes (app/friends/changes.server.ts): a link queues the import of the
// customer and their orders; a tag change of a linked friend queues the mirroring of the chosen tags to Shopify.
// Both only record and enqueue: the Admin API is called by the worker.
import { enqueueCustomerImport, enqueueTagSync } from "../../jobs/queues";
import { db } from "../db.server";
import { onFriendChange } from "../friends/changes.server";
import { ensureCustomer } from "./store.server";
import { customersToMirror } from "./tag-mirror.server";

onFriendChange("customers", async (shop, friendIds, change) => {
  if (change.type === "linked") {
    const customer = await ensureCustomer(shop, change.customerId);
    // A customer already imported (another friend of theirs linked before) stays current through webhooks.
    if (customer && customer.importStatus !== "done") await enqueueCustomerImport(shop, change.customerId);
    // The new friend's mirrored tags go to the customer.
    const mirrored = await customersToMirrorAll(shop, friendIds);
    await enqueueTagSync(shop, mirrored);
    return;
  }
  if (change.type === "tagsAdded" || change.type === "tagsRemoved") {
    await enqueueTagSync(shop, await customersToMirror(shop, friendIds, change.tagIds));
  }
});

/** The linked customers of these friends when they hold any mirrored tag. */
async function customersToMirrorAll(shop: string, friendIds: string[]) {
  const held = await db.friendTag.findMany({
    where: { shop, friendId: { in: friendIds }, tag: { mirrorToShopify: true } },
    select: { tagId: true },
  });
  return held.length ? customersToMirror(shop, friendIds, held.map((row) => row.tagId)) : [];
}

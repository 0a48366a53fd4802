// Friend tags mirrored to the linked customer's Shopify tags, as "LINE:<tag name>", for the tags the merchant
// chose (Tag.mirrorToShopify), so Shopify segments, Flow and e-mail tools can use them. A customer carries the
// mirrored tag while any of their friends (one per LINE account) holds the tag. The worker sets the customer's
// mirrored tags to what the friends hold now, so repeats and changes that cross each other end the same.
import { enqueueTagSync } from "../../jobs/queues";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { assertNoUserErrors, type CostAwareClient } from "./admin-api.server";
import { TAGS_ADD_MUTATION, TAGS_REMOVE_MUTATION } from "./queries";

export const MIRROR_PREFIX = "LINE:";
export const mirroredTagName = (name: string) => `${MIRROR_PREFIX}${name}`;

/** The linked customers of these friends, when any of the tags is mirrored (else none: nothing to do). */
export async function customersToMirror(shop: string, friendIds: string[], tagIds: string[]): Promise<string[]> {
  const mirrored = await db.tag.count({ where: { shop, id: { in: tagIds }, mirrorToShopify: true } });
  if (!mirrored) return [];
  const friends = await db.friend.findMany({
    where: { shop, id: { in: friendIds }, shopifyCustomerId: { not: null } },
    select: { shopifyCustomerId: true },
    distinct: ["shopifyCustomerId"],
  });
  return friends.map((friend) => friend.shopifyCustomerId!);
}

/** The linked customers holding the tag through a friend: the backfill when mirroring is switched on. */
export async function customersHoldingTag(shop: string, tagId: string): Promise<string[]> {
  const rows = await db.$queryRaw<{ customerId: string }[]>`
    SELECT DISTINCT f."shopifyCustomerId" AS "customerId" FROM "FriendTag" ft JOIN "Friend" f ON f."id" = ft."friendId"
    WHERE ft."tagId" = ${tagId} AND f."shop" = ${shop} AND f."shopifyCustomerId" IS NOT NULL`;
  return rows.map((row) => row.customerId);
}

/**
 * Switches mirroring of one of the shop's tags (another shop's id: not found). Switched on, the customers whose
 * friends hold the tag get it now; switched off, tags already set stay in Shopify (merchants may use them there).
 */
export async function switchTagMirror(
  shop: string,
  tagId: string,
  mirror: boolean,
): Promise<{ tag: { id: string; name: string } } | { errors: { form: string } }> {
  const { count } = await db.tag.updateMany({ where: { id: tagId, shop }, data: { mirrorToShopify: mirror } });
  if (!count) return { errors: { form: "tags.error.notFound" } };
  if (mirror) {
    await enqueueTagSync(shop, await customersHoldingTag(shop, tagId)).catch((error: Error) =>
      logger.warn("mirrored tag backfill not queued", { shop, tagId, error: error.message }),
    );
  }
  return { tag: await db.tag.findFirstOrThrow({ where: { id: tagId, shop }, select: { id: true, name: true } }) };
}

export type MirrorResult = { added: string[]; removed: string[] };

/** Adds the mirrored tags the customer's friends hold and removes the mirrored tags none of them holds. */
export async function syncCustomerTags(shop: string, customerId: string, client: CostAwareClient): Promise<MirrorResult> {
  const [mirrored, held] = await Promise.all([
    db.tag.findMany({ where: { shop, mirrorToShopify: true }, select: { name: true } }),
    db.tag.findMany({
      where: { shop, mirrorToShopify: true, friends: { some: { friend: { shop, shopifyCustomerId: customerId } } } },
      select: { name: true },
    }),
  ]);
  // Not narrowed by the customer's stored tags: those follow customers/update, which may not have arrived yet
  // for our own last change. Adding a tag the customer has, or removing one they lack, changes nothing at Shopify.
  const added = held.map((tag) => mirroredTagName(tag.name));
  const removed = mirrored.map((tag) => mirroredTagName(tag.name)).filter((name) => !added.includes(name));
  const id = `gid://shopify/Customer/${customerId}`;
  type Answer = Record<string, { userErrors: { message: string }[] } | null>;
  if (added.length) {
    const answer = await client.request<Answer>(TAGS_ADD_MUTATION, { id, tags: added });
    assertNoUserErrors("tagsAdd", answer.tagsAdd);
  }
  if (removed.length) {
    const answer = await client.request<Answer>(TAGS_REMOVE_MUTATION, { id, tags: removed });
    assertNoUserErrors("tagsRemove", answer.tagsRemove);
  }
  return { added, removed };
}

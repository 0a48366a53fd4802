// What a batch of cart reminders says: each cart's items with their product images, and click-counting links to
// the recovery page and the products. One image cache read per shop and one insert of every reminder's links.
import { createHash } from "node:crypto";
import type { CartReminderSettings } from "@prisma/client";
import { sql } from "../db.server";
import { env } from "../env.server";
import type { LineMessage } from "../messaging/types";
import type { StoredLineItem } from "./checkouts.server";
import { buildReminderMessage } from "./flex";
import { productUrl, withQueryParams } from "./links";
import { productInfoForCarts, type GraphQL, type ProductInfo } from "./product-info.server";

export type ReminderToWrite = {
  id: string;
  shop: string;
  lineItems: StoredLineItem[];
  recoveryUrl: string | null;
  currency: string;
  totalPrice: string;
  settings: CartReminderSettings;
};

/** Items shown with a picture and a link; the others are listed. */
const SHOWN = 2;

/** Click-counting redirect codes are derived from the reminder, so a retried build yields the same message. */
function linkCode(reminderId: string, index: number) {
  return createHash("sha256").update(`${reminderId}:${index}`).digest("base64url").slice(0, 16);
}

type Link = { kind: string; url: string; code: string } | null;

function linksOf(reminder: ReminderToWrite, info: ProductInfo[]): Link[] {
  const { settings } = reminder;
  const recovery = withQueryParams(reminder.recoveryUrl ?? `https://${reminder.shop}/cart`, settings.queryParams);
  const targets = [
    { kind: "recovery", url: recovery },
    ...reminder.lineItems.slice(0, SHOWN).map((item, index) => {
      const url = productUrl(reminder.shop, info[index].handle, item.variantId);
      return { kind: "product", url: url ? withQueryParams(url, settings.queryParams) : null };
    }),
  ];
  return targets.map((target, index) => (target.url ? { kind: target.kind, url: target.url, code: linkCode(reminder.id, index) } : null));
}

/** Each reminder's message, or the error that kept it from being built. */
export async function reminderMessages(
  reminders: ReminderToWrite[],
  graphqlFor: (shop: string) => Promise<GraphQL>,
): Promise<Map<string, LineMessage | Error>> {
  const result = new Map<string, LineMessage | Error>();
  const infos = new Map<string, ProductInfo[]>();
  const shops = new Map<string, ReminderToWrite[]>();
  for (const reminder of reminders) shops.set(reminder.shop, [...(shops.get(reminder.shop) ?? []), reminder]);
  for (const [shop, ofShop] of shops) {
    try {
      const carts = await productInfoForCarts(shop, ofShop.map((r) => r.lineItems.slice(0, SHOWN)), () => graphqlFor(shop));
      ofShop.forEach((reminder, index) => infos.set(reminder.id, carts[index]));
    } catch (error) {
      for (const reminder of ofShop) result.set(reminder.id, error as Error);
    }
  }
  const ready = reminders.filter((r) => infos.has(r.id));
  const links = new Map(ready.map((r) => [r.id, linksOf(r, infos.get(r.id)!)]));
  const rows = ready.flatMap((r) => links.get(r.id)!.flatMap((link) => (link ? [{ ...link, reminderId: r.id, shop: r.shop }] : [])));
  try {
    // One statement for all links; a retried build finds them already there.
    if (rows.length) {
      await sql`
        INSERT INTO "ReminderLink" (code, shop, "reminderId", "targetUrl", kind, "createdAt")
        SELECT link.code, link.shop, link.reminder, link.url, link.kind, ${new Date()}::timestamp
        FROM unnest(${rows.map((l) => l.code)}::text[], ${rows.map((l) => l.shop)}::text[], ${rows.map((l) => l.reminderId)}::text[],
                    ${rows.map((l) => l.url)}::text[], ${rows.map((l) => l.kind)}::text[])
          AS link(code, shop, reminder, url, kind)
        ON CONFLICT DO NOTHING`;
    }
  } catch (error) {
    for (const reminder of ready) result.set(reminder.id, error as Error);
    return result;
  }
  const base = env.SHOPIFY_APP_URL.replace(/\/$/, "");
  for (const reminder of ready) {
    const info = infos.get(reminder.id)!;
    const reminderLinks = links.get(reminder.id)!;
    const tracked = (index: number) => (reminderLinks[index] ? `${base}/r/${reminderLinks[index]!.code}` : null);
    try {
      result.set(
        reminder.id,
        buildReminderMessage({
          settings: reminder.settings,
          items: reminder.lineItems.map((item, index) => ({
            title: item.title,
            variantTitle: item.variantTitle,
            quantity: item.quantity,
            price: item.price,
            currency: reminder.currency,
            imageUrl: info[index]?.imageUrl ?? null,
            url: index < SHOWN ? tracked(index + 1) : null,
          })),
          currency: reminder.currency,
          totalPrice: reminder.totalPrice,
          recoveryUrl: tracked(0)!,
        }),
      );
    } catch (error) {
      result.set(reminder.id, error as Error);
    }
  }
  return result;
}

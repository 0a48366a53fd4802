// The friends list's CSV export: every friend the filter matches (or the selected ones), streamed in batches, in the
// merchant's language. Times are ISO 8601 in UTC.
import { Readable } from "node:stream";
import { stringify } from "csv-stringify";
import { db } from "../db.server";
import { resolveLocale, translate, type Locale } from "../i18n/messages";
import type { MessageKey } from "../i18n/messages";
import { targetBatches, type BulkTarget } from "./bulk.server";
import { customerName, filterConditions, parseFriendQuery } from "./friends.server";

const HEADINGS = [
  "friends.csv.name",
  "friends.csv.lineUserId",
  "friends.csv.status",
  "friends.csv.tags",
  "friends.csv.customer",
  "friends.csv.customerId",
  "friends.csv.followedAt",
  "friends.csv.lastMessageAt",
] as const satisfies readonly MessageKey[];

const iso = (date: Date | null) => (date ? date.toISOString() : "");

/** The rows of the target's friends (without the heading), a batch at a time. */
export async function* friendCsvRows(shop: string, target: BulkTarget, locale: Locale): AsyncGenerator<string[]> {
  const status = (value: string) => (["following", "blocked", "unknown"].includes(value) ? translate(locale, `friends.status.${value}` as MessageKey) : value);
  for await (const ids of targetBatches(shop, target)) {
    const friends = await db.friend.findMany({
      where: { id: { in: ids }, shop },
      orderBy: { id: "asc" },
      select: {
        id: true, displayName: true, lineUserId: true, followStatus: true, shopifyCustomerId: true, followedAt: true, lastMessageAt: true,
        tags: { select: { tag: { select: { name: true } } }, orderBy: { tag: { name: "asc" } } },
      },
    });
    const customerIds = [...new Set(friends.flatMap((friend) => (friend.shopifyCustomerId ? [friend.shopifyCustomerId] : [])))];
    const customers = customerIds.length
      ? await db.customer.findMany({ where: { shop, customerId: { in: customerIds } }, select: { customerId: true, displayName: true, firstName: true, lastName: true } })
      : [];
    const names = new Map(customers.map((row) => [row.customerId, customerName(row)]));
    for (const friend of friends) {
      yield [
        friend.displayName ?? "",
        friend.lineUserId,
        status(friend.followStatus),
        friend.tags.map(({ tag }) => tag.name).join(", "),
        (friend.shopifyCustomerId && names.get(friend.shopifyCustomerId)) || "",
        friend.shopifyCustomerId?.replace(/^gid:\/\/shopify\/Customer\//, "") ?? "",
        iso(friend.followedAt),
        iso(friend.lastMessageAt),
      ];
    }
  }
}

/** The CSV as a download (with a BOM, so spreadsheet apps read the Japanese right). */
export async function friendsCsvResponse(shop: string, target: BulkTarget, localeHint: string | null) {
  // A filter the list cannot answer is refused before the download starts (FriendQueryError), not halfway.
  if ("filter" in target) await filterConditions(shop, parseFriendQuery(target.filter));
  const locale = resolveLocale(localeHint ?? undefined, "ja");
  const csv = stringify({ bom: true, header: true, columns: HEADINGS.map((key) => translate(locale, key)) });
  Readable.from(friendCsvRows(shop, target, locale))
    .on("error", (error) => csv.destroy(error))
    .pipe(csv);
  const stream = Readable.toWeb(csv) as unknown as ReadableStream<Uint8Array>;
  const day = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="friends-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
}

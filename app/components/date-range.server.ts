// Which day it is for a shop: reports count calendar days in the shop's time zone (Shop.timeZone, from Shopify).
import { db } from "../db.server";
import { localDay } from "./date-range";

/** The shop's time zone and currency, and which day it is there. */
export async function shopCalendar(shop: string, now = new Date()) {
  const row = await db.shop.findUnique({ where: { shop }, select: { timeZone: true, currency: true } });
  const timeZone = row?.timeZone ?? "Asia/Tokyo";
  return { timeZone, currency: row?.currency ?? null, today: localDay(now, timeZone) };
}

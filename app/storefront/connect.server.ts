// The first step of linking, behind the app proxy. The request's query was signed by Shopify (checked by the
// route), so shop and logged_in_customer_id can be trusted; cart and return_to are only hints.
import { db } from "../db.server";
import { createIntent, liffUrl } from "./intents.server";
import { withinLimit } from "./rate-limit.server";

type Outcome = { location: string } | { status: number; page: string };

const page = (ja: string, en: string) =>
  `<div style="max-width:32rem;margin:3rem auto;padding:0 1rem;text-align:center"><p>${ja}</p><p>${en}</p></div>`;

/** `client` is the caller's address key (client-address.server.ts), never a header. */
export async function connectStart(request: Request, client: string): Promise<Outcome> {
  const query = new URL(request.url).searchParams;
  const shop = query.get("shop") ?? "";
  if (!(await withinLimit("connect", `${shop}:${client}`, 30, 60))) {
    return { status: 429, page: page("しばらくしてから再度お試しください。", "Too many attempts. Please try again in a minute.") };
  }
  const account = await db.lineAccount.findFirst({
    where: { shop, status: "connected", liffId: { not: null }, loginChannelId: { not: null } },
    orderBy: { createdAt: "asc" },
  });
  if (!account?.liffId) {
    return { status: 404, page: page("このストアでは LINE 連携をご利用いただけません。", "Connecting with LINE is not available in this store.") };
  }
  const intent = await createIntent({
    shop,
    lineAccountId: account.id,
    customerId: query.get("logged_in_customer_id"),
    cartToken: query.get("cart"),
    returnPath: query.get("return_to"),
  });
  return { location: liffUrl(account.liffId, intent.id) };
}

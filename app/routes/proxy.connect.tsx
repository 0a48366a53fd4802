// Storefront /apps/line/connect, forwarded and signed by Shopify's app proxy: record what Shopify vouches for
// (shop, logged-in customer) with the cart and return path, then send the shopper to the LIFF login.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { clientKey } from "../storefront/client-address.server";
import { connectStart } from "../storefront/connect.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, context }: LoaderFunctionArgs) => {
  // Throws 400 for a missing, forged or stale (> 90 s) signature, before anything is stored.
  const { liquid } = await authenticate.public.appProxy(request);
  const outcome = await connectStart(request, clientKey(context));
  if ("location" in outcome) return redirect(outcome.location);
  return liquid(outcome.page, { status: outcome.status, layout: true });
};

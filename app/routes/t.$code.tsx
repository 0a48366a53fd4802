// GET /t/:code — a friend-add tracking link: count the click with its query (ad click ids, UTM), then take the
// visitor through the LIFF login so the click can be tied to the LINE user who follows.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { recordClick } from "../sources/tracking-links.server";
import { clientKey } from "../storefront/client-address.server";

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const outcome = await recordClick(params.code ?? "", request, clientKey(context));
  if ("location" in outcome) return redirect(outcome.location);
  return new Response(outcome.message, { status: outcome.status, headers: { "content-type": "text/plain; charset=utf-8" } });
};

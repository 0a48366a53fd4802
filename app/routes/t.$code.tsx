// GET /t/:code — a friend-add tracking link: count the click with its query (ad click ids, UTM), then take the
// visitor through the LIFF login so the click can be tied to the LINE user who follows. An action link's code
// (eleven characters, never a tracking link's eight) applies its tags and menu to the friend who tapped, then
// redirects (app/action-links/tap.server.ts).
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { followActionLink } from "../action-links/tap.server";
import { recordClick } from "../sources/tracking-links.server";
import { clientKey } from "../storefront/client-address.server";

export const loader = async ({ request, params, context }: LoaderFunctionArgs) => {
  const code = params.code ?? "";
  const outcome = (await followActionLink(code, new URL(request.url), clientKey(context))) ?? (await recordClick(code, request, clientKey(context)));
  if ("location" in outcome) return redirect(outcome.location, { headers: { "cache-control": "no-store" } });
  return new Response(outcome.message, { status: outcome.status, headers: { "content-type": "text/plain; charset=utf-8" } });
};

// GET /r/:code — a link in a cart reminder: counted, then on to the store with its UTM parameters intact.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { followReminderLink } from "../abandoned-cart/clicks.server";

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const target = await followReminderLink(params.code ?? "");
  if (!target) return new Response("このリンクは無効です。 / This link is no longer valid.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return redirect(target, { headers: { "cache-control": "no-store" } });
};

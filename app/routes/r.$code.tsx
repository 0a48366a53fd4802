// GET /r/:code — a tracked link in a cart reminder, a broadcast or a rich menu: counted, then on to the store with its UTM
// parameters intact. Both kinds of codes are 16 random-looking characters; a code is looked up in both tables.
import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { followReminderLink } from "../abandoned-cart/clicks.server";
import { followBroadcastLink } from "../broadcasts/links.server";
import { followRichMenuLink } from "../rich-menus/publish.server";

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const code = params.code ?? "";
  const target = (await followReminderLink(code)) ?? (await followBroadcastLink(code)) ?? (await followRichMenuLink(code));
  if (!target) return new Response("このリンクは無効です。 / This link is no longer valid.", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });
  return redirect(target, { headers: { "cache-control": "no-store" } });
};

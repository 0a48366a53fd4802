// GET /app/friends.csv — the friends of the list's filter (scope=all, with the filter's fields) or the selected ones
// (scope=selected&ids=…), streamed as CSV in the merchant's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { friendsCsvResponse } from "../friends/export.server";
import { FriendQueryError } from "../friends/friends.server";
import { bulkTarget } from "../friends/list-page.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const params = new URL(request.url).searchParams;
  const target = bulkTarget(params.get("scope") ?? "all", params.get("ids") ?? "", Object.fromEntries(params));
  if (!target) throw new Response("Select friends first.", { status: 422 });
  const locale = params.get("locale") ?? request.headers.get("accept-language");
  try {
    return await friendsCsvResponse(session.shop, target, locale);
  } catch (error) {
    if (error instanceof FriendQueryError) throw new Response(error.message, { status: error.status });
    throw error;
  }
};

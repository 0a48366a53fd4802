import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { olderItems } from "../inbox/page.server";
import { authenticate } from "../shopify.server";

/** Older items of a thread, a keyset page at a time, as the thread's scroll area asks for them. */
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const page = await olderItems(session.shop, url.searchParams.get("c") ?? "", url.searchParams.get("before"));
  if (!page) throw json({ error: "inbox.error.notFound" }, { status: 404 });
  return json(page);
};

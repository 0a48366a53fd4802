import type { LoaderFunctionArgs } from "@remix-run/node";
import { contentForUrl } from "../inbox/content.server";

/**
 * A received image, for the inbox page's <img>: the URL is signed by the authenticated inbox loader (shop, message,
 * expiry), since an image request carries no session token. Unknown, another shop's, expired: 404.
 */
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const content = await contentForUrl(params.messageId ?? "", new URL(request.url).searchParams);
  if (!content) return new Response("Not found", { status: 404, headers: { "cache-control": "no-store" } });
  return new Response(content.bytes, {
    headers: {
      "content-type": content.contentType,
      "cache-control": "private, max-age=3600",
      "x-content-type-options": "nosniff",
      // A friend's upload is shown as an image, never run as a document.
      "content-security-policy": "default-src 'none'; sandbox",
    },
  });
};

// GET /app/tracking-links.csv?from=&to=&view=&locale= — the links' report for the period.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale } from "../i18n/messages";
import { authenticate } from "../shopify.server";
import { trackingLinksCsv } from "../sources/tracking-view.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const locale = resolveLocale(url.searchParams.get("locale"), request.headers.get("accept-language"));
  const { range, csv } = await trackingLinksCsv(session.shop, url, locale);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="tracking-links-${range.from}-${range.to}.csv"`,
      "cache-control": "no-store",
    },
  });
};

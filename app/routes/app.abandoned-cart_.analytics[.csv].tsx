// GET /app/abandoned-cart/analytics.csv?from=&to=&account=&locale= — the per-day rows of the period.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { analyticsCsv } from "../abandoned-cart/analytics-csv.server";
import { analyticsDays } from "../abandoned-cart/analytics-view.server";
import { resolveLocale } from "../i18n/messages";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const { range, days } = await analyticsDays(session.shop, url);
  const locale = resolveLocale(url.searchParams.get("locale"), request.headers.get("accept-language"));
  return new Response(analyticsCsv({ days }, locale), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="cart-analytics-${range.from}-${range.to}.csv"`,
      "cache-control": "no-store",
    },
  });
};

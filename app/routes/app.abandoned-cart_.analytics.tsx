import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { CartAnalyticsPage } from "../abandoned-cart/analytics-page";
import { analyticsView } from "../abandoned-cart/analytics-view.server";
import { useLocale } from "../i18n/i18n";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return analyticsView(session.shop, new URL(request.url));
};

export default function CartAnalytics() {
  const data = useLoaderData<typeof loader>();
  const locale = useLocale();
  const navigation = useNavigation();
  const loading = navigation.state === "loading" && navigation.location?.pathname === "/app/abandoned-cart/analytics";
  const csv = new URLSearchParams({ from: data.range.from, to: data.range.to, locale });
  if (data.selectedId) csv.set("account", data.selectedId);
  const settingsUrl = `/app/abandoned-cart${data.selectedId ? `?account=${data.selectedId}` : ""}`;
  return (
    <CartAnalyticsPage
      data={data}
      loading={loading}
      csvUrl={`/app/abandoned-cart/analytics.csv?${csv.toString()}`}
      settingsUrl={settingsUrl}
    />
  );
}

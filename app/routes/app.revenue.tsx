// LINE revenue: the orders attributed to LINE messages (each with its message and rule), the totals of the last
// 30 days per currency, and the attribution windows.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { BlockStack, Layout, Page } from "@shopify/polaris";
import {
  attributedOrders,
  attributionSettings,
  revenueQuerySchema,
  revenueTotals,
  saveAttributionSettings,
} from "../customers/revenue.server";
import { AttributedOrdersTable, AttributionSettingsCard, RevenueTotalsCard } from "../customers/revenue-view";
import { useT } from "../i18n/i18n";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const url = new URL(request.url);
  const query = revenueQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!query.success) throw new Response("Invalid query", { status: 400 });
  const [shop, totals, page, settings] = await Promise.all([
    ensureShop(session.shop),
    revenueTotals(session.shop),
    attributedOrders(session.shop, query.data),
    attributionSettings(session.shop),
  ]);
  const link = (after: string | null) => {
    const next = new URLSearchParams(url.searchParams);
    if (after) next.set("after", after);
    else next.delete("after");
    return `/app/revenue?${next.toString()}`;
  };
  return json({
    timeZone: shop.timeZone,
    totals,
    orders: page.orders,
    nextUrl: page.nextCursor ? link(page.nextCursor) : null,
    firstUrl: query.data.after ? link(null) : null,
    settings,
  });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const result = await saveAttributionSettings(session.shop, Object.fromEntries(await request.formData()));
  return json(result.ok ? { ok: true as const, errors: null } : { ok: false as const, errors: result.errors }, { status: result.ok ? 200 : 422 });
};

export default function Revenue() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const t = useT();
  return (
    <Page title={t("customers.revenue.title")} subtitle={t("customers.revenue.subtitle")}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <RevenueTotalsCard totals={data.totals} />
            <AttributedOrdersTable orders={data.orders} timeZone={data.timeZone} nextUrl={data.nextUrl} firstUrl={data.firstUrl} />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <AttributionSettingsCard
            settings={data.settings}
            errors={result?.errors ?? null}
            saved={Boolean(result?.ok) && navigation.state === "idle"}
            saving={navigation.state === "submitting"}
            onSave={(values) => submit(values, { method: "post" })}
          />
        </Layout.Section>
      </Layout>
    </Page>
  );
}

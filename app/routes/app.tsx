import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError, type ShouldRevalidateFunction } from "@remix-run/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisEn from "@shopify/polaris/locales/en.json";
import polarisJa from "@shopify/polaris/locales/ja.json";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { boundary } from "@shopify/shopify-app-remix/server";
import { EmbeddedAppProvider } from "../components/app-provider";
import { demoAppBridgeUrl } from "../demo/demo.server";
import { env } from "../env.server";
import { LocaleProvider, useT } from "../i18n/i18n";
import { messages, resolveLocale } from "../i18n/dictionaries.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

const polarisTranslations = { en: polarisEn, ja: polarisJa };

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  await ensureShop(session.shop);
  // The admin opens the app with ?locale=<staff language>; later navigations keep this loader's data.
  const locale = resolveLocale(new URL(request.url).searchParams.get("locale"), request.headers.get("accept-language"));
  // Only this locale's words go to the browser (LocaleProvider), not every locale's dictionaries in the bundle.
  return { apiKey: env.SHOPIFY_API_KEY, locale, messages: messages[locale], appBridgeUrl: demoAppBridgeUrl(session.shop) };
};

export const shouldRevalidate: ShouldRevalidateFunction = () => false;

export default function App() {
  const { locale, messages } = useLoaderData<typeof loader>();
  return (
    <EmbeddedAppProvider i18n={polarisTranslations[locale]}>
      <LocaleProvider locale={locale} messages={messages}>
        <Navigation />
        <Outlet />
      </LocaleProvider>
    </EmbeddedAppProvider>
  );
}

function Navigation() {
  const t = useT();
  return (
    <NavMenu>
      <Link to="/app" rel="home">
        {t("nav.home")}
      </Link>
      <Link to="/app/accounts">{t("nav.accounts")}</Link>
      <Link to="/app/inbox">{t("nav.inbox")}</Link>
      <Link to="/app/friends">{t("nav.friends")}</Link>
      <Link to="/app/tags">{t("nav.tags")}</Link>
      <Link to="/app/segments">{t("nav.segments")}</Link>
      <Link to="/app/greeting">{t("nav.greeting")}</Link>
      <Link to="/app/auto-replies">{t("nav.autoReplies")}</Link>
      <Link to="/app/broadcasts">{t("nav.broadcasts")}</Link>
      <Link to="/app/scenarios">{t("nav.scenarios")}</Link>
      <Link to="/app/rich-menus">{t("nav.richMenus")}</Link>
      <Link to="/app/tracking-links">{t("nav.trackingLinks")}</Link>
      <Link to="/app/abandoned-cart">{t("nav.abandonedCart")}</Link>
      <Link to="/app/abandoned-cart/analytics">{t("nav.cartAnalytics")}</Link>
      <Link to="/app/revenue">{t("nav.revenue")}</Link>
      <Link to="/app/forms">{t("forms.title")}</Link>
      <Link to="/app/notifications">{t("notifications.title")}</Link>
    </NavMenu>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included in the response.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

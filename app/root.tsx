import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import { AppBridgeScript } from "./components/app-provider";

export default function App() {
  const data = useRouteLoaderData<{ locale?: string; apiKey?: string; appBridgeUrl?: string | null }>("routes/app");
  return (
    <html lang={data?.locale ?? "en"}>
      <head>
        <meta charSet="utf-8" />
        {/* Admin pages: App Bridge first, before any other script (Shopify measures Web Vitals with it). */}
        {data?.apiKey ? <AppBridgeScript apiKey={data.apiKey} src={data.appBridgeUrl} /> : null}
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        {/* App Bridge defines this element and renders the menu in the admin; never show its raw links. */}
        <style>{"ui-nav-menu { display: none; }"}</style>
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

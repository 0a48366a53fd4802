// The embedded-admin provider: Polaris with Remix links. The App Bridge script is the first script of <head>
// (app/root.tsx, AppBridgeScript): Shopify collects the admin's Web Vitals with it, so it must load before the app's.
// Equivalent to @shopify/shopify-app-remix/react's AppProvider, which Remix's classic compiler cannot bundle:
// it imports Polaris' locale JSON with an import attribute (`with { type: "json" }`) that esbuild 0.17 rejects.
import { Link, useNavigate } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, type AppProviderProps } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import { forwardRef, useEffect, type ReactNode } from "react";

export const APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

/**
 * App Bridge, for the start of <head>: the API key as Shopify documents it (meta) and on the script. `src` is
 * another App Bridge script only for the local demo's stand-in (app/demo/), never outside it.
 */
export function AppBridgeScript({ apiKey, src }: { apiKey: string; src?: string | null }) {
  return (
    <>
      <meta name="shopify-api-key" content={apiKey} />
      <script src={src ?? APP_BRIDGE_URL} data-api-key={apiKey} />
    </>
  );
}

const RemixLink = forwardRef<HTMLAnchorElement, LinkLikeComponentProps>(function RemixLink(
  { url, children, external, ...rest },
  ref,
) {
  if (external) {
    return (
      <a ref={ref} href={url} target="_blank" rel="noopener noreferrer" {...rest}>
        {children}
      </a>
    );
  }
  return (
    <Link ref={ref} to={url} {...rest}>
      {children}
    </Link>
  );
});

export function EmbeddedAppProvider(props: { i18n: AppProviderProps["i18n"]; children: ReactNode }) {
  const navigate = useNavigate();
  useEffect(() => {
    // App Bridge's nav menu asks the app to route by dispatching shopify:navigate on the link it rendered.
    const onNavigate = (event: Event) => {
      const href = (event.target as Element | null)?.getAttribute("href");
      if (href) navigate(href);
    };
    addEventListener("shopify:navigate", onNavigate);
    return () => removeEventListener("shopify:navigate", onNavigate);
  }, [navigate]);

  return (
    <PolarisAppProvider i18n={props.i18n} linkComponent={RemixLink}>
      {props.children}
    </PolarisAppProvider>
  );
}

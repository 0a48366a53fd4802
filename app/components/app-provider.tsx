// The embedded-admin provider: Polaris with Remix links, plus the App Bridge script.
// Equivalent to @shopify/shopify-app-remix/react's AppProvider, which Remix's classic compiler cannot bundle:
// it imports Polaris' locale JSON with an import attribute (`with { type: "json" }`) that esbuild 0.17 rejects.
import { Link, useNavigate } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, type AppProviderProps } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import { forwardRef, useEffect, type ReactNode } from "react";

const APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

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

export function EmbeddedAppProvider(props: {
  apiKey: string;
  i18n: AppProviderProps["i18n"];
  children: ReactNode;
  /** Another App Bridge script: the local demo's stand-in (app/demo/), never outside it. */
  appBridgeUrl?: string | undefined;
}) {
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
    <>
      <script src={props.appBridgeUrl ?? APP_BRIDGE_URL} data-api-key={props.apiKey} />
      <PolarisAppProvider i18n={props.i18n} linkComponent={RemixLink}>
        {props.children}
      </PolarisAppProvider>
    </>
  );
}

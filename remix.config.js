/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  // An ESM server build leaves Polaris' locale JSON external and Node then refuses the JSON import
  // ("needs an import attribute of type: json"); bundling it avoids that.
  serverDependenciesToBundle: [/^@shopify\/polaris\/locales/],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
};

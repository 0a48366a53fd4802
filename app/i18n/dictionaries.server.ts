// Every locale's dictionary, for the server only: a page gets its locale's dictionary from the app route's loader
// (LocaleProvider `messages`), so no browser bundle carries the others. Remix leaves this module empty in the browser.
export { messages } from "./messages";
// Loaders resolve the admin's locale through this module: importing messages.ts into a route module would put
// every dictionary into its browser chunk (esbuild cannot drop the merged objects).
export { resolveLocale } from "./messages";

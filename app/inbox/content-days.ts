// How long received images are kept (content.server.ts deletes them after this), in a module pages can import too.
export const CONTENT_KEEP_DAYS_SHOWN = 14;

// Whether the storefront button is on the live theme: the main theme's config/settings_data.json lists our app
// embed ("line-embed" of the theme app extension) under current.blocks, enabled unless `disabled` is true. Read
// through the Admin GraphQL API, which needs the read_themes scope (an optional scope the merchant grants).
import type { GraphQL } from "../customers/admin-api.server";
import { errorFields, logger } from "../logger.server";

/** The app embed's handle: the file name of extensions/line-connect/blocks/line-embed.liquid. */
export const EMBED_HANDLE = "line-embed";
export const THEME_SCOPE = "read_themes";

export type StorefrontButton = "added" | "disabled" | "missing" | "no-scope" | "unknown";

export const MAIN_THEME_SETTINGS = `#graphql
  query MainThemeSettings {
    themes(first: 1, roles: [MAIN]) {
      nodes {
        id
        files(filenames: ["config/settings_data.json"], first: 1) {
          nodes { filename body { ... on OnlineStoreThemeFileBodyText { content } } }
        }
      }
    }
  }`;

type Answer = {
  data?: { themes?: { nodes: { files?: { nodes: { body?: { content?: string } | null }[] } }[] } };
  errors?: unknown;
};

const TIMEOUT_MS = 5_000;

/** settings_data.json as Shopify stores it may open with a comment block. */
export function embedState(settingsData: string): "added" | "disabled" | "missing" {
  let parsed: { current?: { blocks?: Record<string, { type?: string; disabled?: boolean }> } | string };
  try {
    parsed = JSON.parse(settingsData.replace(/^\s*\/\*[\s\S]*?\*\//, "")) as typeof parsed;
  } catch {
    return "missing";
  }
  const current = typeof parsed.current === "object" ? parsed.current : undefined;
  const ours = Object.values(current?.blocks ?? {}).filter((block) => new RegExp(`/blocks/${EMBED_HANDLE}/`).test(block.type ?? ""));
  if (!ours.length) return "missing";
  return ours.some((block) => block.disabled !== true) ? "added" : "disabled";
}

const deniedText = (value: unknown) => /ACCESS_DENIED|read_themes/i.test(JSON.stringify(value) ?? "");

export async function storefrontButton(graphql: GraphQL | null): Promise<StorefrontButton> {
  if (!graphql) return "unknown";
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const response = await Promise.race([
      graphql(MAIN_THEME_SETTINGS),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("the theme could not be read in time")), TIMEOUT_MS))),
    ]);
    const answer = (await response.json()) as Answer;
    if (answer.errors) return deniedText(answer.errors) ? "no-scope" : "unknown";
    const content = answer.data?.themes?.nodes[0]?.files?.nodes[0]?.body?.content;
    return content === undefined ? "missing" : embedState(content);
  } catch (error) {
    // The library throws GraphqlQueryError with Shopify's answer as `body`.
    if (deniedText((error as { body?: unknown }).body) || deniedText((error as Error).message)) return "no-scope";
    logger.warn("could not read the main theme's settings", errorFields(error));
    return "unknown";
  } finally {
    clearTimeout(timer);
  }
}

/** Opens the theme editor on the app embeds with ours switched on, ready to save. */
export function themeEditorUrl(shop: string, apiKey: string): string {
  return `https://${shop}/admin/themes/current/editor?context=apps&activateAppId=${encodeURIComponent(apiKey)}/${EMBED_HANDLE}`;
}

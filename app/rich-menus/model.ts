// What a rich menu is, for the browser and the server alike: sizes, LINE's usual layout templates, the areas and
// their actions, tab groups and tag rules. Error messages are i18n keys (app/i18n/rich-menus.ts).
import { z } from "zod";
import { LAYOUTS, LIMITS, MENU_SIZES, SIZES, TEMPLATE_IDS, TEMPLATES, type Bounds, type MenuSize, type TemplateId } from "./templates";
export * from "./templates";

const httpsUrl = z
  .string()
  .trim()
  .max(LIMITS.uri, "richMenus.error.url")
  .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), "richMenus.error.url");

/**
 * What tapping an area does.
 * - uri: open a page, through our /r/ short link (counted) with the UTM parameters when `track`; the target is a
 *   URL the merchant typed or a product/collection picked in Shopify (its storefront URL, with its id and title).
 * - message: the friend sends `text` (LINE's message action).
 * - tag: adds or removes a tag by postback, in the postback path's format (`action=tag-add&tag=<name>`).
 * - tab: switches to another tab of the same group (richmenuswitch to that tab's alias).
 * - liff: opens the account's LIFF app at `path`.
 */
export const areaActionSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("uri"),
    target: z.enum(["url", "product", "collection"]).default("url"),
    url: httpsUrl,
    resourceId: z.string().max(200).optional(),
    title: z.string().max(255).optional(),
    track: z.boolean().default(true),
    /** Left out: defaultUtm(menu name); empty: none. */
    utm: z.string().max(LIMITS.utm, "richMenus.error.utm").optional(),
    label: z.string().max(20).optional(),
  }),
  z.object({
    type: z.literal("message"),
    text: z.string().trim().min(1, "richMenus.error.message").max(LIMITS.messageText, "richMenus.error.message"),
    label: z.string().max(20).optional(),
  }),
  z.object({
    type: z.literal("tag"),
    op: z.enum(["add", "remove"]),
    tagId: z.string().min(1, "richMenus.error.tag"),
    /** Shown in the chat as the friend's text when tapped (optional). */
    displayText: z.string().max(300).optional(),
    label: z.string().max(20).optional(),
  }),
  z.object({
    type: z.literal("tab"),
    /** The menu of the tab to switch to (same group). */
    richMenuId: z.string().min(1, "richMenus.error.tab"),
    label: z.string().max(20).optional(),
  }),
  z.object({
    type: z.literal("liff"),
    /** Path and query after the LIFF URL ("" for its start page). */
    path: z
      .string()
      .trim()
      .max(500)
      .refine((value) => value === "" || /^[/?][^\s]*$/.test(value), "richMenus.error.liff")
      .default(""),
    label: z.string().max(20).optional(),
  }),
]);
export type AreaAction = z.infer<typeof areaActionSchema>;
export type AreaActionInput = z.input<typeof areaActionSchema>;

const int = z.number().int("richMenus.error.bounds").min(0, "richMenus.error.bounds");
export const boundsSchema = z.object({ x: int, y: int, width: int.min(1, "richMenus.error.bounds"), height: int.min(1, "richMenus.error.bounds") });

export const areaSchema = z.object({ bounds: boundsSchema, action: areaActionSchema });
export type Area = z.infer<typeof areaSchema>;

/** The editor's form. Bounds are checked against the size; a template's areas must be the template's. */
export const richMenuInputSchema = z
  .object({
    lineAccountId: z.string().min(1, "richMenus.error.account"),
    name: z.string().trim().min(1, "richMenus.error.name").max(LIMITS.name, "richMenus.error.name"),
    // LINE counts characters; a surrogate pair (emoji) is one.
    chatBarText: z
      .string()
      .trim()
      .min(1, "richMenus.error.chatBarText")
      .refine((value) => [...value].length <= LIMITS.chatBarText, "richMenus.error.chatBarText"),
    size: z.enum(["full", "compact"]),
    layout: z.enum(LAYOUTS),
    areas: z.array(areaSchema).min(1, "richMenus.error.areas").max(LIMITS.areas, "richMenus.error.areas"),
  })
  .superRefine((menu, ctx) => {
    const { width, height } = SIZES[menu.size];
    if (menu.layout !== "grid") {
      const template = TEMPLATES[menu.layout];
      if (template.size !== menu.size) ctx.addIssue({ code: "custom", path: ["layout"], message: "richMenus.error.layout" });
      if (menu.areas.length !== template.areas.length) ctx.addIssue({ code: "custom", path: ["areas"], message: "richMenus.error.layoutAreas" });
    }
    menu.areas.forEach((area, index) => {
      const b = area.bounds;
      if (b.x + b.width > width || b.y + b.height > height) {
        ctx.addIssue({ code: "custom", path: ["areas", index, "bounds"], message: "richMenus.error.bounds" });
      }
      if (area.action.type === "uri" && area.action.utm !== undefined && utmError(area.action.utm)) {
        ctx.addIssue({ code: "custom", path: ["areas", index, "action", "utm"], message: "richMenus.error.utm" });
      }
    });
  });
export type RichMenuInput = z.infer<typeof richMenuInputSchema>;
export type RichMenuFormInput = z.input<typeof richMenuInputSchema>;

/** "key=value&key2=value2": every pair has a key; nothing a URL cannot carry. */
export function utmError(value: string): string | null {
  for (const pair of value.replace(/^\?/, "").split("&")) {
    if (pair === "") continue;
    const [key] = pair.split("=");
    if (!key || /[\s#?]/.test(pair)) return "richMenus.error.utm";
  }
  return null;
}


/** A tab group: 2–4 menus of one account, in tab order. */
export const tabGroupSchema = z.object({
  lineAccountId: z.string().min(1, "richMenus.error.account"),
  menuIds: z
    .array(z.string().min(1))
    .min(LIMITS.tabsMin, "richMenus.error.tabs")
    .max(LIMITS.tabsMax, "richMenus.error.tabs")
    .refine((ids) => new Set(ids).size === ids.length, "richMenus.error.tabs"),
});
export type TabGroupInput = z.infer<typeof tabGroupSchema>;

/** Tag rules in priority order (first matching wins); one rule per tag. */
export const rulesSchema = z
  .array(z.object({ tagId: z.string().min(1, "richMenus.error.rule"), richMenuId: z.string().min(1, "richMenus.error.rule") }))
  .max(100, "richMenus.error.rules")
  .refine((rules) => new Set(rules.map((r) => r.tagId)).size === rules.length, "richMenus.error.ruleDuplicateTag");
export type RuleInput = z.infer<typeof rulesSchema>[number];

/** RichMenuVersion.status */
export const VERSION_STATUSES = ["creating", "imageUploaded", "live", "retiring", "deleted", "failed"] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** How the friend page explains a friend's menu (FriendRichMenu.reason, shown translated). */
export type MenuReason = "rule" | "default" | "none" | "blocked";

/** The postback data of a tag area, in the format app/line/events/postback.server.ts reads. */
export function tagPostbackData(op: "add" | "remove", tagName: string) {
  return new URLSearchParams({ action: op === "add" ? "tag-add" : "tag-remove", tag: tagName }).toString();
}

/** The alias LINE switches to for a tab: "<group>-<position>" (≤ 32 characters of [A-Za-z0-9_-]). */
export function tabAliasId(groupId: string, position: number) {
  return `${groupId}-${position}`.slice(0, LIMITS.aliasId);
}

/** Image checks LINE applies to a rich-menu image: the first broken limit's key, or null. */
export function imageLimitError(image: { type: string; bytes: number; width: number; height: number }, size?: MenuSize): string | null {
  if (image.type !== "image/jpeg" && image.type !== "image/png") return "richMenus.error.imageType";
  if (image.width < LIMITS.imageMinWidth || image.width > LIMITS.imageMaxWidth) return "richMenus.error.imageWidth";
  if (image.height < LIMITS.imageMinHeight) return "richMenus.error.imageHeight";
  if (image.width / image.height < LIMITS.imageMinAspect) return "richMenus.error.imageAspect";
  if (image.bytes > LIMITS.imageBytes) return "richMenus.error.imageBytes";
  if (size) {
    // The areas are drawn in SIZES pixels: the image must have the menu's aspect (LINE scales it to the width).
    const want = SIZES[size];
    if (Math.abs(image.width / image.height - want.width / want.height) > 0.01) return "richMenus.error.imageSize";
  }
  return null;
}

// A rich menu's sizes, LINE's layout templates and limits, without zod: what the editor in the browser needs of
// app/rich-menus/model.ts (which re-exports these), so its chunks stay free of zod.
/** LINE's limits on a rich menu (Messaging API reference, "Rich menu object", "Upload rich menu image"). */
export const LIMITS = {
  name: 300,
  chatBarText: 14,
  areas: 20,
  templateAreas: 6,
  tabsMin: 2,
  tabsMax: 4,
  messageText: 300,
  postbackData: 300,
  uri: 1000,
  utm: 500,
  imageBytes: 1024 * 1024,
  imageMinWidth: 800,
  imageMaxWidth: 2500,
  imageMinHeight: 250,
  imageMinAspect: 1.45,
  aliasId: 32,
} as const;

/** The two image sizes the editor offers: the areas are in these pixels. */
export const SIZES = {
  full: { width: 2500, height: 1686 },
  compact: { width: 2500, height: 843 },
} as const;
export type MenuSize = keyof typeof SIZES;
export const MENU_SIZES = Object.keys(SIZES) as MenuSize[];

export type Bounds = { x: number; y: number; width: number; height: number };

// Columns and rows of LINE's 2500-pixel-wide templates (Official Account Manager's usual layouts).
const THIRD = [0, 833, 1667, 2500];
const HALF = [0, 1250, 2500];
function cell(xs: number[], x0: number, x1: number, y: number, height: number): Bounds {
  return { x: xs[x0]!, y, width: xs[x1]! - xs[x0]!, height };
}

/**
 * LINE's usual templates, areas in image pixels for full (2500×1686) and compact (2500×843) menus. "grid" is the
 * free layout: the merchant draws up to 20 areas.
 */
export const TEMPLATES = {
  "full-6": { size: "full", areas: [0, 843].flatMap((y) => [0, 1, 2].map((c) => cell(THIRD, c, c + 1, y, 843))) },
  "full-4": { size: "full", areas: [cell(HALF, 0, 1, 0, 843), cell(HALF, 1, 2, 0, 843), cell(HALF, 0, 1, 843, 843), cell(HALF, 1, 2, 843, 843)] },
  "full-4-wide": { size: "full", areas: [cell(THIRD, 0, 3, 0, 843), cell(THIRD, 0, 1, 843, 843), cell(THIRD, 1, 2, 843, 843), cell(THIRD, 2, 3, 843, 843)] },
  "full-3-left": { size: "full", areas: [cell(THIRD, 0, 2, 0, 1686), cell(THIRD, 2, 3, 0, 843), cell(THIRD, 2, 3, 843, 843)] },
  "full-3-top": { size: "full", areas: [cell(HALF, 0, 2, 0, 843), cell(HALF, 0, 1, 843, 843), cell(HALF, 1, 2, 843, 843)] },
  "full-2-columns": { size: "full", areas: [cell(HALF, 0, 1, 0, 1686), cell(HALF, 1, 2, 0, 1686)] },
  "full-2-rows": { size: "full", areas: [cell(HALF, 0, 2, 0, 843), cell(HALF, 0, 2, 843, 843)] },
  "full-1": { size: "full", areas: [cell(HALF, 0, 2, 0, 1686)] },
  "compact-3": { size: "compact", areas: [0, 1, 2].map((c) => cell(THIRD, c, c + 1, 0, 843)) },
  "compact-2-left": { size: "compact", areas: [cell(THIRD, 0, 1, 0, 843), cell(THIRD, 1, 3, 0, 843)] },
  "compact-2-right": { size: "compact", areas: [cell(THIRD, 0, 2, 0, 843), cell(THIRD, 2, 3, 0, 843)] },
  "compact-2": { size: "compact", areas: [cell(HALF, 0, 1, 0, 843), cell(HALF, 1, 2, 0, 843)] },
  "compact-1": { size: "compact", areas: [cell(HALF, 0, 2, 0, 843)] },
} satisfies Record<string, { size: MenuSize; areas: Bounds[] }>;
export type TemplateId = keyof typeof TEMPLATES;
export const TEMPLATE_IDS = Object.keys(TEMPLATES) as TemplateId[];
export const LAYOUTS = [...TEMPLATE_IDS, "grid"] as const;
export type Layout = (typeof LAYOUTS)[number];

/** The templates of a size, for the layout picker. */
export function templatesOf(size: MenuSize): TemplateId[] {
  return TEMPLATE_IDS.filter((id) => TEMPLATES[id].size === size);
}

/** The default tracking parameters of a menu's links. */
export function defaultUtm(name: string) {
  const campaign = encodeURIComponent(name.trim() || "rich_menu");
  return `utm_source=line&utm_medium=rich_menu&utm_campaign=${campaign}`;
}

/** A template's area bounds, for the editor to fill with actions. */
export function areasOfTemplate(layout: TemplateId): Bounds[] {
  return TEMPLATES[layout].areas.map((b) => ({ ...b }));
}

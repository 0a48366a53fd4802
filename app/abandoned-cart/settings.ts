// The かご落ちLINE settings form, validated. Browser-safe: the settings page validates and previews with the same
// code. Error values are i18n keys (cart.error.*); lengths count code points, as the merchant sees characters.
import { z } from "zod";

/** Minutes after the checkout started: immediately, 1 h, 6 h, 10 h (recommended), 24 h. */
export const DELAY_OPTIONS = [0, 60, 360, 600, 1440] as const;
export type DelayMinutes = (typeof DELAY_OPTIONS)[number];
export const RECOMMENDED_DELAY_MINUTES: DelayMinutes = 600;

export const SETTINGS_LIMITS = {
  tags: 10,
  tagName: 50,
  title: 40,
  body: 500,
  moreItemsText: 60,
  // LINE allows 40 for a Flex button label; a short label also fits one line on a phone.
  buttonText: 20,
  queryParams: 300,
  queryPairs: 10,
} as const;

/** Mirrors the column defaults of CartReminderSettings in prisma/schema.prisma. */
export const DEFAULT_REMINDER_SETTINGS = {
  enabled: false,
  delayMinutes: RECOMMENDED_DELAY_MINUTES,
  tagsToAdd: [] as string[],
  tagsToRemove: [] as string[],
  title: "お買い忘れはありませんか？",
  body: "カートに商品が残っています。在庫があるうちにお買い求めください。",
  moreItemsText: "ほか{count}点の商品",
  buttonText: "購入手続きに戻る",
  headerColor: "#06C755",
  buttonColor: "#06C755",
  queryParams: "utm_source=line&utm_medium=abandoned_cart&utm_campaign=recover",
  quietHoursEnabled: false,
  quietStart: "22:00",
  quietEnd: "08:00",
  attributionDays: 7,
};

const codePoints = (value: string) => [...value].length;
const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const QUERY_KEY = /^[A-Za-z0-9_.-]+$/;

function decodeOrNull(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/** Why a query string cannot be used (an i18n key), or null when it can. Empty is allowed. */
export function queryParamsError(input: string): string | null {
  const value = input.trim().replace(/^\?/, "");
  if (value === "") return null;
  if (/[#\s]/.test(value)) return "cart.error.queryParams";
  const pairs = value.split("&");
  if (pairs.length > SETTINGS_LIMITS.queryPairs) return "cart.error.queryParamsTooMany";
  const keys = new Set<string>();
  let encodedLength = pairs.length - 1;
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    const key = at < 0 ? pair : pair.slice(0, at);
    const raw = at < 0 ? "" : pair.slice(at + 1);
    const decoded = decodeOrNull(raw);
    if (!QUERY_KEY.test(key) || raw === "" || decoded === null) return "cart.error.queryParams";
    if (keys.has(key)) return "cart.error.queryParamsDuplicate";
    keys.add(key);
    encodedLength += key.length + 1 + encodeURIComponent(decoded).length;
  }
  // Counted as it is appended to links (percent-encoded), so links stay well under LINE's 1000-char URI limit.
  return encodedLength > SETTINGS_LIMITS.queryParams ? "cart.error.queryParamsTooLong" : null;
}

const text = (max: number, key: string) =>
  z.string({ error: key }).trim().refine((value) => codePoints(value) >= 1 && codePoints(value) <= max, key);

const checkbox = (key: string) =>
  z.preprocess(
    (value) => (typeof value === "string" ? ["on", "true", "1"].includes(value) : (value ?? false)),
    z.boolean({ error: key }),
  );

const integer = (key: string) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() !== "" ? Number(value) : value), z.number({ error: key }).int(key));

const tagList = z
  .array(z.string({ error: "cart.error.tagName" }).trim().refine((name) => {
    const n = codePoints(name);
    return n >= 1 && n <= SETTINGS_LIMITS.tagName;
  }, "cart.error.tagName"), { error: "cart.error.tagName" })
  .max(SETTINGS_LIMITS.tags, "cart.error.tagCount")
  .transform((names) => [...new Set(names)]);

const color = (key: string) =>
  z.string({ error: key }).trim().regex(HEX_COLOR, key).transform((value) => value.toUpperCase());

const time = (fallback: string) => z.string({ error: "cart.error.quietTime" }).trim().regex(TIME, "cart.error.quietTime").default(fallback);

export const reminderSettingsSchema = z
  .object({
    enabled: checkbox("cart.error.enabled"),
    delayMinutes: integer("cart.error.delayMinutes").pipe(z.literal([...DELAY_OPTIONS], { error: "cart.error.delayMinutes" })),
    tagsToAdd: tagList.default([]),
    tagsToRemove: tagList.default([]),
    title: text(SETTINGS_LIMITS.title, "cart.error.title"),
    body: text(SETTINGS_LIMITS.body, "cart.error.body"),
    moreItemsText: text(SETTINGS_LIMITS.moreItemsText, "cart.error.moreItemsText"),
    buttonText: text(SETTINGS_LIMITS.buttonText, "cart.error.buttonText"),
    headerColor: color("cart.error.headerColor"),
    buttonColor: color("cart.error.buttonColor"),
    queryParams: z
      .string({ error: "cart.error.queryParams" })
      .default("")
      .transform((value) => value.trim().replace(/^\?/, ""))
      .superRefine((value, ctx) => {
        const key = queryParamsError(value);
        if (key) ctx.addIssue({ code: "custom", message: key });
      }),
    quietHoursEnabled: checkbox("cart.error.quietHoursEnabled"),
    // Optional in the form: a disabled input is not submitted.
    quietStart: time(DEFAULT_REMINDER_SETTINGS.quietStart),
    quietEnd: time(DEFAULT_REMINDER_SETTINGS.quietEnd),
    attributionDays: integer("cart.error.attributionDays").pipe(
      z.number().min(1, "cart.error.attributionDays").max(30, "cart.error.attributionDays"),
    ),
  })
  .superRefine((settings, ctx) => {
    if (settings.quietStart === settings.quietEnd) {
      ctx.addIssue({ code: "custom", path: ["quietEnd"], message: "cart.error.quietSame" });
    }
    if (settings.tagsToAdd.some((name) => settings.tagsToRemove.includes(name))) {
      ctx.addIssue({ code: "custom", path: ["tagsToRemove"], message: "cart.error.tagConflict" });
    }
  });

export type ReminderSettings = z.infer<typeof reminderSettingsSchema>;
export type ReminderSettingsField = keyof ReminderSettings;
export type ReminderSettingsErrors = Partial<Record<ReminderSettingsField | "form", string>>;

const TAG_FIELDS = ["tagsToAdd", "tagsToRemove"] as const;

function tagsFromForm(values: FormDataEntryValue[]): unknown {
  const strings = values.map(String);
  // A client may also post the list as one JSON array.
  if (strings.length === 1 && strings[0].trim().startsWith("[")) {
    try {
      return JSON.parse(strings[0]);
    } catch {
      return strings;
    }
  }
  return strings;
}

function fromForm(form: FormData): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const [name, value] of form) if (!(name in raw)) raw[name] = value;
  for (const name of TAG_FIELDS) raw[name] = tagsFromForm(form.getAll(name));
  return raw;
}

export function parseReminderSettings(
  input: FormData | Record<string, unknown>,
): { data: ReminderSettings; errors?: undefined } | { data?: undefined; errors: ReminderSettingsErrors } {
  const raw = input instanceof FormData ? fromForm(input) : input;
  const result = reminderSettingsSchema.safeParse(raw);
  if (result.success) return { data: result.data };
  const errors: ReminderSettingsErrors = {};
  for (const issue of result.error.issues) {
    const field = (issue.path[0] as ReminderSettingsField | undefined) ?? "form";
    errors[field] ??= issue.message.startsWith("cart.error.") ? issue.message : `cart.error.${field}`;
  }
  return { errors };
}

// ---------------------------------------------------------------- colors (WCAG 2.x relative luminance)

function luminance(hex: string): number {
  if (!HEX_COLOR.test(hex)) throw new RangeError(`Not a #RRGGBB color: ${JSON.stringify(hex)}`);
  const [r, g, b] = [1, 3, 5].map((at) => {
    const channel = parseInt(hex.slice(at, at + 2), 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two #RRGGBB colors, from 1 to 21. Throws a RangeError on another format. */
export function contrastRatio(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** The text color (white or near-black) with the higher contrast on `background`. */
export function readableTextColor(background: string): "#FFFFFF" | "#111111" {
  return contrastRatio(background, "#FFFFFF") >= contrastRatio(background, "#111111") ? "#FFFFFF" : "#111111";
}

// The かご落ちLINE settings form, validated. Browser-safe: the settings page validates and previews with the same
// code. Error values are i18n keys (cart.error.*); lengths count code points, as the merchant sees characters.
import { z } from "zod";
import { DEFAULT_REMINDER_SETTINGS, DELAY_OPTIONS, HEX_COLOR, queryParamsError, SETTINGS_LIMITS } from "./settings-rules";
export * from "./settings-rules";

const codePoints = (value: string) => [...value].length;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

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

// What a broadcast is, for the browser and the server alike: statuses, the audience rule, the form's schema.
import { z } from "zod";
import { LIMITS } from "./status";
export * from "./status";

export const audienceSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("all") }),
  z.object({ type: z.literal("segment"), segmentId: z.string().min(1, "broadcasts.error.segment") }),
  z.object({
    type: z.literal("tags"),
    tagIds: z.array(z.string().min(1)).min(1, "broadcasts.error.tags").max(LIMITS.tags, "broadcasts.error.tags"),
    match: z.enum(["any", "all"]),
  }),
]);
export type Audience = z.infer<typeof audienceSchema>;

export type OverQuota = "refuse" | "fit";


const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** "key=value&key2=value2": every pair has a key; nothing a URL cannot carry. */
export function utmError(value: string): string | null {
  if (value.length > LIMITS.utm) return "broadcasts.error.utm";
  for (const pair of value.split("&")) {
    if (pair === "") continue;
    const [key] = pair.split("=");
    if (!key || /[\s#?]/.test(pair)) return "broadcasts.error.utm";
  }
  return null;
}

/** The fields of the composer other than the messages (the message composer validates those). */
export const broadcastFormSchema = z
  .object({
    name: z.string().trim().min(1, "broadcasts.error.name").max(LIMITS.name, "broadcasts.error.name"),
    lineAccountId: z.string().min(1, "broadcasts.error.account"),
    audience: audienceSchema,
    // Left out: the default parameters (defaultUtm); an empty string: none.
    utmParams: z
      .string()
      .optional()
      .transform((value) => value?.trim().replace(/^\?/, ""))
      .superRefine((value, ctx) => {
        const key = value === undefined ? null : utmError(value);
        if (key) ctx.addIssue({ code: "custom", message: key });
      }),
    quietHours: z.boolean().default(true),
    quietStart: z.string().regex(TIME, "broadcasts.error.quietTime").default("22:00"),
    quietEnd: z.string().regex(TIME, "broadcasts.error.quietTime").default("08:00"),
    overQuota: z.enum(["refuse", "fit"]).default("refuse"),
  })
  .superRefine((form, ctx) => {
    if (form.quietHours && form.quietStart === form.quietEnd) {
      ctx.addIssue({ code: "custom", path: ["quietEnd"], message: "broadcasts.error.quietSame" });
    }
  });
export type BroadcastForm = z.infer<typeof broadcastFormSchema>;

/** When to send, as the merchant enters it: now, or a date and time on the shop's clock. */
export const whenSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("now") }),
  z.object({
    mode: z.literal("schedule"),
    date: z.string().regex(DATE, "broadcasts.error.date"),
    time: z.string().regex(TIME, "broadcasts.error.time"),
  }),
]);
export type When = z.infer<typeof whenSchema>;

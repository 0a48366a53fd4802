// What the merchant types on the "LINE accounts" page, validated. Messages are i18n keys (app/i18n/line-accounts.ts).
import { z } from "zod";

const optional = (schema: z.ZodString) =>
  z.preprocess((value) => (typeof value === "string" && value.trim() === "" ? undefined : value), schema.optional());
const trimmed = () => z.string().trim();

// LINE channel IDs are 10 digits, channel secrets 32 hex characters, LIFF IDs "<login channel id>-<8 chars>".
export const accountInputSchema = z.object({
  displayName: trimmed().min(1, "accounts.error.displayName").max(100, "accounts.error.displayName"),
  friendAddUrl: optional(
    trimmed().regex(/^https:\/\/(lin\.ee|line\.me|page\.line\.me)\/\S+$/, "accounts.error.friendAddUrl"),
  ),
  channelId: trimmed().regex(/^\d{10}$/, "accounts.error.channelId"),
  channelSecret: optional(trimmed().regex(/^[0-9a-f]{32}$/i, "accounts.error.channelSecret")),
  accessToken: optional(trimmed().regex(/^[A-Za-z0-9+/=._-]{20,500}$/, "accounts.error.accessToken")),
  loginChannelId: optional(trimmed().regex(/^\d{10}$/, "accounts.error.loginChannelId")),
  loginChannelSecret: optional(trimmed().regex(/^[0-9a-f]{32}$/i, "accounts.error.loginChannelSecret")),
  liffId: optional(trimmed().regex(/^\d{10}-[A-Za-z0-9]{8}$/, "accounts.error.liffId")),
});

export type AccountInput = z.infer<typeof accountInputSchema>;
export type FieldErrors = Partial<Record<keyof AccountInput | "form", string>>;

export function parseAccountInput(form: FormData | Record<string, unknown>) {
  const raw = form instanceof FormData ? Object.fromEntries(form) : form;
  const result = accountInputSchema.safeParse(raw);
  if (result.success) {
    const data = result.data;
    // A LIFF app belongs to a LINE Login channel; its id starts with that channel's id.
    if (data.liffId && data.loginChannelId && !data.liffId.startsWith(`${data.loginChannelId}-`)) {
      return { errors: { liffId: "accounts.error.liffChannel" } as FieldErrors };
    }
    return { data };
  }
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as keyof AccountInput;
    errors[field] ??= issue.message.startsWith("accounts.") ? issue.message : `accounts.error.${field}`;
  }
  return { errors };
}

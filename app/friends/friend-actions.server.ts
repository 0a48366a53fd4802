// What a friend's page may ask of its action (app/routes/app.friends.$id.tsx). Kept in a .server module so that
// the page's browser chunk does not carry zod. Error messages are i18n keys.
import { z } from "zod";

export const friendActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("send"), text: z.string().default("") }),
    z.object({ intent: z.literal("retry"), messageId: z.string("friends.error.notFound").min(1, "friends.error.notFound") }),
    z.object({ intent: z.literal("block") }),
    z.object({ intent: z.literal("unblock") }),
    z.object({ intent: z.literal("addTag"), tagId: z.string("friends.tags.error.choose").min(1, "friends.tags.error.choose") }),
    z.object({ intent: z.literal("removeTag"), tagId: z.string("friends.tags.error.choose").min(1, "friends.tags.error.choose") }),
    z.object({ intent: z.literal("refreshProfile") }),
    z.object({ intent: z.literal("tester"), on: z.enum(["1", "0"]) }),
  ],
  { error: "friends.error.intent" },
);

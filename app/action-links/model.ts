// Action links: the merchant's input, checked with readable errors (i18n keys of app/i18n/rich-menu-pages.ts).
import { z } from "zod";

export const ACTION_LINK_NAME_MAX = 100;
export const ACTION_LINK_URL_MAX = 2000;
export const ACTION_LINK_TAGS_MAX = 10;

/** What a tap does, as stored in ActionLink.actions. */
export const actionsSchema = z.object({
  addTagIds: z.array(z.string()).default([]),
  removeTagIds: z.array(z.string()).default([]),
  richMenuId: z.string().nullish().transform((value) => value || null),
});
export type ActionLinkActions = z.infer<typeof actionsSchema>;

const tagIds = z
  .array(z.string().min(1))
  .default([])
  .transform((ids) => [...new Set(ids)])
  .refine((ids) => ids.length <= ACTION_LINK_TAGS_MAX, "actionLinks.error.tagCount");

export const actionLinkInput = z
  .object({
    name: z
      .string({ error: "actionLinks.error.nameRequired" })
      .trim()
      .min(1, "actionLinks.error.nameRequired")
      .max(ACTION_LINK_NAME_MAX, "actionLinks.error.nameTooLong"),
    lineAccountId: z.string({ error: "actionLinks.error.account" }).min(1, "actionLinks.error.account"),
    targetUrl: z
      .string({ error: "actionLinks.error.targetUrl" })
      .trim()
      .refine((value) => value.length <= ACTION_LINK_URL_MAX && /^https:\/\/[^/?#\s]+/i.test(value) && URL.canParse(value), "actionLinks.error.targetUrl"),
    addTagIds: tagIds,
    removeTagIds: tagIds,
    richMenuId: z.string().nullish().transform((value) => value || null),
  })
  .refine((input) => !input.addTagIds.some((id) => input.removeTagIds.includes(id)), { message: "actionLinks.error.tagBoth", path: ["removeTagIds"] })
  .refine((input) => input.addTagIds.length + input.removeTagIds.length > 0 || input.richMenuId, { message: "actionLinks.error.noAction", path: ["form"] });

export type ActionLinkInput = z.input<typeof actionLinkInput>;

// Saved replies (定型文): texts staff insert into the composer. Every write names the shop in its statement.
import { z } from "zod";
import { db } from "../db.server";

export const SAVED_REPLY_LIMITS = { title: 60, text: 5000, perShop: 200 } as const;

export const savedReplySchema = z.object({
  title: z.string().trim().min(1, "inbox.saved.error.title").max(SAVED_REPLY_LIMITS.title, "inbox.saved.error.title"),
  text: z.string().trim().min(1, "inbox.saved.error.text").max(SAVED_REPLY_LIMITS.text, "inbox.saved.error.text"),
});

export type SavedReplyInput = z.infer<typeof savedReplySchema>;
export type SavedReplyResult = { ok: true; id: string } | { ok: false; errors: Record<string, string>; status: 404 | 422 };

function errorsOf(error: z.ZodError) {
  return Object.fromEntries(error.issues.map((issue) => [String(issue.path[0] ?? "form"), issue.message]));
}

export function listSavedReplies(shop: string) {
  return db.savedReply.findMany({ where: { shop }, orderBy: [{ title: "asc" }, { id: "asc" }], select: { id: true, title: true, text: true } });
}

export async function createSavedReply(shop: string, input: unknown): Promise<SavedReplyResult> {
  const parsed = savedReplySchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error), status: 422 };
  if ((await db.savedReply.count({ where: { shop } })) >= SAVED_REPLY_LIMITS.perShop) {
    return { ok: false, errors: { form: "inbox.saved.error.tooMany" }, status: 422 };
  }
  const row = await db.savedReply.create({ data: { shop, ...parsed.data } });
  return { ok: true, id: row.id };
}

export async function updateSavedReply(shop: string, id: string, input: unknown): Promise<SavedReplyResult> {
  const parsed = savedReplySchema.safeParse(input);
  if (!parsed.success) return { ok: false, errors: errorsOf(parsed.error), status: 422 };
  const { count } = await db.savedReply.updateMany({ where: { id, shop }, data: parsed.data });
  return count ? { ok: true, id } : { ok: false, errors: { form: "inbox.error.notFound" }, status: 404 };
}

export async function deleteSavedReply(shop: string, id: string): Promise<SavedReplyResult> {
  const { count } = await db.savedReply.deleteMany({ where: { id, shop } });
  return count ? { ok: true, id } : { ok: false, errors: { form: "inbox.error.notFound" }, status: 404 };
}

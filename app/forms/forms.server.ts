// LIFF forms: the merchant's definitions, and a friend's submit. The friend is the one LINE names in the ID token
// it verifies (app/storefront/id-token.server.ts): nothing the browser says about who it is counts.
import { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "../db.server";
import { logger } from "../logger.server";
import { createDeliveries } from "../messaging/deliveries.server";
import { retryKeyFor } from "../messaging/retry-key";
import { notifyStaff } from "../notifications/notify.server";
import { startScenarioForFriend } from "../scenarios/scenarios.server";
import { verifyIdToken } from "../storefront/id-token.server";
import { withinLimit } from "../storefront/rate-limit.server";
import { addTagsByName, removeTagsByName } from "../tags/tags.server";
import { formFields, normalizeAnswer, tagsOfAnswer, validateAnswer, type AnswerValues, type FieldError, type FormField } from "./model";

const optionalDate = z
  .string()
  .trim()
  .transform((value, context) => {
    if (!value) return null;
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      context.addIssue({ code: "custom", message: "forms.error.date" });
      return z.NEVER;
    }
    return date;
  });

export const formInput = z
  .object({
    lineAccountId: z.string().min(1, "forms.error.account"),
    title: z.string().trim().min(1, "forms.error.title").max(100, "forms.error.title"),
    description: z.string().max(2_000).default(""),
    fields: formFields.min(1, "forms.error.fields"),
    opensAt: optionalDate.default(null),
    closesAt: optionalDate.default(null),
    oneAnswerPerFriend: z.boolean().default(true),
    thankYouTitle: z.string().max(100).default(""),
    thankYouText: z.string().max(2_000).default(""),
    afterSubmitMessage: z.string().max(5_000).default(""),
    addTagNames: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
    /** A step scenario of the form's account entered on submit; empty or null: none. */
    scenarioId: z
      .string()
      .max(64, "forms.error.scenario")
      .nullish()
      .transform((value) => value?.trim() || null),
  })
  .refine((form) => !form.opensAt || !form.closesAt || form.opensAt < form.closesAt, { message: "forms.error.dates", path: ["closesAt"] })
  .refine((form) => new Set(form.fields.map((field) => field.id)).size === form.fields.length, { message: "forms.error.fields", path: ["fields"] })
  .refine((form) => form.fields.every((field) => !["singleChoice", "multipleChoice", "dropdown"].includes(field.type) || field.choices.length > 0), {
    message: "forms.error.choices",
    path: ["fields"],
  });
export type FormInput = z.input<typeof formInput>;

type Saved = { ok: true; id: string } | { ok: false; status: number; errors: Record<string, string> };

/** Creates (id null) or updates a form of the shop. */
export async function saveForm(shop: string, id: string | null, raw: unknown): Promise<Saved> {
  const parsed = formInput.safeParse(raw);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "form");
      errors[key] ??= issue.message.startsWith("forms.") ? issue.message : `forms.error.${key === "fields" ? "fields" : "form"}`;
    }
    return { ok: false, status: 422, errors };
  }
  const input = parsed.data;
  const account = await db.lineAccount.findFirst({ where: { id: input.lineAccountId, shop }, select: { id: true } });
  if (!account) return { ok: false, status: 422, errors: { lineAccountId: "forms.error.account" } };
  // The scenario must be the shop's and of the form's account: another shop's id reads as unknown.
  if (input.scenarioId) {
    const scenario = await db.scenario.findFirst({ where: { id: input.scenarioId, shop, lineAccountId: account.id }, select: { id: true } });
    if (!scenario) return { ok: false, status: 422, errors: { scenarioId: "forms.error.scenario" } };
  }
  const data = { ...input, fields: input.fields as unknown as Prisma.InputJsonValue };
  if (!id) return { ok: true, id: (await db.form.create({ data: { shop, ...data } })).id };
  const { count } = await db.form.updateMany({ where: { id, shop, archivedAt: null }, data });
  return count ? { ok: true, id } : { ok: false, status: 404, errors: { form: "forms.error.notFound" } };
}

export async function archiveForm(shop: string, id: string) {
  const { count } = await db.form.updateMany({ where: { id, shop, archivedAt: null }, data: { archivedAt: new Date() } });
  return count === 1;
}

export async function listForms(shop: string) {
  const forms = await db.form.findMany({
    where: { shop, archivedAt: null },
    orderBy: { createdAt: "desc" },
    select: { id: true, title: true, lineAccountId: true, opensAt: true, closesAt: true, createdAt: true, _count: { select: { answers: true } } },
  });
  return forms.map(({ _count, ...form }) => ({ ...form, answers: _count.answers }));
}

export async function formOf(shop: string, id: string) {
  const form = await db.form.findFirst({ where: { id, shop, archivedAt: null } });
  return form ? { ...form, fields: form.fields as unknown as FormField[] } : null;
}

export type FormState = "open" | "not-open" | "closed";
export function formState(form: { opensAt: Date | null; closesAt: Date | null }, now = new Date()): FormState {
  if (form.opensAt && now < form.opensAt) return "not-open";
  if (form.closesAt && now >= form.closesAt) return "closed";
  return "open";
}

/** What the LIFF page shows: the form of a connected account with a LIFF app, or null. */
export async function publicForm(accountId: string, formId: string) {
  const form = await db.form.findFirst({ where: { id: formId, lineAccountId: accountId, archivedAt: null } });
  if (!form) return null;
  const account = await db.lineAccount.findFirst({
    where: { id: accountId, shop: form.shop, status: "connected" },
    select: { liffId: true, loginChannelId: true, displayName: true },
  });
  if (!account?.liffId || !account.loginChannelId) return null;
  return {
    id: form.id,
    title: form.title,
    description: form.description,
    fields: form.fields as unknown as FormField[],
    state: formState(form),
    thankYouTitle: form.thankYouTitle,
    thankYouText: form.thankYouText,
    liffId: account.liffId,
    accountName: account.displayName,
  };
}

/**
 * The form's step scenario for the friend who answered. The answer is already stored: a scenario that is off,
 * a friend who does not follow, a run already active (or done, without re-entry) only leave the reason on the
 * answer (FormAnswer.scenarioOutcome) and in the log, never fail the submit.
 */
async function enterScenario(shop: string, scenarioId: string, friendId: string, answerId: string) {
  let outcome: string;
  try {
    const result = await startScenarioForFriend(shop, scenarioId, friendId, { startedBy: "form", startedRef: `answer:${answerId}` });
    outcome = "runId" in result ? "started" : (Object.values(result.errors)[0] ?? "scenarios.error.invalid");
  } catch (error) {
    logger.error("form scenario start failed", { shop, scenarioId, answerId, error: error instanceof Error ? error.message : String(error) });
    outcome = "scenarios.error.invalid";
  }
  if (outcome !== "started") logger.info("form scenario not started", { shop, scenarioId, answerId, reason: outcome });
  await db.formAnswer.updateMany({ where: { id: answerId, shop }, data: { scenarioOutcome: outcome } });
}

export type SubmitResult =
  | { ok: true; answerId: string }
  | {
      ok: false;
      error: "form-unavailable" | "not-open" | "closed" | "already-answered" | "invalid" | "id-token-rejected" | "line-unavailable" | "rate-limited";
      fields?: Record<string, FieldError>;
    };

/** Verify calls per account and minute (as the linking page): far above real shoppers, below what LINE refuses. */
const VERIFY_BUDGET = 600;

/**
 * A friend's answer: checked against the form (state, fields), tied to the LINE user of the verified ID token,
 * stored once (one-answer forms refuse a second), then tags, the after-submit message and the staff notification.
 */
export async function submitAnswer(accountId: string, formId: string, idToken: string, values: AnswerValues, now = new Date()): Promise<SubmitResult> {
  const form = await db.form.findFirst({ where: { id: formId, lineAccountId: accountId, archivedAt: null } });
  const account = form ? await db.lineAccount.findFirst({ where: { id: accountId, shop: form.shop, status: "connected" } }) : null;
  if (!form || !account?.loginChannelId) return { ok: false, error: "form-unavailable" };
  const state = formState(form, now);
  if (state !== "open") return { ok: false, error: state };
  const fields = form.fields as unknown as FormField[];
  const errors = validateAnswer(fields, values);
  if (Object.keys(errors).length) return { ok: false, error: "invalid", fields: errors };
  if (!(await withinLimit("liff-form-account", account.id, VERIFY_BUDGET, 60))) return { ok: false, error: "rate-limited" };

  const verified = await verifyIdToken(idToken, account.loginChannelId);
  if ("error" in verified) {
    logger.info("form answer refused", { formId, reason: verified.error, detail: verified.detail });
    return { ok: false, error: verified.error };
  }
  const lineUserId = verified.token.sub;
  await db.friend.createMany({
    data: [{ shop: account.shop, lineAccountId: account.id, lineUserId, followStatus: "unknown", displayName: verified.token.name ?? null }],
    skipDuplicates: true,
  });
  const friend = await db.friend.findUniqueOrThrow({ where: { lineAccountId_lineUserId: { lineAccountId: account.id, lineUserId } } });
  const stored = normalizeAnswer(fields, values);
  let answerId: string;
  try {
    const answer = await db.formAnswer.create({
      data: {
        shop: form.shop,
        formId: form.id,
        lineAccountId: account.id,
        friendId: friend.id,
        values: stored as Prisma.InputJsonValue,
        onceKey: form.oneAnswerPerFriend ? `${form.id}:${friend.id}` : null,
      },
    });
    answerId = answer.id;
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { ok: false, error: "already-answered" };
    throw error;
  }

  // Tags through the friend-change path, so scenarios and rich menus react to them.
  const tags = tagsOfAnswer(fields, stored);
  await addTagsByName(friend, [...form.addTagNames, ...tags.add], `form:${form.id}`);
  if (tags.remove.length) await removeTagsByName(friend, tags.remove, `form:${form.id}`);
  if (form.afterSubmitMessage.trim() && friend.followStatus === "following" && !friend.operatorBlockedAt) {
    await createDeliveries([
      {
        shop: form.shop,
        lineAccountId: account.id,
        kind: "form",
        channel: "push",
        sourceId: answerId,
        friendId: friend.id,
        recipients: [lineUserId],
        messages: [{ type: "text", text: form.afterSubmitMessage.slice(0, 5_000) }],
        retryKey: retryKeyFor(`form-answer:${answerId}`),
      },
    ]);
  }
  if (form.scenarioId) await enterScenario(form.shop, form.scenarioId, friend.id, answerId);
  await notifyStaff(form.shop, { type: "formAnswered", formId: form.id, answerId });
  return { ok: true, answerId };
}

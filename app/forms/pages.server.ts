// Loader data of the form pages; the builder's action.
import { db } from "../db.server";
import { env } from "../env.server";
import { resolveLocale, translate } from "../i18n/messages";
import { answersCsv, listAnswers } from "./answers.server";
import { formOf, listForms, saveForm } from "./forms.server";
import { answerText, type AnswerValues, type FormField } from "./model";
import type { BuilderForm } from "./pages";

export async function formsListData(shop: string) {
  const forms = await listForms(shop);
  return { forms: forms.map((form) => ({ id: form.id, title: form.title, answers: form.answers, opensAt: form.opensAt?.toISOString() ?? null, closesAt: form.closesAt?.toISOString() ?? null })) };
}

const local = (date: Date | null) => (date ? date.toISOString().slice(0, 16) : "");

/** The builder's data; null when the id is not a form of the shop ("new" is a blank form). */
export async function builderData(shop: string, id: string) {
  const scenarios = await db.scenario.findMany({ where: { shop }, orderBy: { name: "asc" }, select: { id: true, name: true, lineAccountId: true, status: true } });
  const accounts = (await db.lineAccount.findMany({ where: { shop }, orderBy: { createdAt: "asc" }, select: { id: true, displayName: true, liffId: true } })).map((a) => ({ id: a.id, name: a.displayName, liffId: a.liffId }));
  if (id === "new") {
    const form: BuilderForm = { id: null, lineAccountId: accounts[0]?.id ?? "", title: "", description: "", fields: [], opensAt: "", closesAt: "", oneAnswerPerFriend: true, thankYouTitle: "", thankYouText: "", afterSubmitMessage: "", addTagNames: [], scenarioId: null };
    return { form, accounts, scenarios, liffUrl: null };
  }
  const stored = await formOf(shop, id);
  if (!stored) return null;
  const account = accounts.find((a) => a.id === stored.lineAccountId);
  const form: BuilderForm = {
    id: stored.id,
    lineAccountId: stored.lineAccountId,
    title: stored.title,
    description: stored.description,
    fields: stored.fields,
    opensAt: local(stored.opensAt),
    closesAt: local(stored.closesAt),
    oneAnswerPerFriend: stored.oneAnswerPerFriend,
    thankYouTitle: stored.thankYouTitle,
    thankYouText: stored.thankYouText,
    afterSubmitMessage: stored.afterSubmitMessage,
    addTagNames: stored.addTagNames,
    scenarioId: stored.scenarioId,
  };
  // The LIFF app's endpoint is /liff/:accountId; a path after the LIFF id is appended to it.
  const liffUrl = account?.liffId ? `${env.LIFF_URL_BASE}/${account.liffId}/forms/${stored.id}` : null;
  return { form, accounts: accounts.map(({ id: accountId, name }) => ({ id: accountId, name })), scenarios, liffUrl };
}

/** The builder posts the whole form as JSON; datetime-local values are read as UTC. */
export async function builderAction(shop: string, id: string, form: FormData) {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(String(form.get("data") ?? "")) as Record<string, unknown>;
  } catch {
    return { status: 400, body: { ok: false as const, errors: { form: "forms.error.form" } } };
  }
  const utc = (value: unknown) => (typeof value === "string" && value ? `${value}:00Z` : "");
  const result = await saveForm(shop, id === "new" ? null : id, { ...raw, opensAt: utc(raw.opensAt), closesAt: utc(raw.closesAt) });
  return result.ok ? { status: 200, body: { ok: true as const, id: result.id } } : { status: result.status, body: { ok: false as const, errors: result.errors } };
}

const day = (value: string | null) => (value && /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null);
const nextDay = (value: string | null) => {
  const date = day(value);
  return date ? new Date(date.getTime() + 86_400_000) : null;
};

export async function answersData(shop: string, id: string, params: URLSearchParams) {
  const form = await formOf(shop, id);
  if (!form) return null;
  const filter = { q: params.get("q") ?? "", from: params.get("from") ?? "", to: params.get("to") ?? "" };
  const [answers, settings] = await Promise.all([
    listAnswers(shop, id, form.fields, { from: day(filter.from), to: nextDay(filter.to), query: filter.q }),
    db.shop.findUnique({ where: { shop }, select: { timeZone: true } }),
  ]);
  // Answer times in the shop's time zone: the same words on the server and in the browser.
  const timeZone = settings?.timeZone ?? "Asia/Tokyo";
  return { form: { id: form.id, title: form.title, labels: form.fields.map((field) => field.label) }, answers, filter, timeZone };
}

export async function answersCsvResponse(shop: string, id: string, locale: string) {
  const form = await formOf(shop, id);
  if (!form) return null;
  const lang = resolveLocale(locale);
  const stream = answersCsv(shop, id, form.fields, {
    answeredAt: translate(lang, "forms.answers.answeredAt"),
    friend: translate(lang, "forms.answers.friend"),
    lineUserId: translate(lang, "forms.answers.lineUserId"),
  });
  const name = `form-${form.id}-answers.csv`;
  return new Response(stream, { headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" } });
}

/** A friend's answers for the friend page, newest first. */
export async function friendAnswers(shop: string, friendId: string) {
  const rows = await db.formAnswer.findMany({ where: { shop, friendId }, orderBy: { createdAt: "desc" }, take: 20, include: { form: { select: { title: true, fields: true } } } });
  return rows.map((row) => {
    const fields = row.form.fields as unknown as FormField[];
    const values = row.values as AnswerValues;
    return {
      id: row.id,
      formTitle: row.form.title,
      createdAt: row.createdAt.toISOString(),
      lines: fields.filter((field) => values[field.id] !== undefined).map((field) => [field.label, answerText(field, values[field.id])] as [string, string]),
    };
  });
}

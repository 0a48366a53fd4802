// LIFF forms: validation per field in each language, the submit through the real route (ID token verified by the
// LINE fake), tags through the friend-change path, one answer per friend, open/close dates, staff notification,
// and another shop's ids.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { archiveForm, saveForm, type FormInput } from "~/forms/forms.server";
import { FORM_LANGUAGES, formLanguage, liffFormTexts } from "~/forms/liff-form-texts";
import { fieldError, formField, tagsOfAnswer, validateAnswer, type FieldError, type FormField } from "~/forms/model";
import { saveStaff } from "~/notifications/staff.server";
import { action as submitRoute, loader as formPage } from "~/routes/liff.$accountId_.forms.$formId";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";

const LOGIN = "2000000077";
const field = (input: Partial<FormField> & Pick<FormField, "id" | "type">): FormField => formField.parse({ label: input.id, ...input });

const FIELDS: FormField[] = [
  field({ id: "name", type: "shortText", label: "お名前（カナ）", required: true, format: "kana", maxLength: 20 }),
  field({ id: "email", type: "email", label: "メール", required: true }),
  field({
    id: "interest",
    type: "multipleChoice",
    label: "興味",
    choices: [
      { id: "tea", label: "お茶", addTags: ["お茶好き"], removeTags: ["未回答"] },
      { id: "sweets", label: "和菓子", addTags: ["和菓子"], removeTags: [] },
    ],
  }),
  field({ id: "zip", type: "address", label: "住所" }),
  field({ id: "agree", type: "consent", label: "規約", required: true }),
];

const VALID = { name: "ヤマダ ハナコ", email: "hanako@example.jp", interest: ["tea"], zip: { postalCode: "150-0001", address: "東京都渋谷区神宮前1-1" }, agree: true };

async function world(overrides: Partial<FormInput> = {}) {
  const { shop } = await createShop(db);
  const connected = await connectedAccount(db, shop, { loginChannelId: LOGIN, liffId: `${LOGIN}-Forms123` });
  const saved = await saveForm(shop, null, { lineAccountId: connected.account.id, title: "アンケート", fields: FIELDS, addTagNames: ["回答者"], ...overrides });
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  return { shop, ...connected, formId: saved.id };
}

async function submit(accountId: string, formId: string, idToken: string, values: unknown) {
  const request = new Request(`https://my-test-app.myshopify.io/liff/${accountId}/forms/${formId}`, { method: "POST", body: JSON.stringify({ idToken, values }) });
  const response = await submitRoute({ request, params: { accountId, formId }, context: {} });
  return { status: response.status, body: (await response.json()) as { ok: boolean; error?: string; fields?: Record<string, FieldError> } };
}

describe("validation", () => {
  it("gives each field its own error, in every shopper language", () => {
    const errors = validateAnswer(FIELDS, { name: "yamada", email: "no", interest: ["coffee"], zip: { postalCode: "15", address: "x" }, agree: false });
    expect(errors).toEqual({ name: "kana", email: "email", interest: "choice", zip: "postalCode", agree: "consent" });
    expect(validateAnswer(FIELDS, VALID)).toEqual({});
    expect(validateAnswer(FIELDS, {})).toEqual({ name: "required", email: "required", agree: "consent" });
    for (const lang of FORM_LANGUAGES) {
      for (const key of Object.values(errors)) expect(liffFormTexts[lang].errors[key], `${lang} ${key}`).toMatch(/\S/);
    }
    expect(liffFormTexts.ja.errors.kana).toBe("全角カタカナで入力してください。");
    expect(liffFormTexts.en.errors.kana).toBe("Please use full-width katakana.");
    expect(liffFormTexts["zh-TW"].errors.kana).toBe("請以全形片假名填寫。");
    expect(liffFormTexts.th.errors.email).toBe("โปรดกรอกอีเมลให้ถูกต้อง");
  });

  it("checks lengths, formats, numbers, dates, times and phone numbers", () => {
    expect(fieldError(field({ id: "a", type: "shortText", minLength: 3 }), "ab")).toBe("tooShort");
    expect(fieldError(field({ id: "a", type: "shortText", maxLength: 3 }), "日本語です")).toBe("tooLong");
    expect(fieldError(field({ id: "a", type: "shortText", format: "halfWidthDigits" }), "１２３")).toBe("halfWidthDigits");
    expect(fieldError(field({ id: "a", type: "shortText", format: "halfWidthDigits" }), "123")).toBeNull();
    expect(fieldError(field({ id: "a", type: "shortText", format: "hiragana" }), "やまだ")).toBeNull();
    expect(fieldError(field({ id: "a", type: "number", min: 1, max: 10 }), "11")).toBe("numberRange");
    expect(fieldError(field({ id: "a", type: "number" }), "ten")).toBe("number");
    expect(fieldError(field({ id: "a", type: "date" }), "2026-02-30")).toBe("date");
    expect(fieldError(field({ id: "a", type: "date" }), "2026-02-28")).toBeNull();
    expect(fieldError(field({ id: "a", type: "time" }), "24:00")).toBe("time");
    expect(fieldError(field({ id: "a", type: "phone" }), "090-1234-5678")).toBeNull();
    expect(fieldError(field({ id: "a", type: "phone" }), "12345")).toBe("phone");
    expect(fieldError(field({ id: "a", type: "dropdown", choices: [{ id: "x", label: "X", addTags: [], removeTags: [] }] }), "y")).toBe("choice");
  });

  it("reads the page language from the LINE app's Accept-Language", () => {
    expect(formLanguage("zh-TW,zh;q=0.9")).toBe("zh-TW");
    expect(formLanguage("th-TH")).toBe("th");
    expect(formLanguage("en-US,en;q=0.8")).toBe("en");
    expect(formLanguage("fr-FR")).toBe("ja");
  });

  it("adds the picked choices' tags and removes theirs", () => {
    expect(tagsOfAnswer(FIELDS, { interest: ["tea", "sweets"] })).toEqual({ add: ["お茶好き", "和菓子"], remove: ["未回答"] });
  });
});

describe("submit", () => {
  it("stores the answer for the friend of the verified ID token, tags them, and notifies staff", async () => {
    const w = await world({ afterSubmitMessage: "ご回答ありがとうございます！" });
    const staff = await saveStaff(w.shop, null, { name: "Sato", email: "sato@example.jp", quotaThreshold: 1, channels: { email: { enabled: true, events: ["formAnswered"] } } });
    const sub = lineUserId();
    const friend = await db.friend.create({ data: { shop: w.shop, lineAccountId: w.account.id, lineUserId: sub, followStatus: "following" } });
    const untagged = await db.tag.create({ data: { shop: w.shop, name: "未回答" } });
    await db.friendTag.create({ data: { shop: w.shop, friendId: friend.id, tagId: untagged.id } });
    const token = lineFake().issueIdToken({ loginChannelId: LOGIN, sub });
    // The browser may claim any friend: only the token counts.
    const answer = await submit(w.account.id, w.formId, token, { ...VALID, friendId: "someone-else" });
    expect(answer).toEqual({ status: 200, body: { ok: true } });
    const stored = await db.formAnswer.findFirstOrThrow({ where: { formId: w.formId } });
    expect(stored.friendId).toBe(friend.id);
    expect(stored.values).toEqual({ ...VALID, zip: { postalCode: "1500001", address: "東京都渋谷区神宮前1-1" }, friendId: undefined });
    const tags = await db.friendTag.findMany({ where: { friendId: friend.id }, include: { tag: true } });
    expect(tags.map((t) => t.tag.name).sort()).toEqual(["お茶好き", "回答者"].sort());
    expect(tags.every((t) => t.source === `form:${w.formId}`)).toBe(true);
    const delivery = await db.delivery.findFirstOrThrow({ where: { shop: w.shop, kind: "form" } });
    expect(delivery).toMatchObject({ sourceId: stored.id, recipients: [sub], friendId: friend.id });
    const notification = await db.notification.findFirstOrThrow({ where: { shop: w.shop } });
    expect(notification.payload).toEqual({ type: "formAnswered", formId: w.formId, answerId: stored.id });
    expect(staff.ok).toBe(true);
  });

  it("refuses a forged token and a token of another LINE Login channel", async () => {
    const w = await world();
    expect(await submit(w.account.id, w.formId, "forged-token-0123456789", VALID)).toMatchObject({ status: 401, body: { error: "id-token-rejected" } });
    const otherChannel = lineFake().issueIdToken({ loginChannelId: "2000000999", sub: lineUserId() });
    expect(await submit(w.account.id, w.formId, otherChannel, VALID)).toMatchObject({ status: 401, body: { error: "id-token-rejected" } });
    expect(await db.formAnswer.count({ where: { formId: w.formId } })).toBe(0);
  });

  it("answers field errors with 422 and stores nothing", async () => {
    const w = await world();
    const token = lineFake().issueIdToken({ loginChannelId: LOGIN, sub: lineUserId() });
    const result = await submit(w.account.id, w.formId, token, { ...VALID, name: "山田", agree: false });
    expect(result).toEqual({ status: 422, body: { ok: false, error: "invalid", fields: { name: "kana", agree: "consent" } } });
    expect(await db.formAnswer.count({ where: { formId: w.formId } })).toBe(0);
  });

  it("takes one answer per friend when the form says so, and many otherwise", async () => {
    const once = await world();
    const sub = lineUserId();
    const token = () => lineFake().issueIdToken({ loginChannelId: LOGIN, sub });
    expect((await submit(once.account.id, once.formId, token(), VALID)).status).toBe(200);
    expect(await submit(once.account.id, once.formId, token(), VALID)).toMatchObject({ status: 409, body: { error: "already-answered" } });
    const many = await world({ oneAnswerPerFriend: false });
    const other = lineUserId();
    for (let i = 0; i < 2; i++) expect((await submit(many.account.id, many.formId, lineFake().issueIdToken({ loginChannelId: LOGIN, sub: other }), VALID)).status).toBe(200);
    expect(await db.formAnswer.count({ where: { formId: many.formId } })).toBe(2);
  });

  it("accepts answers only between the open and close dates", async () => {
    const day = 24 * 3600_000;
    const future = await world({ opensAt: new Date(Date.now() + day).toISOString() });
    const past = await world({ opensAt: new Date(Date.now() - 2 * day).toISOString(), closesAt: new Date(Date.now() - day).toISOString() });
    const token = () => lineFake().issueIdToken({ loginChannelId: LOGIN, sub: lineUserId() });
    expect(await submit(future.account.id, future.formId, token(), VALID)).toMatchObject({ status: 409, body: { error: "not-open" } });
    expect(await submit(past.account.id, past.formId, token(), VALID)).toMatchObject({ status: 410, body: { error: "closed" } });
    const page = await formPage({ request: new Request("https://x/liff/a/forms/f", { headers: { "accept-language": "th" } }), params: { accountId: past.account.id, formId: past.formId }, context: {} });
    expect(await page.json()).toMatchObject({ lang: "th", form: { state: "closed" } });
  });

  it("treats another account's or shop's form ids as unknown", async () => {
    const w = await world();
    const other = await world();
    const token = lineFake().issueIdToken({ loginChannelId: LOGIN, sub: lineUserId() });
    expect(await submit(other.account.id, w.formId, token, VALID)).toMatchObject({ status: 404, body: { error: "form-unavailable" } });
    expect(await saveForm(other.shop, w.formId, { lineAccountId: other.account.id, title: "x", fields: FIELDS })).toMatchObject({ ok: false, status: 404 });
    expect(await saveForm(other.shop, null, { lineAccountId: w.account.id, title: "x", fields: FIELDS })).toMatchObject({ ok: false, errors: { lineAccountId: "forms.error.account" } });
    expect(await archiveForm(other.shop, w.formId)).toBe(false);
    expect(await archiveForm(w.shop, w.formId)).toBe(true);
    await expect(formPage({ request: new Request("https://x/"), params: { accountId: w.account.id, formId: w.formId }, context: {} })).rejects.toMatchObject({ status: 404 });
  });
});

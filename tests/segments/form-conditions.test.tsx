// The conditions on LIFF form answers against real rows: "answered form F" (ever / within N days) and "answer to
// question Q is V" (choices, text) as a truth table over seeded answers; another shop's form never matching and
// refused on save and on count; counts through the real count route; the editor's loader options and the editor
// rendering both conditions in ja and en.
import { AppProvider } from "@shopify/polaris";
import polarisEn from "@shopify/polaris/locales/en.json";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveForm } from "~/forms/forms.server";
import { formField, type FormField } from "~/forms/model";
import { LocaleProvider } from "~/i18n/i18n";
import type { Locale } from "~/i18n/messages";
import { action as countRoute } from "~/routes/app.segments.count";
import { loader as editorLoader } from "~/routes/app.segments.$id";
import { countSegment, segmentWhere } from "~/segments/compile.server";
import { SegmentConditionsEditor } from "~/segments/editor";
import { referencedIds, segmentDefinitionSchema, type Condition, type SegmentDefinition } from "~/segments/model";
import type { EditorOptions } from "~/segments/options";
import { parseDefinition, saveSegment } from "~/segments/segments.server";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "segments-forms-other.myshopify.com";
const NOW = new Date();
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);
const one = (...conditions: Condition[]): SegmentDefinition => ({ match: "all", groups: [{ match: "all", conditions }] });

const choices = (...ids: string[]) => ids.map((id) => ({ id, label: `label-${id}`, addTags: [], removeTags: [] }));
const FIELDS: FormField[] = [
  formField.parse({ id: "color", type: "singleChoice", label: "好きな色", choices: choices("red", "blue", "green") }),
  formField.parse({ id: "interest", type: "multipleChoice", label: "興味", choices: choices("tea", "sweets") }),
  formField.parse({ id: "size", type: "dropdown", label: "サイズ", choices: choices("s", "m") }),
  formField.parse({ id: "comment", type: "shortText", label: "ひとこと" }),
  formField.parse({ id: "birthday", type: "date", label: "誕生日" }),
];

let formF = "";
let formG = "";
let formOther = "";
const friends: Record<string, string> = {};

async function names(condition: Condition | SegmentDefinition, shop = SHOP) {
  const definition = "groups" in condition ? condition : one(condition);
  expect(segmentDefinitionSchema.safeParse(definition).success).toBe(true);
  // Only the friends seeded here (the shop is shared with other test files of this database).
  const rows = await db.$queryRaw<{ name: string }[]>`
    SELECT f."displayName" AS name FROM "Friend" f WHERE ${segmentWhere(shop, definition, NOW)} AND f."id" = ANY(${Object.values(friends)}::text[]) ORDER BY 1`;
  return rows.map((row) => row.name);
}

async function form(shop: string, lineAccountId: string, title: string) {
  const saved = await saveForm(shop, null, { lineAccountId, title, fields: FIELDS, oneAnswerPerFriend: false });
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  return saved.id;
}

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: SHOP });
  await createShop(db, { shop: OTHER });
  const account = await createLineAccount(db, SHOP);
  const otherAccount = await createLineAccount(db, OTHER);
  formF = await form(SHOP, account.id, "F-アンケート");
  formG = await form(SHOP, account.id, "G-アンケート");
  formOther = await form(OTHER, otherAccount.id, "Other shop form");
  for (const name of ["fa-aoi", "fa-ben", "fa-chie", "fa-dan", "fa-eri"]) {
    friends[name] = (await createFriend(db, account, { displayName: name, followStatus: "following" })).id;
  }
  friends["fa-other"] = (await createFriend(db, otherAccount, { displayName: "fa-other", followStatus: "following" })).id;
  const answer = (shop: string, formId: string, lineAccountId: string, who: string, ago: number, values: Record<string, unknown>) =>
    db.formAnswer.create({ data: { shop, formId, lineAccountId, friendId: friends[who], values: values as never, createdAt: daysAgo(ago) } });
  await answer(SHOP, formF, account.id, "fa-aoi", 2, { color: "red", interest: ["tea", "sweets"], size: "m", comment: "Yes please", birthday: "1990-01-01" });
  await answer(SHOP, formF, account.id, "fa-ben", 40, { color: "blue", interest: ["sweets"], comment: "no" });
  // ben answered F twice: the later answer counts for "within N days" as well.
  await answer(SHOP, formF, account.id, "fa-ben", 20, { color: "green" });
  await answer(SHOP, formG, account.id, "fa-chie", 1, { color: "red", comment: "Yes please" });
  // eri answered F but was blocked by staff: never in a segment.
  await answer(SHOP, formF, account.id, "fa-eri", 1, { color: "red" });
  await db.friend.update({ where: { id: friends["fa-eri"] }, data: { operatorBlockedAt: daysAgo(1) } });
  // The other shop's friend answered the other shop's form with the same question ids and choices.
  await answer(OTHER, formOther, otherAccount.id, "fa-other", 1, { color: "red", interest: ["tea"], comment: "Yes please" });
  // A row of the other shop naming this shop's friend (as a bad import could write): never counted here.
  await answer(OTHER, formOther, otherAccount.id, "fa-dan", 1, { color: "red" });
});

const answered = (formId: string, days: number | null = null): Condition => ({ field: "answeredForm", formId, period: days === null ? "ever" : "lastDays", days });
const answerIs = (formId: string, fieldId: string, kind: "choice" | "text", values: string[]): Condition => ({ field: "formAnswer", formId, fieldId, kind, values });

describe("form answer conditions", () => {
  it("answered form F: ever, within N days, and in NOT-like combinations", async () => {
    expect(await names(answered(formF))).toEqual(["fa-aoi", "fa-ben"]);
    expect(await names(answered(formF, 30))).toEqual(["fa-aoi", "fa-ben"]);
    expect(await names(answered(formF, 10))).toEqual(["fa-aoi"]);
    expect(await names(answered(formF, 1))).toEqual([]);
    expect(await names(answered(formG))).toEqual(["fa-chie"]);
    expect(await names({ match: "any", groups: [{ match: "any", conditions: [answered(formF, 10), answered(formG)] }] })).toEqual(["fa-aoi", "fa-chie"]);
    expect(await names(one(answered(formF), answered(formG)))).toEqual([]);
  });

  it("answer to a choice question is one of the picked choices (single, multiple, dropdown)", async () => {
    expect(await names(answerIs(formF, "color", "choice", ["red"]))).toEqual(["fa-aoi"]);
    expect(await names(answerIs(formF, "color", "choice", ["blue"]))).toEqual(["fa-ben"]);
    expect(await names(answerIs(formF, "color", "choice", ["green", "red"]))).toEqual(["fa-aoi", "fa-ben"]);
    expect(await names(answerIs(formF, "interest", "choice", ["sweets"]))).toEqual(["fa-aoi", "fa-ben"]);
    expect(await names(answerIs(formF, "interest", "choice", ["tea"]))).toEqual(["fa-aoi"]);
    expect(await names(answerIs(formF, "size", "choice", ["m"]))).toEqual(["fa-aoi"]);
    expect(await names(answerIs(formF, "size", "choice", ["s"]))).toEqual([]);
    // Only the named form: chie picked red in G.
    expect(await names(answerIs(formG, "color", "choice", ["red"]))).toEqual(["fa-chie"]);
  });

  it("answer to a text question equals the text (trimmed, ignoring case)", async () => {
    expect(await names(answerIs(formF, "comment", "text", ["Yes please"]))).toEqual(["fa-aoi"]);
    expect(await names(answerIs(formF, "comment", "text", ["  yes PLEASE "]))).toEqual(["fa-aoi"]);
    expect(await names(answerIs(formF, "comment", "text", ["Yes"]))).toEqual([]);
    expect(await names(answerIs(formF, "comment", "text", ["NO"]))).toEqual(["fa-ben"]);
  });

  it("never matches another shop's form, and refuses it (and unknown questions or choices) when saved or counted", async () => {
    expect(await names(answered(formOther))).toEqual([]);
    expect(await names(answerIs(formOther, "color", "choice", ["red"]))).toEqual([]);
    expect(await names(answered(formOther), OTHER)).toEqual(["fa-other"]);
    // This shop's form id under the other shop matches nobody there.
    expect(await names(answered(formF), OTHER)).toEqual([]);

    expect(await saveSegment(SHOP, null, { name: "foreign form", definition: one(answered(formOther)) })).toEqual({ errors: { definition: "segments.error.unknownForm" } });
    expect(await saveSegment(SHOP, null, { name: "foreign answer", definition: one(answerIs(formOther, "color", "choice", ["red"])) })).toEqual({ errors: { definition: "segments.error.unknownForm" } });
    expect(await db.segment.count({ where: { shop: SHOP, name: { in: ["foreign form", "foreign answer"] } } })).toBe(0);
    expect(await parseDefinition(SHOP, one(answerIs(formF, "nope", "choice", ["red"])))).toEqual({ errors: { definition: "segments.error.unknownFormField" } });
    expect(await parseDefinition(SHOP, one(answerIs(formF, "birthday", "text", ["1990-01-01"])))).toEqual({ errors: { definition: "segments.error.unknownFormField" } });
    expect(await parseDefinition(SHOP, one(answerIs(formF, "comment", "choice", ["red"])))).toEqual({ errors: { definition: "segments.error.unknownFormField" } });
    expect(await parseDefinition(SHOP, one(answerIs(formF, "color", "choice", ["purple"])))).toEqual({ errors: { definition: "segments.error.unknownFormChoice" } });
    const saved = await saveSegment(SHOP, null, { name: "red lovers", definition: one(answerIs(formF, "color", "choice", ["red"]), answered(formF, 30)) });
    expect(saved).toMatchObject({ segment: { name: "red lovers" } });
  });

  it("validates the conditions' shape", () => {
    const bad = (condition: unknown) => !segmentDefinitionSchema.safeParse({ match: "all", groups: [{ match: "all", conditions: [condition] }] }).success;
    expect(bad({ field: "answeredForm", formId: "", period: "ever", days: null })).toBe(true);
    expect(bad({ field: "answeredForm", formId: formF, period: "lastDays", days: null })).toBe(true);
    expect(bad({ field: "answeredForm", formId: formF, period: "lastDays", days: 0 })).toBe(true);
    expect(bad({ field: "formAnswer", formId: formF, fieldId: "color", kind: "choice", values: [] })).toBe(true);
    expect(bad({ field: "formAnswer", formId: formF, fieldId: "comment", kind: "text", values: ["a", "b"] })).toBe(true);
    expect(bad({ field: "formAnswer", formId: formF, fieldId: "", kind: "text", values: ["a"] })).toBe(true);
    expect(bad(answered(formF, 30))).toBe(false);
    expect(referencedIds(one(answered(formF), answerIs(formG, "color", "choice", ["red"]), answered(formF))).formIds).toEqual([formF, formG]);
  });
});

describe("through the routes", () => {
  async function count(definition: unknown) {
    const body = new FormData();
    body.set("definition", JSON.stringify(definition));
    const response = (await countRoute({ request: await adminRequest("/app/segments/count", { method: "POST", body }), params: {}, context: {} } as never)) as Response;
    return { status: response.status, body: (await response.json()) as { ok: boolean; count?: number; errors?: Record<string, string>; message?: string } };
  }

  it("counts answers through the count route and refuses another shop's form with a readable message", async () => {
    expect(await count(one(answered(formF)))).toEqual({ status: 200, body: { ok: true, count: 2 } });
    expect(await count(one(answered(formF, 10)))).toEqual({ status: 200, body: { ok: true, count: 1 } });
    expect(await count(one(answerIs(formF, "interest", "choice", ["sweets"])))).toEqual({ status: 200, body: { ok: true, count: 2 } });
    expect(await count(one(answerIs(formF, "comment", "text", ["yes please"])))).toEqual({ status: 200, body: { ok: true, count: 1 } });
    expect(await countSegment(SHOP, one(answered(formG)))).toBe(1);
    expect(await count(one(answered(formOther)))).toEqual({
      status: 400,
      body: { ok: false, errors: { definition: "segments.error.unknownForm" }, message: "A form in the conditions is not one of this shop’s (it may have been deleted)." },
    });
  });

  it("gives the editor the shop's forms with their choice and text questions, and the editor renders both conditions", async () => {
    const data = (await editorLoader({ request: await adminRequest("/app/segments/new"), params: { id: "new" }, context: {} } as never)) as { options: EditorOptions };
    const forms = data.options.forms ?? [];
    expect(forms.map((f) => f.id)).toEqual(expect.arrayContaining([formF, formG]));
    expect(forms.map((f) => f.id)).not.toContain(formOther);
    const f = forms.find((x) => x.id === formF)!;
    expect(f.questions.map((q) => [q.id, q.kind])).toEqual([
      ["color", "choice"],
      ["interest", "choice"],
      ["size", "choice"],
      ["comment", "text"],
    ]);
    expect(f.questions[0].choices).toEqual([
      { id: "red", label: "label-red" },
      { id: "blue", label: "label-blue" },
      { id: "green", label: "label-green" },
    ]);

    const definition = one(answered(formF, 30), answerIs(formF, "color", "choice", ["red"]), answerIs(formF, "comment", "text", ["Yes please"]));
    const render = (locale: Locale) =>
      renderToString(
        <AppProvider i18n={polarisEn}>
          <LocaleProvider locale={locale}>
            <SegmentConditionsEditor value={definition} onChange={() => {}} options={data.options} errors={{}} />
          </LocaleProvider>
        </AppProvider>,
      );
    const en = render("en");
    for (const text of ["Answered a form", "Answer to a form question", "F-アンケート", "in the last N days", "好きな色", "label-red", "label-blue", "The answer is", "Yes please"]) {
      expect(en, text).toContain(text);
    }
    const ja = render("ja");
    for (const text of ["フォームに回答した", "フォームの設問への回答", "過去N日以内に", "回答が次のいずれか", "回答が次と一致"]) expect(ja, text).toContain(text);
  });
});

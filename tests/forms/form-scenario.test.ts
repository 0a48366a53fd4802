// A form's step scenario: entered on submit through the real LIFF route (ID token verified by the LINE fake); a
// scenario that cannot start (off, already running) leaves its reason on the answer and never fails the submit;
// the builder refuses another shop's or another account's scenario with a readable 4xx in ja and en.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveForm } from "~/forms/forms.server";
import { formField, type FormField } from "~/forms/model";
import { translate } from "~/i18n/messages";
import { action as builderRoute, loader as builderLoader } from "~/routes/app.forms.$id";
import { action as submitRoute } from "~/routes/liff.$accountId_.forms.$formId";
import { saveScenario } from "~/scenarios/scenarios.server";
import { sessionStorage } from "~/shopify.server";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const LOGIN = "2000000078";
const FIELDS: FormField[] = [formField.parse({ id: "name", type: "shortText", label: "お名前", required: true })];
const VALID = { name: "山田" };

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
});

async function world(shop?: string) {
  const { shop: domain } = await createShop(db, shop ? { shop } : {});
  const { account } = await connectedAccount(db, domain, { loginChannelId: LOGIN, liffId: `${LOGIN}-Scen${Math.random().toString(36).slice(2, 8)}` });
  return { shop: domain, account };
}

async function scenario(shop: string, lineAccountId: string, status: "on" | "off" = "on", allowReentry = false) {
  const saved = await saveScenario(shop, null, {
    name: `Form follow-up ${status}`,
    lineAccountId,
    status,
    allowReentry,
    trigger: { type: "manual" },
    quietHours: false,
    steps: [{ delay: { kind: "after", amount: 1, unit: "days", from: "previous" }, messages: [{ type: "text", text: "ご回答ありがとうございました" }] }],
  });
  if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
  return saved.scenario.id;
}

async function formWith(shop: string, lineAccountId: string, scenarioId: string | null, oneAnswerPerFriend = false) {
  const saved = await saveForm(shop, null, { lineAccountId, title: "アンケート", fields: FIELDS, scenarioId, oneAnswerPerFriend });
  if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
  return saved.id;
}

async function submit(accountId: string, formId: string, sub: string) {
  const idToken = lineFake().issueIdToken({ loginChannelId: LOGIN, sub });
  const request = new Request(`https://my-test-app.myshopify.io/liff/${accountId}/forms/${formId}`, { method: "POST", body: JSON.stringify({ idToken, values: VALID }) });
  const response = await submitRoute({ request, params: { accountId, formId }, context: {} });
  return { status: response.status, body: (await response.json()) as { ok: boolean; error?: string } };
}

const follower = (shop: string, lineAccountId: string) => db.friend.create({ data: { shop, lineAccountId, lineUserId: lineUserId(), followStatus: "following" } });

describe("step scenario on submit", () => {
  it("puts the friend of the verified token into the form's scenario, once per answer", async () => {
    const w = await world();
    const scenarioId = await scenario(w.shop, w.account.id);
    const formId = await formWith(w.shop, w.account.id, scenarioId);
    const friend = await follower(w.shop, w.account.id);
    expect(await submit(w.account.id, formId, friend.lineUserId)).toEqual({ status: 200, body: { ok: true } });
    const runs = await db.scenarioRun.findMany({ where: { scenarioId, friendId: friend.id } });
    const answer = await db.formAnswer.findFirstOrThrow({ where: { formId } });
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "active", shop: w.shop, startedBy: "form", startedRef: `answer:${answer.id}` });
    expect(answer.scenarioOutcome).toBe("started");

    // A second answer while the run is active: stored, the run stays the one run, the reason is kept.
    expect(await submit(w.account.id, formId, friend.lineUserId)).toEqual({ status: 200, body: { ok: true } });
    expect(await db.scenarioRun.count({ where: { scenarioId, friendId: friend.id } })).toBe(1);
    const second = await db.formAnswer.findFirstOrThrow({ where: { formId, id: { not: answer.id } } });
    expect(second.scenarioOutcome).toBe("scenarios.error.alreadyRunning");
  });

  it("stores the answer when the scenario is off, and says why nobody entered it", async () => {
    const w = await world();
    const scenarioId = await scenario(w.shop, w.account.id, "off");
    const formId = await formWith(w.shop, w.account.id, scenarioId, true);
    const friend = await follower(w.shop, w.account.id);
    expect(await submit(w.account.id, formId, friend.lineUserId)).toEqual({ status: 200, body: { ok: true } });
    expect(await db.scenarioRun.count({ where: { scenarioId } })).toBe(0);
    const answer = await db.formAnswer.findFirstOrThrow({ where: { formId } });
    expect(answer).toMatchObject({ friendId: friend.id, values: VALID, scenarioOutcome: "scenarios.error.notOn" });
  });

  it("starts nothing for a friend who does not follow (first seen through the form), and still stores the answer", async () => {
    const w = await world();
    const scenarioId = await scenario(w.shop, w.account.id);
    const formId = await formWith(w.shop, w.account.id, scenarioId);
    const sub = lineUserId();
    expect(await submit(w.account.id, formId, sub)).toEqual({ status: 200, body: { ok: true } });
    expect(await db.scenarioRun.count({ where: { scenarioId } })).toBe(0);
    expect((await db.formAnswer.findFirstOrThrow({ where: { formId } })).scenarioOutcome).toBe("scenarios.error.friend");
  });

  it("leaves scenarios alone when the form names none", async () => {
    const w = await world();
    const scenarioId = await scenario(w.shop, w.account.id);
    const formId = await formWith(w.shop, w.account.id, null);
    const friend = await follower(w.shop, w.account.id);
    expect((await submit(w.account.id, formId, friend.lineUserId)).status).toBe(200);
    expect(await db.scenarioRun.count({ where: { scenarioId } })).toBe(0);
    expect((await db.formAnswer.findFirstOrThrow({ where: { formId } })).scenarioOutcome).toBeNull();
  });

  it("clears the form's scenario when the scenario is deleted", async () => {
    const w = await world();
    const scenarioId = await scenario(w.shop, w.account.id);
    const formId = await formWith(w.shop, w.account.id, scenarioId);
    await db.scenario.deleteMany({ where: { id: scenarioId, shop: w.shop } });
    expect((await db.form.findUniqueOrThrow({ where: { id: formId } })).scenarioId).toBeNull();
  });
});

describe("the builder", () => {
  const call = <T,>(fn: (args: never) => Promise<T>, request: Request, id: string) => fn({ request, params: { id }, context: {} } as never);
  async function post(id: string, data: Record<string, unknown>) {
    const body = new FormData();
    body.set("intent", "save");
    body.set("data", JSON.stringify(data));
    const response = (await call(builderRoute, await adminRequest(`/app/forms/${id}`, { method: "POST", body }), id)) as Response;
    return { status: response.status, body: (await response.json()) as { ok: boolean; id?: string; errors?: Record<string, string> } };
  }

  it("saves a scenario of the form's account, offers the shop's scenarios, and refuses another shop's or account's", async () => {
    const mine = await world(TEST_SHOP_DOMAIN);
    const second = await connectedAccount(db, TEST_SHOP_DOMAIN, { loginChannelId: "2000000079", liffId: "2000000079-Second1" });
    const theirs = await world();
    const ours = await scenario(mine.shop, mine.account.id);
    const ofSecond = await scenario(mine.shop, second.account.id);
    const foreign = await scenario(theirs.shop, theirs.account.id);
    const base = { lineAccountId: mine.account.id, title: "アンケート", fields: FIELDS, opensAt: "", closesAt: "" };

    const created = await post("new", { ...base, scenarioId: ours });
    expect(created).toMatchObject({ status: 200, body: { ok: true } });
    const formId = created.body.id!;
    expect((await db.form.findUniqueOrThrow({ where: { id: formId } })).scenarioId).toBe(ours);

    for (const scenarioId of [foreign, ofSecond, "no-such-scenario"]) {
      const refused = await post(formId, { ...base, scenarioId });
      expect(refused).toEqual({ status: 422, body: { ok: false, errors: { scenarioId: "forms.error.scenario" } } });
    }
    expect(await post("new", { ...base, scenarioId: foreign })).toMatchObject({ status: 422 });
    expect((await db.form.findUniqueOrThrow({ where: { id: formId } })).scenarioId).toBe(ours);
    expect(await db.form.count({ where: { scenarioId: foreign } })).toBe(0);
    expect(translate("en", "forms.error.scenario")).toBe("Choose a step scenario of this form's LINE account.");
    expect(translate("ja", "forms.error.scenario")).toBe("このフォームのLINEアカウントのステップ配信を選んでください。");

    // Cleared by saving without one.
    expect((await post(formId, { ...base, scenarioId: "" })).status).toBe(200);
    expect((await db.form.findUniqueOrThrow({ where: { id: formId } })).scenarioId).toBeNull();

    const page = (await call(builderLoader, await adminRequest(`/app/forms/${formId}`), formId)) as Response;
    const data = (await page.json()) as { form: { scenarioId: string | null }; scenarios: { id: string; lineAccountId: string }[] };
    expect(data.form.scenarioId).toBeNull();
    expect(data.scenarios.map((s) => s.id).sort()).toEqual([ours, ofSecond].sort());
  });
});

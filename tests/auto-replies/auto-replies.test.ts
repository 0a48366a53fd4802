// Auto-reply rules: validation, shop isolation, ordering, what the worker answers, and the page's loader/action.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createRule,
  deleteRule,
  findAutoReply,
  listRules,
  reorderRules,
  setRuleEnabled,
  updateRule,
  type RuleInput,
} from "~/auto-replies/auto-replies.server";
import { db } from "~/db.server";
import { action, loader } from "~/routes/app.auto-replies";
import { sessionStorage } from "~/shopify.server";
import { createLineAccount } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "other-shop.myshopify.com";

const input = (overrides: Partial<RuleInput> = {}): RuleInput => ({
  name: "Opening hours",
  matchType: "contains",
  pattern: "営業時間",
  messages: ["営業時間は10時〜19時です。"],
  ...overrides,
});

async function ruleOf(result: Awaited<ReturnType<typeof createRule>>) {
  if (!("rule" in result)) throw new Error(`expected a rule, got ${JSON.stringify(result.errors)}`);
  return result.rule;
}

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
});

beforeEach(async () => {
  await db.lineAccount.deleteMany();
});

describe("createRule", () => {
  it("stores a rule with trimmed keyword and replies, priority 100 and on by default", async () => {
    const account = await createLineAccount(db, SHOP);
    const rule = await ruleOf(
      await createRule(SHOP, account.id, input({ pattern: " 営業時間 ", messages: [" Hi ", "Bye"] })),
    );
    expect(rule).toMatchObject({
      shop: SHOP,
      lineAccountId: account.id,
      name: "Opening hours",
      matchType: "contains",
      pattern: "営業時間",
      messages: ["Hi", "Bye"],
      priority: 100,
      enabled: true,
    });
    const regex = await ruleOf(await createRule(SHOP, account.id, input({ matchType: "regex", pattern: " ^a b$" })));
    expect(regex.pattern).toBe(" ^a b$");
  });

  it("explains every invalid input with an i18n key", async () => {
    const account = await createLineAccount(db, SHOP);
    const errorsOf = async (overrides: Partial<RuleInput>) => {
      const result = await createRule(SHOP, account.id, input(overrides));
      return "errors" in result ? result.errors : null;
    };
    expect(await errorsOf({ name: " " })).toEqual({ name: "autoReplies.error.nameRequired" });
    expect(await errorsOf({ name: "x".repeat(101) })).toEqual({ name: "autoReplies.error.nameTooLong" });
    expect(await errorsOf({ matchType: "fuzzy" })).toEqual({ matchType: "autoReplies.error.matchType" });
    expect(await errorsOf({ pattern: "　" })).toEqual({ pattern: "autoReplies.error.patternRequired" });
    expect(await errorsOf({ pattern: "x".repeat(201) })).toEqual({ pattern: "autoReplies.error.patternTooLong" });
    expect(await errorsOf({ matchType: "regex", pattern: "(unclosed" })).toEqual({
      pattern: "autoReplies.error.regex",
    });
    expect(await errorsOf({ messages: [] })).toEqual({ messages: "autoReplies.error.messageCount" });
    expect(await errorsOf({ messages: ["1", "2", "3", "4", "5", "6"] })).toEqual({
      messages: "autoReplies.error.messageCount",
    });
    expect(await errorsOf({ messages: ["ok", " "] })).toEqual({ "messages.1": "autoReplies.error.messageRequired" });
    expect(await errorsOf({ messages: ["x".repeat(5001)] })).toEqual({
      "messages.0": "autoReplies.error.messageTooLong",
    });
    for (const priority of [-1, 10000, 1.5, Number.NaN]) {
      expect(await errorsOf({ priority })).toEqual({ priority: "autoReplies.error.priority" });
    }
    // Several fields at once, the regex check included.
    expect(await errorsOf({ name: "", matchType: "regex", pattern: "[", messages: [] })).toEqual({
      name: "autoReplies.error.nameRequired",
      pattern: "autoReplies.error.regex",
      messages: "autoReplies.error.messageCount",
    });
    expect(await db.autoReplyRule.count()).toBe(0);
    await ruleOf(await createRule(SHOP, account.id, input({ pattern: "x".repeat(200), priority: 0 })));
  });

  it("refuses an account of another shop", async () => {
    const theirs = await createLineAccount(db, OTHER);
    expect(await createRule(SHOP, theirs.id, input())).toEqual({ errors: { form: "autoReplies.error.account" } });
    expect(await db.autoReplyRule.count()).toBe(0);
  });
});

describe("editing rules", () => {
  it("updates, switches off and deletes, keeping priority and on/off unless given", async () => {
    const account = await createLineAccount(db, SHOP);
    const rule = await ruleOf(await createRule(SHOP, account.id, input({ priority: 5 })));
    const updated = await ruleOf(
      await updateRule(SHOP, rule.id, input({ name: "Hours", matchType: "exact", pattern: "hours" })),
    );
    expect(updated).toMatchObject({ name: "Hours", matchType: "exact", pattern: "hours", priority: 5, enabled: true });
    expect(await updateRule(SHOP, rule.id, input({ matchType: "regex", pattern: "*" }))).toEqual({
      errors: { pattern: "autoReplies.error.regex" },
    });
    expect((await ruleOf(await setRuleEnabled(SHOP, rule.id, false))).enabled).toBe(false);
    expect(await deleteRule(SHOP, rule.id)).toMatchObject({ rule: { id: rule.id } });
    expect(await db.autoReplyRule.count()).toBe(0);
  });

  it("does not let another shop touch a rule", async () => {
    const account = await createLineAccount(db, SHOP);
    const rule = await ruleOf(await createRule(SHOP, account.id, input()));
    const notFound = { errors: { form: "autoReplies.error.notFound" } };
    expect(await updateRule(OTHER, rule.id, input({ name: "Hacked" }))).toEqual(notFound);
    expect(await setRuleEnabled(OTHER, rule.id, false)).toEqual(notFound);
    expect(await deleteRule(OTHER, rule.id)).toEqual(notFound);
    expect(await reorderRules(OTHER, account.id, [rule.id])).toEqual({ errors: { form: "autoReplies.error.reorder" } });
    expect(await db.autoReplyRule.findUnique({ where: { id: rule.id } })).toMatchObject({
      name: "Opening hours",
      enabled: true,
      priority: 100,
    });
    expect(await listRules(OTHER)).toEqual([]);
  });

  it("lists by priority then age, per account, and reorders all of an account's rules", async () => {
    const account = await createLineAccount(db, SHOP);
    const second = await createLineAccount(db, SHOP);
    const a = await ruleOf(await createRule(SHOP, account.id, input({ name: "a", priority: 20 })));
    const b = await ruleOf(await createRule(SHOP, account.id, input({ name: "b", priority: 10 })));
    const c = await ruleOf(await createRule(SHOP, account.id, input({ name: "c", priority: 20 })));
    const elsewhere = await ruleOf(await createRule(SHOP, second.id, input({ name: "z", priority: 1 })));
    expect((await listRules(SHOP, account.id)).map((r) => r.name)).toEqual(["b", "a", "c"]);
    expect((await listRules(SHOP)).map((r) => r.name)).toEqual(["z", "b", "a", "c"]);

    const reordered = await reorderRules(SHOP, account.id, [c.id, a.id, b.id]);
    expect("rules" in reordered && reordered.rules.map((r) => [r.name, r.priority])).toEqual([
      ["c", 10],
      ["a", 20],
      ["b", 30],
    ]);
    const refused = { errors: { form: "autoReplies.error.reorder" } };
    expect(await reorderRules(SHOP, account.id, [c.id, a.id])).toEqual(refused);
    expect(await reorderRules(SHOP, account.id, [c.id, a.id, a.id])).toEqual(refused);
    expect(await reorderRules(SHOP, account.id, [c.id, a.id, elsewhere.id])).toEqual(refused);
    expect((await listRules(SHOP, account.id)).map((r) => r.name)).toEqual(["c", "a", "b"]);
  });
});

describe("findAutoReply", () => {
  it("answers with the first enabled matching rule of that account only", async () => {
    const account = await createLineAccount(db, SHOP);
    const second = await createLineAccount(db, SHOP);
    await createRule(
      SHOP,
      second.id,
      input({ name: "other account", pattern: "sale", priority: 0, messages: ["wrong"] }),
    );
    await createRule(
      SHOP,
      account.id,
      input({ name: "off", pattern: "sale", priority: 1, enabled: false, messages: ["off"] }),
    );
    const exact = await ruleOf(
      await createRule(
        SHOP,
        account.id,
        input({ matchType: "exact", pattern: "セール", priority: 50, messages: ["セール中です！", "詳細はこちら"] }),
      ),
    );
    const contains = await ruleOf(
      await createRule(SHOP, account.id, input({ pattern: "sale", priority: 60, messages: ["Sale on"] })),
    );

    expect(await findAutoReply(account.id, "ｾｰﾙ")).toEqual({
      ruleId: exact.id,
      messages: ["セール中です！", "詳細はこちら"],
    });
    expect(await findAutoReply(account.id, "ＢＩＧ ＳＡＬＥ")).toEqual({ ruleId: contains.id, messages: ["Sale on"] });
    expect(await findAutoReply(account.id, "hello")).toBeNull();
    expect(await findAutoReply("no-such-account", "sale")).toBeNull();
  });

  it("saves a nested-quantifier regex and answers a long message without stalling the worker", async () => {
    const account = await createLineAccount(db, SHOP);
    const nested = await ruleOf(
      await createRule(SHOP, account.id, input({ matchType: "regex", pattern: "^(a+)+$", messages: ["a!"] })),
    );
    // A backtracking engine would never finish this message, and every shop's events wait behind it.
    expect(await findAutoReply(account.id, `${"a".repeat(4999)}!`)).toBeNull();
    expect(await findAutoReply(account.id, "a".repeat(5000))).toEqual({ ruleId: nested.id, messages: ["a!"] });
  });

  it("refuses when saved a regex the linear-time engine cannot run, with its own message", async () => {
    const account = await createLineAccount(db, SHOP);
    for (const pattern of ["sale(?!s)", "(?<=big )sale", "(\\w)\\1"]) {
      expect(await createRule(SHOP, account.id, input({ matchType: "regex", pattern }))).toEqual({
        errors: { pattern: "autoReplies.error.regexUnsupported" },
      });
    }
    expect(await db.autoReplyRule.count()).toBe(0);
  });
});

describe("auto-replies page", () => {
  const call = <T>(fn: (args: never) => Promise<T>, request: Request) =>
    fn({ request, params: {}, context: {} } as never);

  async function post(fields: Record<string, string | string[]>) {
    const body = new FormData();
    for (const [key, value] of Object.entries(fields)) {
      for (const item of [value].flat()) body.append(key, item);
    }
    const response = (await call(
      action,
      await adminRequest("/app/auto-replies", { method: "POST", body }),
    )) as Response;
    return { status: response.status, body: await response.json() };
  }

  it("loads the chosen account's rules in order, or nothing without an account", async () => {
    expect(await call(loader, await adminRequest("/app/auto-replies"))).toMatchObject({ selectedId: null, rules: [] });
    const account = await createLineAccount(db, SHOP);
    const second = await createLineAccount(db, SHOP);
    await createRule(SHOP, account.id, input({ name: "late", priority: 200 }));
    await createRule(SHOP, account.id, input({ name: "early", priority: 1 }));
    await createRule(SHOP, second.id, input({ name: "second" }));
    const data = await call(loader, await adminRequest("/app/auto-replies"));
    expect(data.selectedId).toBe(account.id);
    expect(data.rules.map((r) => r.name)).toEqual(["early", "late"]);
    const chosen = await call(loader, await adminRequest(`/app/auto-replies?account=${second.id}`));
    expect(chosen.rules.map((r) => r.name)).toEqual(["second"]);
  });

  it("creates, updates, toggles, reorders and deletes through the action", async () => {
    const account = await createLineAccount(db, SHOP);
    const fields = {
      lineAccountId: account.id,
      name: "Hours",
      matchType: "exact",
      pattern: "hours",
      messages: ["10–19"],
    };
    const created = await post({ intent: "create", ...fields, priority: "7", enabled: "false" });
    expect(created).toMatchObject({ status: 200, body: { ok: true, name: "Hours" } });
    const [rule] = await listRules(SHOP, account.id);
    expect(rule).toMatchObject({ priority: 7, enabled: false, messages: ["10–19"] });

    expect(
      await post({ intent: "update", id: rule.id, ...fields, name: "Opening", priority: "", messages: ["a", "b"] }),
    ).toMatchObject({
      status: 200,
    });
    expect(await db.autoReplyRule.findUnique({ where: { id: rule.id } })).toMatchObject({
      name: "Opening",
      priority: 7,
      enabled: false,
      messages: ["a", "b"],
    });
    expect(await post({ intent: "toggle", id: rule.id, enabled: "true" })).toMatchObject({ status: 200 });
    expect(await findAutoReply(account.id, "HOURS")).toEqual({ ruleId: rule.id, messages: ["a", "b"] });

    const other = await post({ intent: "create", ...fields, name: "Second" });
    expect(other.status).toBe(200);
    const second = (await listRules(SHOP, account.id)).find((r) => r.name === "Second")!;
    expect(await post({ intent: "reorder", lineAccountId: account.id, ids: [second.id, rule.id] })).toMatchObject({
      status: 200,
    });
    expect((await listRules(SHOP, account.id)).map((r) => r.name)).toEqual(["Second", "Opening"]);

    expect(await post({ intent: "delete", id: rule.id })).toMatchObject({
      status: 200,
      body: { ok: true, name: "Opening" },
    });
    expect(await db.autoReplyRule.count()).toBe(1);
  });

  it("answers 422 with field errors, 404 for another shop's rule, 400 for an unknown intent", async () => {
    const account = await createLineAccount(db, SHOP);
    expect(
      await post({
        intent: "create",
        lineAccountId: account.id,
        name: "",
        matchType: "regex",
        pattern: "(",
        priority: "x",
      }),
    ).toEqual({
      status: 422,
      body: {
        ok: false,
        errors: {
          name: "autoReplies.error.nameRequired",
          pattern: "autoReplies.error.regex",
          messages: "autoReplies.error.messageCount",
          priority: "autoReplies.error.priority",
        },
      },
    });
    const theirAccount = await createLineAccount(db, OTHER);
    const theirs = await ruleOf(await createRule(OTHER, theirAccount.id, input()));
    expect(await post({ intent: "delete", id: theirs.id })).toMatchObject({ status: 404 });
    expect(await post({ intent: "toggle", id: theirs.id, enabled: "false" })).toMatchObject({ status: 404 });
    const valid = { name: "Hours", matchType: "contains", pattern: "hours", messages: ["10-19"] };
    expect(await post({ intent: "create", lineAccountId: theirAccount.id, ...valid })).toMatchObject({
      status: 422,
      body: { errors: { form: "autoReplies.error.account" } },
    });
    expect(await db.autoReplyRule.findUnique({ where: { id: theirs.id } })).toMatchObject({ enabled: true });
    expect(await db.autoReplyRule.count()).toBe(1);
    expect(await post({ intent: "launch" })).toMatchObject({ status: 400 });
  });
});

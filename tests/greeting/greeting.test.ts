// The greeting: validation, shop isolation, what the worker sends on a follow, and the page's loader/action.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { getGreeting, greetingToSend, saveGreeting } from "~/greeting/greeting.server";
import { action, loader } from "~/routes/app.greeting";
import { sessionStorage } from "~/shopify.server";
import { createLineAccount } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "other-shop.myshopify.com";

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
});

beforeEach(async () => {
  await db.lineAccount.deleteMany();
});

describe("saveGreeting", () => {
  it("saves trimmed messages and replaces them on the next save", async () => {
    const account = await createLineAccount(db, SHOP);
    const first = await saveGreeting(SHOP, account.id, {
      enabled: true,
      messages: ["  友だち追加ありがとうございます！ ", "クーポン: WELCOME10"],
    });
    expect(first).toMatchObject({
      greeting: {
        lineAccountId: account.id,
        enabled: true,
        messages: ["友だち追加ありがとうございます！", "クーポン: WELCOME10"],
      },
    });
    await saveGreeting(SHOP, account.id, { enabled: false, messages: ["Hello"] });
    expect(await getGreeting(account.id)).toMatchObject({ enabled: false, messages: ["Hello"] });
    expect(await db.greetingMessage.count()).toBe(1);
    expect(await db.greetingMessage.findUnique({ where: { lineAccountId: account.id } })).toMatchObject({ shop: SHOP });
  });

  it("explains every invalid input with an i18n key", async () => {
    const account = await createLineAccount(db, SHOP);
    const save = (messages: string[]) => saveGreeting(SHOP, account.id, { enabled: true, messages });
    expect(await save([])).toEqual({ errors: { messages: "greeting.error.messageCount" } });
    expect(await save(["1", "2", "3", "4", "5", "6"])).toEqual({ errors: { messages: "greeting.error.messageCount" } });
    expect(await save(["ok", "  　"])).toEqual({ errors: { "messages.1": "greeting.error.messageRequired" } });
    expect(await save(["x".repeat(5001)])).toEqual({ errors: { "messages.0": "greeting.error.messageTooLong" } });
    expect(await getGreeting(account.id)).toBeNull();
    expect(await save(["1", "2", "3", "4", ` ${"x".repeat(5000)} `])).toHaveProperty("greeting");
  });

  it("refuses an account of another shop", async () => {
    const theirs = await createLineAccount(db, OTHER);
    expect(await saveGreeting(SHOP, theirs.id, { enabled: true, messages: ["Hi"] })).toEqual({
      errors: { form: "greeting.error.account" },
    });
    expect(await saveGreeting(SHOP, "no-such-account", { enabled: true, messages: ["Hi"] })).toEqual({
      errors: { form: "greeting.error.account" },
    });
    expect(await db.greetingMessage.count()).toBe(0);
  });
});

describe("greetingToSend", () => {
  it("is the messages when on, null when off or never set", async () => {
    const account = await createLineAccount(db, SHOP);
    expect(await greetingToSend(account.id)).toBeNull();
    await saveGreeting(SHOP, account.id, { enabled: false, messages: ["Hi"] });
    expect(await greetingToSend(account.id)).toBeNull();
    await saveGreeting(SHOP, account.id, { enabled: true, messages: ["Hi", "Welcome"] });
    expect(await greetingToSend(account.id)).toEqual(["Hi", "Welcome"]);
  });
});

describe("greeting page", () => {
  const call = <T>(fn: (args: never) => Promise<T>, request: Request) =>
    fn({ request, params: {}, context: {} } as never);

  async function post(fields: Record<string, string | string[]>) {
    const body = new FormData();
    for (const [key, value] of Object.entries(fields)) {
      for (const item of [value].flat()) body.append(key, item);
    }
    const response = (await call(action, await adminRequest("/app/greeting", { method: "POST", body }))) as Response;
    return { status: response.status, body: await response.json() };
  }

  it("has nothing to edit without a connected account", async () => {
    await createLineAccount(db, SHOP, { status: "disconnected" });
    await createLineAccount(db, OTHER);
    expect(await call(loader, await adminRequest("/app/greeting"))).toMatchObject({
      accounts: [],
      selectedId: null,
      greeting: null,
    });
  });

  it("shows the first connected account's greeting, or the one chosen by ?account=", async () => {
    const first = await createLineAccount(db, SHOP, { displayName: "Tokyo" });
    const second = await createLineAccount(db, SHOP, { displayName: "Taipei" });
    await saveGreeting(SHOP, second.id, { enabled: true, messages: ["歡迎"] });
    const theirs = await createLineAccount(db, OTHER);

    const plain = await call(loader, await adminRequest("/app/greeting"));
    expect(plain).toMatchObject({ selectedId: first.id, greeting: null, limits: { messages: 5, length: 5000 } });
    expect(plain.accounts.map((a) => a.displayName)).toEqual(["Tokyo", "Taipei"]);
    const chosen = await call(loader, await adminRequest(`/app/greeting?account=${second.id}`));
    expect(chosen).toMatchObject({ selectedId: second.id, greeting: { enabled: true, messages: ["歡迎"] } });
    const foreign = await call(loader, await adminRequest(`/app/greeting?account=${theirs.id}`));
    expect(foreign.selectedId).toBe(first.id);
  });

  it("saves through the action, answering 422 with field errors", async () => {
    const account = await createLineAccount(db, SHOP);
    expect(
      await post({ intent: "save", lineAccountId: account.id, enabled: "true", messages: ["Hi", "Welcome"] }),
    ).toEqual({ status: 200, body: { ok: true, greeting: { enabled: true, messages: ["Hi", "Welcome"] } } });
    expect(await greetingToSend(account.id)).toEqual(["Hi", "Welcome"]);

    expect(await post({ intent: "save", lineAccountId: account.id, enabled: "false", messages: ["Hi", ""] })).toEqual({
      status: 422,
      body: { ok: false, errors: { "messages.1": "greeting.error.messageRequired" } },
    });
    expect(await post({ intent: "save", lineAccountId: account.id, enabled: "true" })).toMatchObject({
      status: 422,
      body: { errors: { messages: "greeting.error.messageCount" } },
    });
    const theirs = await createLineAccount(db, OTHER);
    expect(await post({ intent: "save", lineAccountId: theirs.id, enabled: "true", messages: ["Hi"] })).toMatchObject({
      status: 422,
      body: { errors: { form: "greeting.error.account" } },
    });
    expect(await post({ intent: "nope" })).toMatchObject({ status: 400 });
    expect(await greetingToSend(account.id)).toEqual(["Hi", "Welcome"]);
  });
});

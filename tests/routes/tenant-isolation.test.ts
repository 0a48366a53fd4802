// Shop A's admin, through every page action and intent, naming shop B's ids: each answer is a 4xx, and every row
// of shop B (every table with a shop column, read through Prisma.dmmf, and any row pointing at B's rows) is exactly
// as it was, its reminder job still queued. The writes carry the shop in the statement itself, not only in a read.
import type { Friend, LineAccount } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { cancelAccountReminders, reminderJobId } from "~/abandoned-cart/reminders.server";
import { saveSettings } from "~/abandoned-cart/settings.server";
import { DEFAULT_REMINDER_SETTINGS } from "~/abandoned-cart/settings";
import { db } from "~/db.server";
import { saveGreeting } from "~/greeting/greeting.server";
import { action as cartAction } from "~/routes/app.abandoned-cart";
import { action as accountsAction } from "~/routes/app.accounts";
import { action as autoRepliesAction } from "~/routes/app.auto-replies";
import { action as friendAction } from "~/routes/app.friends.$id";
import { action as inboxAction } from "~/routes/app.inbox";
import { action as friendsAction } from "~/routes/app.friends._index";
import { action as greetingAction } from "~/routes/app.greeting";
import { action as tagsAction } from "~/routes/app.tags";
import { action as segmentAction } from "~/routes/app.segments.$id";
import { action as segmentsAction } from "~/routes/app.segments._index";
import { action as trackingAction } from "~/routes/app.tracking-links";
import { action as scenarioAction } from "~/routes/app.scenarios.$id";
import { action as scenarioListAction } from "~/routes/app.scenarios._index";
import { action as scenarioRunsAction } from "~/routes/app.scenarios.runs";
import { saveScenario, setScenarioStatus, startScenarioForFriend } from "~/scenarios/scenarios.server";
import { sessionStorage } from "~/shopify.server";
import { cartReminderQueue, enqueueCartReminder } from "../../jobs/queues";
import { channelSecret as newChannelSecret, createFriend, createShop, enableCartReminders } from "../support/factories";
import { connectedAccount } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { emptyTables, snapshotShop } from "../support/tenant";

const A = TEST_SHOP_DOMAIN;
const B = "shop-b-tenant.myshopify.com";

type Handler = (args: never) => Promise<unknown>;
type Fields = Record<string, string | string[]>;

/** Shop A's admin posts `fields` to the page's action; a thrown Response counts as the answer. */
async function post(handler: Handler, path: string, fields: Fields, params: Record<string, string> = {}) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(key, item);
  const request = await adminRequest(path, { shop: A, method: "POST", body });
  const outcome = await handler({ request, params, context: {} } as never).catch((thrown: unknown) => thrown);
  if (!(outcome instanceof Response)) throw outcome;
  return { status: outcome.status, body: await outcome.text() };
}

type Answer = Awaited<ReturnType<typeof post>>;

/** Runs shop A's request and proves shop B untouched: every row, and B's queued reminder. */
async function expectBUnchanged(request: () => Promise<Answer>) {
  const before = await snapshotShop(db, B);
  const answer = await request();
  expect(await snapshotShop(db, B)).toEqual(before);
  expect(await cartReminderQueue().getJob(reminderJobId(b.reminderId))).toBeTruthy();
  return answer;
}

/** The answer refused the request for the reason expected (not, say, a validation error met first). */
function expectRefused(answer: Answer, status: number, reason: string) {
  expect(answer.status).toBe(status);
  expect(answer.body).toContain(`"${reason}"`);
}

let a: { account: LineAccount; friend: Friend; tagId: string; ruleId: string; linkId: string };
let b: {
  account: LineAccount;
  channelId: string;
  friend: Friend;
  tagId: string;
  ruleIds: string[];
  messageId: string;
  linkId: string;
  reminderId: string;
  segmentId: string;
};

async function seedB() {
  await createShop(db, { shop: B });
  await sessionStorage.storeSession(offlineSession(B));
  const { account, channel } = await connectedAccount(db, B, { displayName: "B account", followers: ["Ub0000000000000000000000000000001"] });
  await enableCartReminders(db, account);
  await db.greetingMessage.create({ data: { lineAccountId: account.id, shop: B, enabled: true, messages: ["B welcome"] } });
  const rules = await Promise.all(
    ["B1", "B2"].map((name, index) =>
      db.autoReplyRule.create({
        data: { shop: B, lineAccountId: account.id, name, matchType: "exact", pattern: name, messages: [name], priority: (index + 1) * 10 },
      }),
    ),
  );
  const tag = await db.tag.create({ data: { shop: B, name: "B tag" } });
  const friend = await createFriend(db, account, { displayName: "B friend" });
  await db.friendTag.create({ data: { shop: B, friendId: friend.id, tagId: tag.id } });
  // An unexpired reply token (a send would use it) and a failed push (a retry would resend it).
  await db.message.create({
    data: { shop: B, lineAccountId: account.id, friendId: friend.id, direction: "in", kind: "text", text: "hi", replyToken: "b-reply-token", replyTokenExpiresAt: new Date(Date.now() + 3_600_000) },
  });
  const failed = await db.message.create({
    data: { shop: B, lineAccountId: account.id, friendId: friend.id, direction: "out", kind: "text", text: "sale", sentVia: "push", status: "failed", retryKey: "7b1c2f3e-0000-4000-8000-000000000001" },
  });
  const link = await db.trackingLink.create({ data: { shop: B, lineAccountId: account.id, code: "BBBBBBBB", name: "B link", tagNames: [] } });
  await db.trackingClick.create({ data: { shop: B, trackingLinkId: link.id, params: {} } });
  // A running import whose worker died long ago: starting an import expires such rows (for its own shop only).
  await db.followerImport.create({ data: { shop: B, lineAccountId: account.id, updatedAt: new Date(Date.now() - 86_400_000) } });
  const checkout = await db.checkout.create({
    data: { shop: B, token: "b-checkout", currency: "JPY", totalPrice: "1200", lineItems: [], startedAt: new Date(), shopifyUpdatedAt: new Date() },
  });
  const dueAt = new Date(Date.now() + 3_600_000);
  const reminder = await db.cartReminder.create({
    data: { shop: B, lineAccountId: account.id, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart", dueAt, retryKey: "7b1c2f3e-0000-4000-8000-000000000002" },
  });
  await enqueueCartReminder(reminder.id, dueAt);
  const segment = await db.segment.create({
    data: { shop: B, name: "B segment", definition: { match: "all", groups: [{ match: "all", conditions: [{ field: "tags", match: "any", tagIds: [tag.id] }] }] } },
  });
  return {
    segmentId: segment.id,
    account,
    channelId: channel.channelId,
    friend,
    tagId: tag.id,
    ruleIds: rules.map((rule) => rule.id),
    messageId: failed.id,
    linkId: link.id,
    reminderId: reminder.id,
  };
}

async function seedA() {
  await createShop(db, { shop: A });
  await sessionStorage.storeSession(offlineSession(A));
  const { account } = await connectedAccount(db, A, { displayName: "A account" });
  const friend = await createFriend(db, account, { displayName: "A friend" });
  const tag = await db.tag.create({ data: { shop: A, name: "A tag" } });
  const rule = await db.autoReplyRule.create({
    data: { shop: A, lineAccountId: account.id, name: "A1", matchType: "exact", pattern: "A1", messages: ["A1"] },
  });
  const link = await db.trackingLink.create({ data: { shop: A, lineAccountId: account.id, code: "AAAAAAAA", name: "A link", tagNames: [] } });
  return { account, friend, tagId: tag.id, ruleId: rule.id, linkId: link.id };
}

beforeAll(async () => {
  b = await seedB();
  a = await seedA();
});

it("shop B holds a row in every table an admin action writes", async () => {
  const seeded = ["LineAccount", "CartReminderSettings", "GreetingMessage", "AutoReplyRule", "Tag", "Friend", "FriendTag",
    "Message", "TrackingLink", "TrackingClick", "FollowerImport", "Checkout", "CartReminder", "Segment", "Session", "Shop"];
  expect((await emptyTables(db, B)).filter((table) => seeded.includes(table))).toEqual([]);
});

describe("LINE accounts page", () => {
  const accounts = (fields: Fields) => post(accountsAction, "/app/accounts", fields);

  it("disconnect: B's account, its reminder settings and its scheduled reminders stay as they were", async () => {
    expectRefused(await expectBUnchanged(() => accounts({ intent: "disconnect", id: b.account.id })), 404, "accounts.error.notFound");
  });

  it("update: B's account is not edited", async () => {
    const answer = await expectBUnchanged(() =>
      accounts({ intent: "update", id: b.account.id, displayName: "taken over", channelId: b.channelId, channelSecret: "" }),
    );
    expectRefused(answer, 404, "accounts.error.notFound");
  });

  it("retest: B's webhook is not re-registered", async () => {
    expectRefused(await expectBUnchanged(() => accounts({ intent: "retest", id: b.account.id })), 404, "accounts.error.notFound");
  });

  it("connect: naming B's account id and channel without its secret connects nothing of B's", async () => {
    const answer = await expectBUnchanged(() =>
      accounts({ intent: "connect", id: b.account.id, displayName: "B again", channelId: b.channelId, channelSecret: newChannelSecret() }),
    );
    expect(answer.status).toBe(422);
    expect(await db.lineAccount.count({ where: { shop: A } })).toBe(1);
  });
});

describe("かご落ちLINE page", () => {
  const cart = (fields: Fields) => post(cartAction, "/app/abandoned-cart", fields);
  const settings = {
    delayMinutes: "60",
    title: "A's title",
    body: "A's body",
    moreItemsText: "ほか{count}点",
    buttonText: "go",
    headerColor: "#06C755",
    buttonColor: "#06C755",
    queryParams: "utm_source=line",
    quietStart: "22:00",
    quietEnd: "08:00",
    attributionDays: "7",
  };

  it("save: B's settings are neither turned off nor overwritten, and B's reminders are not cancelled", async () => {
    for (const enabled of ["false", "true"]) {
      const answer = await expectBUnchanged(() => cart({ intent: "save", lineAccountId: b.account.id, enabled, ...settings }));
      expectRefused(answer, 422, "cart.error.account");
    }
  });

  it("test: nothing is sent to B's friend, through B's account or A's", async () => {
    const throughB = await expectBUnchanged(() => cart({ intent: "test", lineAccountId: b.account.id, friendId: b.friend.id, ...settings }));
    expectRefused(throughB, 422, "cart.test.reason.account");
    const throughA = await expectBUnchanged(() => cart({ intent: "test", lineAccountId: a.account.id, friendId: b.friend.id, ...settings }));
    expectRefused(throughA, 422, "cart.test.reason.friend");
  });
});

describe("auto-replies page", () => {
  const replies = (fields: Fields) => post(autoRepliesAction, "/app/auto-replies", fields);
  const rule = { name: "mine", matchType: "contains", pattern: "sale", messages: ["A's answer"] };

  it("create: no rule is added to B's account", async () => {
    const answer = await expectBUnchanged(() => replies({ intent: "create", lineAccountId: b.account.id, ...rule }));
    expectRefused(answer, 422, "autoReplies.error.account");
    expect(await db.autoReplyRule.count({ where: { shop: A } })).toBe(1);
  });

  it("update, toggle and delete: B's rule stays", async () => {
    const attempts: Fields[] = [{ intent: "update", ...rule }, { intent: "toggle", enabled: "false" }, { intent: "delete" }];
    for (const fields of attempts) {
      const answer = await expectBUnchanged(() => replies({ ...fields, id: b.ruleIds[0] }));
      expectRefused(answer, 404, "autoReplies.error.notFound");
    }
  });

  it("reorder: B's priorities stay, whether B's account or A's is named", async () => {
    const reversed = [...b.ruleIds].reverse();
    const onB = await expectBUnchanged(() => replies({ intent: "reorder", lineAccountId: b.account.id, ids: reversed }));
    expectRefused(onB, 422, "autoReplies.error.reorder");
    const onA = await expectBUnchanged(() => replies({ intent: "reorder", lineAccountId: a.account.id, ids: [b.ruleIds[1], a.ruleId] }));
    expectRefused(onA, 422, "autoReplies.error.reorder");
  });
});

describe("friend page", () => {
  const onFriend = (friendId: string, fields: Fields) => post(friendAction, `/app/friends/${friendId}`, fields, { id: friendId });

  it.each(["send", "retry", "block", "unblock", "addTag", "removeTag", "refreshProfile"])(
    "%s on B's friend: 404 and nothing of B's changes",
    async (intent) => {
      const fields = { intent, text: "hello", messageId: b.messageId, tagId: b.tagId };
      expectRefused(await expectBUnchanged(() => onFriend(b.friend.id, fields)), 404, "friends.error.notFound");
    },
  );

  it("retry of B's message from A's friend: B's message is not resent", async () => {
    const answer = await expectBUnchanged(() => onFriend(a.friend.id, { intent: "retry", messageId: b.messageId }));
    expectRefused(answer, 404, "friends.error.notFound");
  });

  it("addTag and removeTag with B's tag on A's friend: B's tag is neither used nor unlinked", async () => {
    for (const intent of ["addTag", "removeTag"]) {
      const answer = await expectBUnchanged(() => onFriend(a.friend.id, { intent, tagId: b.tagId }));
      expectRefused(answer, 422, "friends.tags.error.notFound");
    }
    expect(await db.friendTag.count({ where: { friendId: a.friend.id } })).toBe(0);
  });
});

describe("inbox", () => {
  const inbox = (fields: Fields) => post(inboxAction, "/app/inbox", fields);
  const composed = JSON.stringify([{ type: "text", text: "hello" }]);

  it.each(["send", "sendRich", "retry"])("%s to B's friend: 404 and nothing of B's changes", async (intent) => {
    const fields = { intent, friendId: b.friend.id, text: "hello", messages: composed, messageId: b.messageId };
    expectRefused(await expectBUnchanged(() => inbox(fields)), 404, "friends.error.notFound");
  });

  it("assigning B's conversation: 404, and no conversation row for B", async () => {
    expectRefused(await expectBUnchanged(() => inbox({ intent: "assign", friendId: b.friend.id, assignee: "" })), 404, "inbox.error.notFound");
  });

  it("editing or deleting B's saved reply: 404 and it stays as it was", async () => {
    const saved = await db.savedReply.create({ data: { shop: B, title: "B's", text: "B's text" } });
    expectRefused(await expectBUnchanged(() => inbox({ intent: "savedUpdate", id: saved.id, title: "taken", text: "over" })), 404, "inbox.error.notFound");
    expectRefused(await expectBUnchanged(() => inbox({ intent: "savedDelete", id: saved.id })), 404, "inbox.error.notFound");
  });
});

describe("friends list page", () => {
  it("import: no import of B's account starts and B's interrupted import is not touched", async () => {
    const answer = await expectBUnchanged(() => post(friendsAction, "/app/friends", { intent: "import", lineAccountId: b.account.id }));
    expectRefused(answer, 404, "friends.import.error.notFound");
  });
});

describe("greeting page", () => {
  it("save: B's greeting is not replaced", async () => {
    const answer = await expectBUnchanged(() =>
      post(greetingAction, "/app/greeting", { intent: "save", lineAccountId: b.account.id, enabled: "true", messages: ["A's greeting"] }),
    );
    expectRefused(answer, 422, "greeting.error.account");
  });
});

describe("tags page", () => {
  const tags = (fields: Fields) => post(tagsAction, "/app/tags", fields);

  it("update and delete: B's tag and its friends' links stay", async () => {
    const update = await expectBUnchanged(() => tags({ intent: "update", id: b.tagId, name: "renamed", color: "critical" }));
    expectRefused(update, 404, "tags.error.notFound");
    expectRefused(await expectBUnchanged(() => tags({ intent: "delete", id: b.tagId })), 404, "tags.error.notFound");
  });

  it("create takes no id: with B's tag's name and id it makes A's own tag", async () => {
    expect((await expectBUnchanged(() => tags({ intent: "create", id: b.tagId, name: "B tag", color: "info" }))).status).toBe(200);
    expect(await db.tag.count({ where: { shop: A, name: "B tag" } })).toBe(1);
  });
});

describe("tracking links page", () => {
  const links = (fields: Fields) => post(trackingAction, "/app/tracking-links", fields);
  const link = { name: "A's ad", landingPageUrl: "https://a.example/lp" };

  it("create: no link is made on B's account", async () => {
    const answer = await expectBUnchanged(() => links({ intent: "create", lineAccountId: b.account.id, ...link }));
    expectRefused(answer, 422, "trackingLinks.error.account");
    expect(await db.trackingLink.count({ where: { shop: A } })).toBe(1);
  });

  it("update: B's link is not edited, and A's link cannot be moved onto B's account", async () => {
    const theirs = await expectBUnchanged(() => links({ intent: "update", id: b.linkId, lineAccountId: a.account.id, ...link }));
    expectRefused(theirs, 404, "trackingLinks.error.notFound");
    const moved = await expectBUnchanged(() => links({ intent: "update", id: a.linkId, lineAccountId: b.account.id, ...link }));
    expectRefused(moved, 422, "trackingLinks.error.account");
    expect(await db.trackingLink.findUniqueOrThrow({ where: { id: a.linkId } })).toMatchObject({ lineAccountId: a.account.id });
  });

  it("archive: B's link keeps answering", async () => {
    expectRefused(await expectBUnchanged(() => links({ intent: "archive", id: b.linkId })), 404, "trackingLinks.error.notFound");
  });

  it("preview writes nothing", async () => {
    const answer = await expectBUnchanged(() => links({ intent: "preview", postbackUrl: "https://a.example/cv?c={click_id}", code: "BBBBBBBB" }));
    expect(answer.status).toBe(200);
  });
});

describe("segments pages", () => {
  const definition = (condition: object) => JSON.stringify({ match: "all", groups: [{ match: "all", conditions: [condition] }] });

  it("save and delete: B's segment is neither overwritten nor deleted", async () => {
    const save = await expectBUnchanged(() =>
      post(segmentAction, `/app/segments/${b.segmentId}`, { intent: "save", name: "taken over", definition: definition({ field: "linked", linked: true }) }, { id: b.segmentId }),
    );
    expectRefused(save, 404, "segments.error.notFound");
    const remove = await expectBUnchanged(() => post(segmentsAction, "/app/segments?index", { intent: "delete", id: b.segmentId }));
    expectRefused(remove, 404, "segments.error.notFound");
  });

  it("create: a segment naming B's tag or account is refused, and none is made", async () => {
    const byTag = await expectBUnchanged(() =>
      post(segmentAction, "/app/segments/new", { intent: "save", name: "A's", definition: definition({ field: "tags", match: "any", tagIds: [b.tagId] }) }, { id: "new" }),
    );
    expectRefused(byTag, 422, "segments.error.unknownTag");
    const byAccount = await expectBUnchanged(() =>
      post(segmentAction, "/app/segments/new", { intent: "save", name: "A's", definition: definition({ field: "account", accountIds: [b.account.id] }) }, { id: "new" }),
    );
    expectRefused(byAccount, 422, "segments.error.unknownAccount");
    expect(await db.segment.count({ where: { shop: A } })).toBe(0);
  });
});

describe("write functions the pages call", () => {
  it("cancelAccountReminders for shop A with B's account id cancels none of B's reminders", async () => {
    const answer = await expectBUnchanged(async () => ({ status: 200, body: String(await cancelAccountReminders(A, b.account.id, "disabled")) }));
    expect(answer.body).toBe("0");
  });
});

describe("shop-scoped upserts", () => {
  // Scoped by shop, the upsert is a read then a write, no longer one INSERT … ON CONFLICT: a first save made twice
  // at once (a double click) must still succeed.
  it("first saves of a greeting and of reminder settings made at once all succeed", async () => {
    const greetings = await Promise.all(
      [1, 2, 3, 4].map((n) => saveGreeting(A, a.account.id, { enabled: true, messages: [`hello ${n}`] })),
    );
    expect(greetings.every((result) => "greeting" in result)).toBe(true);
    const settings = await Promise.all([1, 2, 3, 4].map(() => saveSettings(A, a.account.id, { ...DEFAULT_REMINDER_SETTINGS, enabled: true })));
    expect(settings.every((result) => "settings" in result)).toBe(true);
    expect(await db.greetingMessage.count({ where: { lineAccountId: a.account.id } })).toBe(1);
    expect(await db.cartReminderSettings.count({ where: { lineAccountId: a.account.id } })).toBe(1);
  });
});

describe("step message pages", () => {
  const bScenario = { id: "", runId: "" };
  beforeAll(async () => {
    const saved = await saveScenario(B, null, {
      name: "B welcome",
      lineAccountId: b.account.id,
      trigger: { type: "tagAdded", tagId: b.tagId },
      steps: [{ delay: { kind: "after", amount: 1, unit: "days", from: "start" }, messages: [{ type: "text", text: "B" }] }],
    });
    if (!("scenario" in saved)) throw new Error(JSON.stringify(saved.errors));
    bScenario.id = saved.scenario.id;
    await setScenarioStatus(B, bScenario.id, "on");
    const run = await startScenarioForFriend(B, bScenario.id, b.friend.id);
    if (!("runId" in run)) throw new Error(JSON.stringify(run.errors));
    bScenario.runId = run.runId;
  });
  const draft = () => JSON.stringify({ name: "taken", lineAccountId: a.account.id, trigger: { type: "manual" }, steps: [{ delay: { kind: "after", amount: 0, unit: "minutes", from: "start" }, messages: [{ type: "text", text: "A" }] }] });
  const editor = (fields: Fields) => post(scenarioAction, `/app/scenarios/${bScenario.id}`, fields, { id: bScenario.id });

  it("save, switch, delete and start on B's scenario: 404, B's scenario, steps and run as they were", async () => {
    expectRefused(await expectBUnchanged(() => editor({ intent: "save", scenario: draft() })), 404, "scenarioPages.error.notFound");
    expectRefused(await expectBUnchanged(() => editor({ intent: "status", status: "off" })), 404, "scenarioPages.error.notFound");
    expectRefused(await expectBUnchanged(() => editor({ intent: "delete" })), 404, "scenarioPages.error.notFound");
    expectRefused(await expectBUnchanged(() => editor({ intent: "start", segmentId: b.segmentId })), 404, "scenarioPages.error.notFound");
    const list = await expectBUnchanged(() => post(scenarioListAction, "/app/scenarios", { intent: "status", id: bScenario.id, status: "off" }));
    expectRefused(list, 404, "scenarioPages.error.notFound");
  });

  it("stop B's run, start a scenario for B's friend: 404", async () => {
    const runs = (fields: Fields) => post(scenarioRunsAction, "/app/scenarios/runs", fields);
    expectRefused(await expectBUnchanged(() => runs({ intent: "stop", runId: bScenario.runId })), 404, "scenarioPages.error.runNotFound");
    expectRefused(await expectBUnchanged(() => runs({ intent: "start", friendId: b.friend.id, scenarioId: bScenario.id })), 404, "scenarioPages.error.friendNotFound");
    expectRefused(await expectBUnchanged(() => runs({ intent: "start", friendId: a.friend.id, scenarioId: bScenario.id })), 404, "scenarios.error.notFound");
  });
});

// The friends pages' loaders and actions through the real admin authentication.
import type { LineAccount } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action as friendAction, loader as friendLoader } from "~/routes/app.friends.$id";
import { action as listAction, loader as listLoader } from "~/routes/app.friends._index";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

type Handler = (args: never) => Promise<unknown>;

/** Calls a loader or action; a thrown Response is returned, so tests can look at its status. */
async function call(handler: Handler, request: Request, params: Record<string, string> = {}) {
  const outcome = await handler({ request, params, context: {} } as never).catch((thrown: unknown) => thrown);
  if (!(outcome instanceof Response)) throw outcome;
  return { status: outcome.status, body: (await outcome.json()) as Record<string, any> };
}

const form = (fields: Record<string, string>) => {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  return body;
};

const post = async (path: string, fields: Record<string, string>) => adminRequest(path, { method: "POST", body: form(fields) });

let account: LineAccount;

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
});

beforeEach(async () => {
  lineFake().reset();
  await db.message.deleteMany();
  await db.friendTag.deleteMany();
  await db.tag.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  ({ account } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea", accessToken: true }));
});

describe("friends list", () => {
  it("answers a page of the shop's friends with filters taken from the URL, and the filter choices", async () => {
    await createFriend(db, account, { displayName: "Hanako" });
    await createFriend(db, account, { displayName: "Taro", followStatus: "blocked" });
    await createFriend(db, await createLineAccount(db, "other.myshopify.com"), { displayName: "Not ours", followStatus: "blocked" });
    await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "VIP" } });

    const all = await call(listLoader, await adminRequest("/app/friends"));
    expect(all.status).toBe(200);
    expect(all.body.friends.map((f: { displayName: string }) => f.displayName)).toEqual(["Taro", "Hanako"]);
    expect(all.body.tags).toEqual([expect.objectContaining({ name: "VIP", friendCount: 0 })]);
    expect(all.body.accounts).toEqual([{ id: account.id, displayName: "Tokyo Tea", status: "connected" }]);
    expect(JSON.stringify(all.body)).not.toContain(account.channelSecret);

    const blocked = await call(listLoader, await adminRequest("/app/friends?status=blocked"));
    expect(blocked.body.friends.map((f: { displayName: string }) => f.displayName)).toEqual(["Taro"]);
  });

  it("answers 400 with a readable message for a damaged cursor", async () => {
    const response = await call(listLoader, await adminRequest("/app/friends?after=garbage"));
    expect(response.status).toBe(400);
    expect(response.body.queryError).toMatch(/after: this page link is damaged or out of date/);
    expect(response.body.friends).toEqual([]);
  });

  it("imports followers of a connected account", async () => {
    lineFake().channel(account.channelId).followers.push(lineUserId(), lineUserId());
    const response = await call(listAction, await post("/app/friends?index", { intent: "import", lineAccountId: account.id }));
    expect(response).toEqual({ status: 200, body: { errors: null, imported: 2, existing: 0 } });
    expect(await db.friend.count({ where: { shop: TEST_SHOP_DOMAIN } })).toBe(2);
  });

  it("answers 422 for a bad form, 422 with the reason for a 403 from LINE, 404 for another shop's account", async () => {
    const missing = await call(listAction, await post("/app/friends?index", { intent: "import" }));
    expect(missing).toMatchObject({ status: 422, body: { errors: { lineAccountId: "friends.import.error.account" } } });
    const unknown = await call(listAction, await post("/app/friends?index", { intent: "delete-all", lineAccountId: account.id }));
    expect(unknown).toMatchObject({ status: 422, body: { errors: { intent: "friends.error.intent" } } });

    lineFake().channel(account.channelId).followersForbidden = true;
    const forbidden = await call(listAction, await post("/app/friends?index", { intent: "import", lineAccountId: account.id }));
    expect(forbidden).toMatchObject({ status: 422, body: { errors: { form: "friends.import.error.forbidden" } } });

    const theirs = await createLineAccount(db, "other.myshopify.com");
    const other = await call(listAction, await post("/app/friends?index", { intent: "import", lineAccountId: theirs.id }));
    expect(other).toMatchObject({ status: 404, body: { errors: { form: "friends.import.error.notFound" } } });
  });
});

describe("friend page", () => {
  it("answers the friend, the reply mode and the shop's tags, without the LINE user id", async () => {
    const friend = await createFriend(db, account, { displayName: "Hanako", shopifyCustomerId: "555" });
    const tag = await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "VIP" } });
    const response = await call(friendLoader, await adminRequest(`/app/friends/${friend.id}`), { id: friend.id });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      friend: { id: friend.id, displayName: "Hanako", shopifyCustomerId: "555", tags: [], messages: [] },
      reply: { mode: "push" },
      tags: [{ id: tag.id, name: "VIP" }],
      timeZone: "Asia/Tokyo",
    });
    expect(JSON.stringify(response.body)).not.toContain(friend.lineUserId);
  });

  it("answers 404 for another shop's friend, on the page and on every action", async () => {
    const theirs = await createFriend(db, await createLineAccount(db, "other.myshopify.com"));
    expect((await call(friendLoader, await adminRequest(`/app/friends/${theirs.id}`), { id: theirs.id })).status).toBe(404);
    for (const intent of ["block", "send", "addTag"]) {
      const response = await call(friendAction, await post(`/app/friends/${theirs.id}`, { intent, text: "hi", tagId: "x" }), { id: theirs.id });
      expect(response.status).toBe(404);
    }
    expect((await db.friend.findUniqueOrThrow({ where: { id: theirs.id } })).operatorBlockedAt).toBeNull();
    expect(lineFake().sent()).toHaveLength(0);
  });

  it("blocks and unblocks", async () => {
    const friend = await createFriend(db, account);
    const path = `/app/friends/${friend.id}`;
    expect(await call(friendAction, await post(path, { intent: "block" }), { id: friend.id })).toEqual({
      status: 200,
      body: { ok: true, intent: "block" },
    });
    expect((await db.friend.findUniqueOrThrow({ where: { id: friend.id } })).operatorBlockedAt).not.toBeNull();
    const page = await call(friendLoader, await adminRequest(path), { id: friend.id });
    expect(page.body.reply).toEqual({ mode: "blocked", reason: "operator-blocked" });

    await call(friendAction, await post(path, { intent: "unblock" }), { id: friend.id });
    expect((await db.friend.findUniqueOrThrow({ where: { id: friend.id } })).operatorBlockedAt).toBeNull();
  });

  it("adds and removes tags, refusing another shop's tag", async () => {
    const friend = await createFriend(db, account);
    const path = `/app/friends/${friend.id}`;
    const tag = await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "VIP" } });
    const theirs = await db.tag.create({ data: { shop: "other.myshopify.com", name: "VIP" } });

    expect((await call(friendAction, await post(path, { intent: "addTag", tagId: tag.id }), { id: friend.id })).status).toBe(200);
    expect(await db.friendTag.findMany({ where: { friendId: friend.id }, select: { tagId: true, source: true } })).toEqual([
      { tagId: tag.id, source: "manual" },
    ]);
    const refused = await call(friendAction, await post(path, { intent: "addTag", tagId: theirs.id }), { id: friend.id });
    expect(refused).toMatchObject({ status: 422, body: { errors: { tagId: "friends.tags.error.notFound" } } });
    const empty = await call(friendAction, await post(path, { intent: "addTag", tagId: "" }), { id: friend.id });
    expect(empty).toMatchObject({ status: 422, body: { errors: { tagId: "friends.tags.error.choose" } } });

    await call(friendAction, await post(path, { intent: "removeTag", tagId: tag.id }), { id: friend.id });
    expect(await db.friendTag.count({ where: { friendId: friend.id } })).toBe(0);
  });

  it("sends a staff message by push and records who sent it", async () => {
    const friend = await createFriend(db, account);
    const response = await call(friendAction, await post(`/app/friends/${friend.id}`, { intent: "send", text: "Thanks!" }), { id: friend.id });
    expect(response).toEqual({ status: 200, body: { ok: true, intent: "send", sentVia: "push" } });
    expect(lineFake().sent()).toEqual([expect.objectContaining({ kind: "push", to: [friend.lineUserId] })]);
    const stored = await db.message.findFirstOrThrow({ where: { friendId: friend.id } });
    expect(stored.sentBy).toMatch(/^staff:\d+$/);
  });

  it("answers 422 for an empty message, a refused send and an unknown intent", async () => {
    const friend = await createFriend(db, account);
    const path = `/app/friends/${friend.id}`;
    expect(await call(friendAction, await post(path, { intent: "send", text: " " }), { id: friend.id })).toMatchObject({
      status: 422,
      body: { errors: { text: "friends.chat.error.empty" } },
    });
    await db.friend.update({ where: { id: friend.id }, data: { followStatus: "blocked" } });
    expect(await call(friendAction, await post(path, { intent: "send", text: "hi" }), { id: friend.id })).toMatchObject({
      status: 422,
      body: { errors: { form: "friends.chat.blocked.not-following" } },
    });
    expect(await call(friendAction, await post(path, { intent: "explode" }), { id: friend.id })).toMatchObject({
      status: 422,
      body: { errors: { intent: "friends.error.intent" } },
    });
    expect(lineFake().sent()).toHaveLength(0);
  });

  it("refreshes the profile from LINE", async () => {
    const friend = await createFriend(db, account, { displayName: "old" });
    lineFake().setProfile(account.channelId, { userId: friend.lineUserId, displayName: "新しい名前", language: "ja" });
    const response = await call(friendAction, await post(`/app/friends/${friend.id}`, { intent: "refreshProfile" }), { id: friend.id });
    expect(response.status).toBe(200);
    expect(await db.friend.findUniqueOrThrow({ where: { id: friend.id } })).toMatchObject({ displayName: "新しい名前", language: "ja" });
  });
});

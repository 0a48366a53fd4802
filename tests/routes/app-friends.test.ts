// The friends pages' loaders and actions through the real admin authentication.
import type { LineAccount } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { STALE_IMPORT_MS } from "~/friends/follower-import.server";
import { action as friendAction, loader as friendLoader } from "~/routes/app.friends.$id";
import { action as listAction, loader as listLoader } from "~/routes/app.friends._index";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { translate } from "~/i18n/messages";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";
import { followerImportQueue } from "../../jobs/queues";

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
  await followerImportQueue().obliterate({ force: true });
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

  it("answers 422 for a bad form and 404 for another shop's account, starting nothing", async () => {
    const missing = await call(listAction, await post("/app/friends?index", { intent: "import" }));
    expect(missing).toMatchObject({ status: 422, body: { errors: { lineAccountId: "friends.import.error.account" } } });
    const unknown = await call(listAction, await post("/app/friends?index", { intent: "delete-all", lineAccountId: account.id }));
    expect(unknown).toMatchObject({ status: 422, body: { errors: { intent: "friends.error.intent" } } });

    const theirs = await createLineAccount(db, "other.myshopify.com");
    const other = await call(listAction, await post("/app/friends?index", { intent: "import", lineAccountId: theirs.id }));
    expect(other).toMatchObject({ status: 404, body: { errors: { form: "friends.import.error.notFound" } } });
    expect(await db.followerImport.count()).toBe(0);
    expect(await followerImportQueue().count()).toBe(0);
  });
});

describe("importing followers in the background", () => {
  const startImport = async () => call(listAction, await post("/app/friends?index", { intent: "import", lineAccountId: account.id }));
  const latest = async () => (await call(listLoader, await adminRequest("/app/friends"))).body.imports;
  const followerCalls = () => lineFake().requests.filter((r) => r.path === "/v2/bot/followers/ids");

  it("answers at once with a running import and its job, without calling LINE", async () => {
    lineFake().channel(account.channelId).followers.push(lineUserId(), lineUserId());
    const response = await call(listAction, await post("/app/friends?index", { intent: "import", lineAccountId: account.id }));

    expect(response).toEqual({ status: 202, body: { errors: null, importId: expect.any(String) } });
    const row = await db.followerImport.findUniqueOrThrow({ where: { id: response.body.importId } });
    expect(row).toMatchObject({ shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, status: "running", imported: 0, existing: 0, finishedAt: null });
    const job = await followerImportQueue().getJob(`import-followers-${row.id}`);
    expect(job?.data).toEqual({ importId: row.id }); // the id only
    expect(await job?.getState()).toBe("waiting");
    expect(followerCalls()).toHaveLength(0);
    expect(await latest()).toEqual([expect.objectContaining({ id: row.id, lineAccountId: account.id, status: "running" })]);
  });

  it("answers a second click while one runs with 409 and a readable reason, and keeps one import", async () => {
    const first = await startImport();
    const second = await startImport();
    expect(second).toEqual({ status: 409, body: { errors: { form: "friends.import.error.running" }, importId: null } });
    expect(translate("en", second.body.errors.form)).toBe("Followers of this account are already being imported. Wait until that import finishes.");
    expect(translate("ja", second.body.errors.form)).toBe("このアカウントの友だちはすでに取り込み中です。完了するまでお待ちください。");
    expect(await db.followerImport.findMany({ select: { id: true } })).toEqual([{ id: first.body.importId }]);
    expect(await followerImportQueue().count()).toBe(1);
  });

  it("lets the worker import page by page, showing the counts as it goes, then done", async () => {
    const followers = Array.from({ length: 2345 }, () => lineUserId());
    lineFake().channel(account.channelId).followers.push(...followers);
    await createFriend(db, account, { lineUserId: followers[5] });
    lineFake().delayNext(3, 300, { path: "/v2/bot/followers/ids" }); // time to see each page's progress
    const { body } = await startImport();

    const seen = new Set<number>();
    const done = await withWorkers(() =>
      waitUntil(async () => {
        const [run] = await latest();
        seen.add(run.imported + run.existing);
        return run.status === "done" && run;
      }),
    );
    expect(done).toMatchObject({ id: body.importId, status: "done", imported: 2344, existing: 1, reason: null, detail: null });
    expect(done.finishedAt).toEqual(expect.any(String));
    expect([...seen]).toEqual(expect.arrayContaining([0, 1000, 2000, 2345]));
    expect(followerCalls().map((r) => [r.query.limit, r.status])).toEqual([["1000", 200], ["1000", 200], ["1000", 200]]);
    expect(await db.friend.count({ where: { lineAccountId: account.id, followStatus: "following" } })).toBe(2345);

    // Done, so the next click starts a new import.
    expect((await startImport()).status).toBe(202);
  });

  it("ends as failed with the reason and LINE's words when LINE answers 403", async () => {
    lineFake().channel(account.channelId).followersForbidden = true;
    expect((await startImport()).status).toBe(202);

    const failed = await withWorkers(() => waitUntil(async () => (await latest()).find((run: { status: string }) => run.status === "failed")));
    expect(failed).toMatchObject({
      status: "failed",
      reason: "friends.import.error.forbidden",
      detail: "403 Access to this API is not available for your account",
      imported: 0,
    });
    expect(followerCalls().map((r) => r.status)).toEqual([403]);
    expect(await db.friend.count()).toBe(0);
  });

  it("shows an import whose worker died as interrupted, and a new one can start", async () => {
    const { body } = await startImport();
    await db.followerImport.update({ where: { id: body.importId }, data: { imported: 3000 } });
    // Still running just under the limit…
    await db.$executeRaw`UPDATE "FollowerImport" SET "updatedAt" = now() - ${`${STALE_IMPORT_MS / 1000 - 30} seconds`}::interval`;
    expect(await latest()).toEqual([expect.objectContaining({ status: "running" })]);
    expect((await startImport()).status).toBe(409);
    // …and interrupted past it.
    await db.$executeRaw`UPDATE "FollowerImport" SET "updatedAt" = now() - ${`${STALE_IMPORT_MS / 1000 + 30} seconds`}::interval`;
    expect(await latest()).toEqual([
      expect.objectContaining({ id: body.importId, status: "failed", reason: "friends.import.error.interrupted", imported: 3000 }),
    ]);

    const again = await startImport();
    expect(again.status).toBe(202);
    expect(await latest()).toEqual([expect.objectContaining({ id: again.body.importId, status: "running" })]);
    expect(await db.followerImport.count({ where: { status: "running" } })).toBe(1);
  });

  it("lists the latest import of connected accounts only", async () => {
    const older = await db.followerImport.create({
      data: { shop: TEST_SHOP_DOMAIN, lineAccountId: account.id, status: "done", startedAt: new Date(Date.now() - 86_400_000), finishedAt: new Date() },
    });
    const { account: second } = await connectedAccount(db, TEST_SHOP_DOMAIN, { displayName: "Osaka Tea", accessToken: true });
    const newer = (await startImport()).body.importId;
    await db.followerImport.create({ data: { shop: TEST_SHOP_DOMAIN, lineAccountId: second.id, status: "done" } });
    await db.lineAccount.update({ where: { id: second.id }, data: { status: "disconnected" } });
    const theirs = await createLineAccount(db, "other.myshopify.com");
    await db.followerImport.create({ data: { shop: "other.myshopify.com", lineAccountId: theirs.id } });

    const imports = await latest();
    expect(imports.map((run: { id: string }) => run.id)).toEqual([newer]);
    expect(imports[0]).not.toHaveProperty("shop");
    expect(older.id).not.toBe(newer);
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

// The segments pages' loaders and actions through the real admin authentication: save with validation, the live
// count, delete, and a segment opened as the friends list. Another shop's ids are refused and nothing is written.
import type { LineAccount } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as friendsLoader } from "~/routes/app.friends._index";
import { action as editorAction, loader as editorLoader } from "~/routes/app.segments.$id";
import { action as listAction, loader as listLoader } from "~/routes/app.segments._index";
import { action as countAction } from "~/routes/app.segments.count";
import type { SegmentDefinition } from "~/segments/model";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount, createShop } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const OTHER = "segments-route-other.myshopify.com";
type Handler = (args: never) => Promise<unknown>;

async function call(handler: Handler, request: Request, params: Record<string, string> = {}) {
  const outcome = await handler({ request, params, context: {} } as never).catch((thrown: unknown) => thrown);
  if (!(outcome instanceof Response)) return { status: 200, body: outcome as Record<string, any> };
  return { status: outcome.status, body: (await outcome.json()) as Record<string, any> };
}

const post = async (path: string, fields: Record<string, string>) => {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  return adminRequest(path, { method: "POST", body });
};

let account: LineAccount;
let vip: string;
let theirTag: string;
let theirSegment: string;

const tagged = (tagId: string): SegmentDefinition => ({ match: "all", groups: [{ match: "all", conditions: [{ field: "tags", match: "any", tagIds: [tagId] }] }] });
const save = (id: string, name: string, definition: unknown) =>
  post(`/app/segments/${id}`, { intent: "save", name, definition: typeof definition === "string" ? definition : JSON.stringify(definition) }).then((request) =>
    call(editorAction, request, { id }),
  );
const count = async (definition: unknown) => call(countAction, await post("/app/segments/count", { definition: JSON.stringify(definition) }));

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
});

beforeEach(async () => {
  await db.segment.deleteMany();
  await db.friendTag.deleteMany();
  await db.tag.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  account = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea" });
  vip = (await db.tag.create({ data: { shop: TEST_SHOP_DOMAIN, name: "VIP" } })).id;
  for (const [name, tag, blocked] of [["Hanako", true, false], ["Taro", false, false], ["Staff-blocked", true, true]] as const) {
    const friend = await createFriend(db, account, { displayName: name, operatorBlockedAt: blocked ? new Date() : undefined });
    if (tag) await db.friendTag.create({ data: { shop: TEST_SHOP_DOMAIN, friendId: friend.id, tagId: vip } });
  }
  const theirs = await createLineAccount(db, OTHER);
  theirTag = (await db.tag.create({ data: { shop: OTHER, name: "VIP" } })).id;
  const theirFriend = await createFriend(db, theirs, { displayName: "Not ours" });
  await db.friendTag.create({ data: { shop: OTHER, friendId: theirFriend.id, tagId: theirTag } });
  theirSegment = (await db.segment.create({ data: { shop: OTHER, name: "Theirs", definition: tagged(theirTag) } })).id;
});

describe("saving", () => {
  it("creates a segment, then updates it, and lists it with its live count", async () => {
    const created = await save("new", "  VIP  ", tagged(vip));
    expect(created).toMatchObject({ status: 200, body: { ok: true, created: true, segment: { name: "VIP" } } });
    const id = created.body.segment.id as string;
    expect(await db.segment.findUniqueOrThrow({ where: { id } })).toMatchObject({ shop: TEST_SHOP_DOMAIN, name: "VIP", definition: tagged(vip) });

    const updated = await save(id, "Everyone", { match: "all", groups: [] });
    expect(updated).toMatchObject({ status: 200, body: { ok: true, created: false } });
    const listed = await call(listLoader, await adminRequest("/app/segments"));
    expect(listed.body.segments).toEqual([expect.objectContaining({ id, name: "Everyone", conditionCount: 0, friendCount: 2 })]);

    const page = await call(editorLoader, await adminRequest(`/app/segments/${id}`), { id });
    expect(page.body.segment).toEqual({ id, name: "Everyone", definition: { match: "all", groups: [] } });
    expect(page.body.options.tags).toEqual([{ id: vip, name: "VIP", color: "info" }]);
    expect(page.body.options.accounts).toEqual([{ id: account.id, displayName: "Tokyo Tea" }]);
  });

  it("answers 422 with field errors for a missing name, a taken name and an incomplete condition", async () => {
    const missing = await save("new", " ", { match: "all", groups: [{ match: "all", conditions: [{ field: "lastMessage", within: true, days: null }] }] });
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual({
      name: "segments.error.nameRequired",
      definition: "segments.error.definition",
      "groups.0.conditions.0.days": "segments.error.days",
    });
    await save("new", "VIP", tagged(vip));
    expect(await save("new", "VIP", tagged(vip))).toMatchObject({ status: 422, body: { errors: { name: "segments.error.nameTaken" } } });
    expect(await save("new", "Broken", "{not json")).toMatchObject({ status: 422, body: { errors: { definition: "segments.error.definition" } } });
    expect(await db.segment.count()).toBe(2);
  });

  it("refuses another shop's tag, account or tracking link, writing nothing", async () => {
    expect(await save("new", "Theirs too", tagged(theirTag))).toMatchObject({ status: 422, body: { errors: { definition: "segments.error.unknownTag" } } });
    const theirAccount = await db.lineAccount.findFirstOrThrow({ where: { shop: OTHER } });
    const byAccount = { match: "all", groups: [{ match: "all", conditions: [{ field: "account", accountIds: [theirAccount.id] }] }] };
    expect(await save("new", "Theirs too", byAccount)).toMatchObject({ status: 422, body: { errors: { definition: "segments.error.unknownAccount" } } });
    const link = await db.trackingLink.create({ data: { shop: OTHER, lineAccountId: theirAccount.id, code: "THEIRS01", name: "x", tagNames: [] } });
    const bySource = { match: "all", groups: [{ match: "all", conditions: [{ field: "source", match: "any", trackingLinkIds: [link.id] }] }] };
    expect(await save("new", "Theirs too", bySource)).toMatchObject({ status: 422, body: { errors: { definition: "segments.error.unknownLink" } } });
    expect(await db.segment.count({ where: { shop: TEST_SHOP_DOMAIN } })).toBe(0);
  });

  it("answers 404 for another shop's segment on the editor, its save and its delete, leaving it as it was", async () => {
    const before = await db.segment.findUniqueOrThrow({ where: { id: theirSegment } });
    expect((await call(editorLoader, await adminRequest(`/app/segments/${theirSegment}`), { id: theirSegment })).status).toBe(404);
    expect(await save(theirSegment, "Taken over", tagged(vip))).toMatchObject({ status: 404, body: { errors: { form: "segments.error.notFound" } } });
    const deleted = await call(listAction, await post("/app/segments?index", { intent: "delete", id: theirSegment }));
    expect(deleted).toMatchObject({ status: 404, body: { errors: { form: "segments.error.notFound" } } });
    expect(await db.segment.findUniqueOrThrow({ where: { id: theirSegment } })).toEqual(before);
    expect(await db.segment.count({ where: { shop: TEST_SHOP_DOMAIN } })).toBe(0);
  });

  it("deletes the shop's own segment", async () => {
    const id = (await save("new", "VIP", tagged(vip))).body.segment.id;
    expect(await call(listAction, await post("/app/segments?index", { intent: "delete", id }))).toMatchObject({ status: 200, body: { ok: true, segment: { id, name: "VIP" } } });
    expect(await db.segment.count()).toBe(1); // the other shop's
    expect((await call(listAction, await post("/app/segments?index", { intent: "rename", id }))).status).toBe(400);
  });
});

describe("a segment whose tag was deleted since", () => {
  it("still opens, and its count and save say which kind of id is gone", async () => {
    const id = (await save("new", "VIP", tagged(vip))).body.segment.id;
    await db.tag.delete({ where: { id: vip } });
    const page = await call(editorLoader, await adminRequest(`/app/segments/${id}`), { id });
    expect(page.body.segment.definition).toEqual(tagged(vip));
    expect(await count(tagged(vip))).toMatchObject({ status: 400, body: { errors: { definition: "segments.error.unknownTag" } } });
    expect(await save(id, "VIP", tagged(vip))).toMatchObject({ status: 422, body: { errors: { definition: "segments.error.unknownTag" } } });
    // The list still counts it: a deleted tag matches nobody.
    expect((await call(listLoader, await adminRequest("/app/segments"))).body.segments).toEqual([expect.objectContaining({ id, friendCount: 0 })]);
  });
});

describe("live count", () => {
  it("counts the shop's friends in the definition, never staff-blocked ones", async () => {
    expect(await count(tagged(vip))).toEqual({ status: 200, body: { ok: true, count: 1 } });
    expect(await count({ match: "all", groups: [] })).toEqual({ status: 200, body: { ok: true, count: 2 } });
  });

  it("answers 400 with a readable message for an invalid definition or another shop's tag", async () => {
    const invalid = await count({ match: "all", groups: [{ match: "all", conditions: [{ field: "tags", match: "any", tagIds: [] }] }] });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors["groups.0.conditions.0.tagIds"]).toBe("segments.error.pickOne");
    expect(invalid.body.message).toBe("Some conditions are incomplete or invalid. Choose at least one.");
    const foreign = await count(tagged(theirTag));
    expect(foreign).toMatchObject({ status: 400, body: { ok: false, message: "A tag in the conditions does not exist (it may have been deleted)." } });
  });
});

describe("friends list opened as a segment", () => {
  it("lists the segment's friends, names the segment, and combines it with the list's filters", async () => {
    const id = (await save("new", "VIP", { match: "all", groups: [] })).body.segment.id;
    const all = await call(friendsLoader, await adminRequest(`/app/friends?segment=${id}`));
    expect(all.status).toBe(200);
    expect(all.body.segment).toEqual({ id, name: "VIP" });
    // The segment leaves the staff-blocked friend out, even when the list's own filter asks for them.
    expect(all.body.friends.map((f: { displayName: string }) => f.displayName).sort()).toEqual(["Hanako", "Taro"]);
    const blocked = await call(friendsLoader, await adminRequest(`/app/friends?segment=${id}&operatorBlocked=true`));
    expect(blocked.body.friends).toEqual([]);
    const narrowed = await call(friendsLoader, await adminRequest(`/app/friends?segment=${id}&tagId=${vip}`));
    expect(narrowed.body.friends.map((f: { displayName: string }) => f.displayName)).toEqual(["Hanako"]);
  });

  it("answers 404 with a readable message for another shop's segment", async () => {
    const theirs = await call(friendsLoader, await adminRequest(`/app/friends?segment=${theirSegment}`));
    expect(theirs.status).toBe(404);
    expect(theirs.body.queryError).toBe("This segment does not exist or was deleted.");
    expect(theirs.body.friends).toEqual([]);
  });
});

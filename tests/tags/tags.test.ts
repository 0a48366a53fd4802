// Tags: validation, shop isolation, idempotent tagging, and the tags page's loader and action.
import type { PrismaClient } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action, loader } from "~/routes/app.tags";
import { sessionStorage } from "~/shopify.server";
import {
  addTagsByName,
  addTagToFriend,
  createTag,
  deleteTag,
  listTags,
  removeTagFromFriend,
  removeTagsByName,
  tagsOfFriend,
  updateTag,
} from "~/tags/tags.server";
import { createFriend, createLineAccount } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
const OTHER = "other-shop.myshopify.com";

async function tagOf(result: Awaited<ReturnType<typeof createTag>>) {
  if (!("tag" in result)) throw new Error(`expected a tag, got ${JSON.stringify(result.errors)}`);
  return result.tag;
}

async function friendIn(client: PrismaClient, shop: string) {
  return createFriend(client, await createLineAccount(client, shop));
}

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
});

beforeEach(async () => {
  await db.tag.deleteMany();
  await db.lineAccount.deleteMany();
});

describe("createTag", () => {
  it("creates a trimmed tag, blue (info) unless a colour is given", async () => {
    const vip = await tagOf(await createTag(SHOP, { name: "  VIP  " }));
    expect(vip).toMatchObject({ shop: SHOP, name: "VIP", color: "info" });
    const sale = await tagOf(await createTag(SHOP, { name: "セール", color: "critical" }));
    expect(sale.color).toBe("critical");
  });

  it("explains every invalid input with an i18n key", async () => {
    expect(await createTag(SHOP, { name: "" })).toEqual({ errors: { name: "tags.error.nameRequired" } });
    expect(await createTag(SHOP, { name: "　 " })).toEqual({ errors: { name: "tags.error.nameRequired" } });
    expect(await createTag(SHOP, { name: "x".repeat(51) })).toEqual({ errors: { name: "tags.error.nameTooLong" } });
    expect(await createTag(SHOP, { name: "ok", color: "purple" })).toEqual({ errors: { color: "tags.error.color" } });
    expect(await createTag(SHOP, { name: "", color: "purple" })).toEqual({
      errors: { name: "tags.error.nameRequired", color: "tags.error.color" },
    });
    await tagOf(await createTag(SHOP, { name: "x".repeat(50) }));
    expect(await db.tag.count()).toBe(1);
  });

  it("keeps names unique per shop, not across shops", async () => {
    await tagOf(await createTag(SHOP, { name: "VIP" }));
    expect(await createTag(SHOP, { name: " VIP" })).toEqual({ errors: { name: "tags.error.nameTaken" } });
    await tagOf(await createTag(OTHER, { name: "VIP" }));
    expect(await db.tag.count()).toBe(2);
  });
});

describe("updateTag and deleteTag", () => {
  it("renames and recolours, refusing a taken name or an unknown colour", async () => {
    const vip = await tagOf(await createTag(SHOP, { name: "VIP" }));
    await tagOf(await createTag(SHOP, { name: "Sale" }));
    expect(await tagOf(await updateTag(SHOP, vip.id, { name: "Gold", color: "warning" }))).toMatchObject({
      name: "Gold",
      color: "warning",
    });
    expect(await tagOf(await updateTag(SHOP, vip.id, { color: "new" }))).toMatchObject({ name: "Gold", color: "new" });
    expect(await updateTag(SHOP, vip.id, { name: "Sale" })).toEqual({ errors: { name: "tags.error.nameTaken" } });
    expect(await updateTag(SHOP, vip.id, { color: "pink" })).toEqual({ errors: { color: "tags.error.color" } });
    expect(await updateTag(SHOP, vip.id, { name: " " })).toEqual({ errors: { name: "tags.error.nameRequired" } });
    expect(await db.tag.findUnique({ where: { id: vip.id } })).toMatchObject({ name: "Gold", color: "new" });
  });

  it("does not let another shop rename or delete a tag", async () => {
    const vip = await tagOf(await createTag(SHOP, { name: "VIP" }));
    expect(await updateTag(OTHER, vip.id, { name: "Hacked" })).toEqual({ errors: { form: "tags.error.notFound" } });
    expect(await deleteTag(OTHER, vip.id)).toEqual({ errors: { form: "tags.error.notFound" } });
    expect(await db.tag.findUnique({ where: { id: vip.id } })).toMatchObject({ name: "VIP" });
  });

  it("deletes the tag and its friend links, and says so when it is already gone", async () => {
    const vip = await tagOf(await createTag(SHOP, { name: "VIP" }));
    const friend = await friendIn(db, SHOP);
    expect(await addTagToFriend(SHOP, friend.id, vip.id)).toBe(true);
    expect(await deleteTag(SHOP, vip.id)).toMatchObject({ tag: { id: vip.id, name: "VIP" } });
    expect(await db.friendTag.count()).toBe(0);
    expect(await db.friend.count({ where: { id: friend.id } })).toBe(1);
    expect(await deleteTag(SHOP, vip.id)).toEqual({ errors: { form: "tags.error.notFound" } });
  });
});

describe("listTags", () => {
  it("lists the shop's tags by name with how many friends carry each", async () => {
    const [vip, sale] = [
      await tagOf(await createTag(SHOP, { name: "VIP", color: "success" })),
      await tagOf(await createTag(SHOP, { name: "Sale" })),
    ];
    await tagOf(await createTag(SHOP, { name: "Empty" }));
    await tagOf(await createTag(OTHER, { name: "Elsewhere" }));
    const [a, b] = [await friendIn(db, SHOP), await friendIn(db, SHOP)];
    await addTagToFriend(SHOP, a.id, vip.id);
    await addTagToFriend(SHOP, b.id, vip.id);
    await addTagToFriend(SHOP, a.id, sale.id);

    expect(await listTags(SHOP)).toEqual([
      { id: expect.any(String), name: "Empty", color: "info", friendCount: 0, mirrorToShopify: false },
      { id: sale.id, name: "Sale", color: "info", friendCount: 1, mirrorToShopify: false },
      { id: vip.id, name: "VIP", color: "success", friendCount: 2, mirrorToShopify: false },
    ]);
  });
});

describe("tagging one friend", () => {
  it("adds and removes idempotently, keeping the first source", async () => {
    const vip = await tagOf(await createTag(SHOP, { name: "VIP" }));
    const friend = await friendIn(db, SHOP);
    expect(await addTagToFriend(SHOP, friend.id, vip.id, "postback")).toBe(true);
    expect(await addTagToFriend(SHOP, friend.id, vip.id)).toBe(true);
    expect(await db.friendTag.findMany()).toEqual([
      expect.objectContaining({ friendId: friend.id, shop: SHOP, source: "postback" }),
    ]);
    expect(await removeTagFromFriend(SHOP, friend.id, vip.id)).toBe(true);
    expect(await removeTagFromFriend(SHOP, friend.id, vip.id)).toBe(true);
    expect(await db.friendTag.count()).toBe(0);
  });

  it("refuses a friend or a tag of another shop", async () => {
    const mine = await tagOf(await createTag(SHOP, { name: "VIP" }));
    const theirs = await tagOf(await createTag(OTHER, { name: "VIP" }));
    const myFriend = await friendIn(db, SHOP);
    const theirFriend = await friendIn(db, OTHER);

    expect(await addTagToFriend(SHOP, theirFriend.id, mine.id)).toBe(false);
    expect(await addTagToFriend(SHOP, myFriend.id, theirs.id)).toBe(false);
    expect(await addTagToFriend(OTHER, myFriend.id, mine.id)).toBe(false);
    expect(await addTagToFriend(SHOP, "no-such-friend", mine.id)).toBe(false);
    expect(await db.friendTag.count()).toBe(0);

    await addTagToFriend(SHOP, myFriend.id, mine.id);
    expect(await removeTagFromFriend(OTHER, myFriend.id, mine.id)).toBe(false);
    expect(await db.friendTag.count()).toBe(1);
  });
});

describe("tagging by name", () => {
  it("creates missing tags in blue, reuses existing ones, and is idempotent", async () => {
    const existing = await tagOf(await createTag(SHOP, { name: "VIP", color: "success" }));
    const friend = await friendIn(db, SHOP);

    const applied = await addTagsByName(friend, [" VIP", "セール", "セール", "", "x".repeat(51)], "postback");
    expect(applied.map((tag) => [tag.name, tag.color])).toEqual([
      ["VIP", "success"],
      ["セール", "info"],
    ]);
    expect(applied[0].id).toBe(existing.id);
    await addTagsByName(friend, ["VIP", "セール"], "link");
    expect(await db.tag.count({ where: { shop: SHOP } })).toBe(2);
    expect(await tagsOfFriend(friend.id)).toEqual([
      expect.objectContaining({ name: "VIP", color: "success", source: "postback" }),
      expect.objectContaining({ name: "セール", color: "info", source: "postback" }),
    ]);
  });

  it("stays inside the friend's shop", async () => {
    const theirs = await tagOf(await createTag(OTHER, { name: "VIP", color: "critical" }));
    const theirFriend = await friendIn(db, OTHER);
    await addTagToFriend(OTHER, theirFriend.id, theirs.id);
    const friend = await friendIn(db, SHOP);

    const [mine] = await addTagsByName(friend, ["VIP"], "form");
    expect(mine.id).not.toBe(theirs.id);
    expect(mine).toMatchObject({ shop: SHOP, color: "info" });

    expect(await removeTagsByName(friend, ["VIP"])).toBe(1);
    expect(await db.friendTag.count({ where: { friendId: theirFriend.id } })).toBe(1);
  });

  it("removes only the named tags, ignoring unknown names", async () => {
    const friend = await friendIn(db, SHOP);
    await addTagsByName(friend, ["A", "B", "C"], "postback");
    expect(await removeTagsByName(friend, ["B", "nope", " C "])).toBe(2);
    expect(await removeTagsByName(friend, ["B"])).toBe(0);
    expect((await tagsOfFriend(friend.id)).map((tag) => tag.name)).toEqual(["A"]);
    expect(await db.tag.count()).toBe(3);
  });
});

describe("tags page", () => {
  const call = <T>(fn: (args: never) => Promise<T>, request: Request) =>
    fn({ request, params: {}, context: {} } as never);

  async function post(fields: Record<string, string>, shop = SHOP) {
    const body = new FormData();
    for (const [key, value] of Object.entries(fields)) body.set(key, value);
    const response = (await call(action, await adminRequest("/app/tags", { method: "POST", body, shop }))) as Response;
    return { status: response.status, body: await response.json() };
  }

  it("lists tags with friend counts and the colours", async () => {
    const vip = await tagOf(await createTag(SHOP, { name: "VIP", color: "success" }));
    await addTagToFriend(SHOP, (await friendIn(db, SHOP)).id, vip.id);
    await createTag(OTHER, { name: "Not mine" });
    const data = await call(loader, await adminRequest("/app/tags"));
    expect(data.tags).toEqual([{ id: vip.id, name: "VIP", color: "success", friendCount: 1, mirrorToShopify: false }]);
    expect(data.colors).toContain("attention");
  });

  it("creates, renames, recolours and deletes through the action", async () => {
    const created = await post({ intent: "create", name: "VIP", color: "warning" });
    expect(created).toMatchObject({ status: 200, body: { ok: true, tag: { name: "VIP" } } });
    const id = created.body.tag.id;
    expect(await post({ intent: "update", id, name: "Gold", color: "new" })).toMatchObject({ status: 200 });
    expect(await db.tag.findUnique({ where: { id } })).toMatchObject({ name: "Gold", color: "new" });
    expect(await post({ intent: "delete", id })).toMatchObject({ status: 200, body: { ok: true } });
    expect(await db.tag.count()).toBe(0);
  });

  it("answers 422 with field errors, 404 for another shop's tag, 400 for an unknown intent", async () => {
    await createTag(SHOP, { name: "VIP" });
    expect(await post({ intent: "create", name: "VIP" })).toEqual({
      status: 422,
      body: { ok: false, errors: { name: "tags.error.nameTaken" } },
    });
    expect(await post({ intent: "create", name: "", color: "pink" })).toEqual({
      status: 422,
      body: { ok: false, errors: { name: "tags.error.nameRequired", color: "tags.error.color" } },
    });
    const theirs = await tagOf(await createTag(OTHER, { name: "Theirs" }));
    expect(await post({ intent: "delete", id: theirs.id })).toMatchObject({ status: 404 });
    expect(await post({ intent: "update", id: theirs.id, name: "Mine now" })).toMatchObject({ status: 404 });
    expect(await db.tag.findUnique({ where: { id: theirs.id } })).toMatchObject({ name: "Theirs" });
    expect(await post({ intent: "explode" })).toMatchObject({ status: 400 });
  });
});

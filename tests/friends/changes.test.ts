// The one "friend changed" path: every way a friend's tags or status change announces it once, after it is stored.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { friendsChanged, onFriendChange, type FriendChange } from "~/friends/changes.server";
import { blockFriend } from "~/friends/friends.server";
import { addTagsByName, addTagToFriend, createTag, removeTagFromFriend, removeTagsByName } from "~/tags/tags.server";
import { createFriend, createLineAccount } from "../support/factories";
import { TEST_SHOP_DOMAIN } from "../support/shopify";

const SHOP = TEST_SHOP_DOMAIN;
let heard: { shop: string; friendIds: string[]; change: FriendChange }[] = [];
let failing = false;
onFriendChange("test", async (shop, friendIds, change) => {
  heard.push({ shop, friendIds, change });
  if (failing) throw new Error("listener down");
});

beforeEach(() => {
  heard = [];
  failing = false;
});
afterEach(() => {
  failing = false;
});

async function friend() {
  return createFriend(db, await createLineAccount(db, SHOP));
}

describe("friend changes", () => {
  it("announces tags added by hand once, and not when the friend already had the tag", async () => {
    const f = await friend();
    const created = await createTag(SHOP, { name: "VIP" });
    if (!("tag" in created)) throw new Error("no tag");
    await addTagToFriend(SHOP, f.id, created.tag.id);
    await addTagToFriend(SHOP, f.id, created.tag.id);
    expect(heard.map((h) => h.change)).toEqual([{ type: "tagsAdded", tagIds: [created.tag.id], source: "manual" }]);
    await removeTagFromFriend(SHOP, f.id, created.tag.id);
    await removeTagFromFriend(SHOP, f.id, created.tag.id);
    expect(heard.map((h) => h.change.type)).toEqual(["tagsAdded", "tagsRemoved"]);
    expect(heard.every((h) => h.shop === SHOP && h.friendIds[0] === f.id)).toBe(true);
  });

  it("announces only the tags a friend did not have when tagging by name, with where they came from", async () => {
    const f = await friend();
    await addTagsByName(f, ["A"], "postback");
    const tags = await addTagsByName(f, ["A", "B"], "postback");
    const b = tags.find((t) => t.name === "B")!;
    expect(heard.map((h) => h.change)).toEqual([
      { type: "tagsAdded", tagIds: [tags.find((t) => t.name === "A")!.id], source: "postback" },
      { type: "tagsAdded", tagIds: [b.id], source: "postback" },
    ]);
    heard = [];
    await removeTagsByName(f, ["B", "unknown"], "postback");
    await removeTagsByName(f, ["B"], "postback");
    expect(heard.map((h) => h.change)).toEqual([{ type: "tagsRemoved", tagIds: [b.id], source: "postback" }]);
  });

  it("announces a staff block once", async () => {
    const f = await friend();
    await blockFriend(SHOP, f.id);
    await blockFriend(SHOP, f.id);
    expect(heard.map((h) => h.change)).toEqual([{ type: "staffBlocked" }]);
  });

  it("runs every listener and then rethrows a failure, so the caller's job retries", async () => {
    const f = await friend();
    const later: string[] = [];
    onFriendChange("test-later", async (_shop, ids) => {
      later.push(...ids);
    });
    failing = true;
    await expect(friendsChanged(SHOP, [f.id], { type: "staffBlocked" })).rejects.toThrow("listener down");
    expect(later).toEqual([f.id]);
  });
});

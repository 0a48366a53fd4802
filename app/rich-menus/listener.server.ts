// Rich menus listen to friend changes: a tag added or removed (by hand, postback, broadcast, step, form or link)
// marks the friend's menu to be recomputed when a rule uses one of the tags; a refollow checks the friend's link.
import { onFriendChange } from "../friends/changes.server";
import { markFriendsDirty, markTagChange } from "./sync.server";

onFriendChange("rich-menus", async (shop, friendIds, change) => {
  if (change.type === "tagsAdded" || change.type === "tagsRemoved") await markTagChange(shop, friendIds, change.tagIds);
  else if (change.type === "followed" && change.refollow) await markFriendsDirty(shop, friendIds);
});

import { removeTagsByName, addTagsByName } from "../../tags/tags.server";
import { friendOf } from "./friend-status.server";
import { storableText } from "../../stored-json";
import { payloadOf, type StoredEvent } from "./types";

/**
 * postback: actions carried in the data of rich-menu or message buttons, as a query string:
 * `action=tag-add&tag=VIP&tag=Sale` or `action=tag-remove&tag=VIP`. Other data is kept and ignored.
 */
export async function handlePostback(event: StoredEvent) {
  const payload = payloadOf(event);
  if (!event.lineUserId || !payload.postback) return "not-from-a-user";
  const params = new URLSearchParams(payload.postback.data);
  // A tag name is a text column: a character it cannot hold (sent as %00) becomes the replacement character.
  const tags = params.getAll("tag").map((tag) => storableText(tag.trim())).filter(Boolean);
  const action = params.get("action");
  if (!tags.length || (action !== "tag-add" && action !== "tag-remove")) return "ignored";

  const friend = await friendOf(event.lineAccount, event.lineUserId);
  if (friend.operatorBlockedAt) return "operator-blocked";
  if (action === "tag-add") await addTagsByName(friend, tags, "postback");
  else await removeTagsByName(friend, tags, "postback");
  return action;
}

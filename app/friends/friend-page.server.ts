// The friend page's data and actions (app/routes/app.friends.$id.tsx only authenticates and answers).
import { z } from "zod";
import { setTester } from "../broadcasts/broadcasts.server";
import { replyModeFor, retryStaffMessage, sendStaffMessage } from "../chat/chat.server";
import { customerView } from "../customers/customer-view.server";
import { friendAnswers } from "../forms/pages.server";
import { menuOfFriend } from "../rich-menus/rich-menus.server";
import { friendRunsSection } from "../scenarios/pages.server";
import { ensureShop } from "../shops/shops.server";
import { addTagToFriend, listTags, removeTagFromFriend } from "../tags/tags.server";
import { blockFriend, getFriend, unblockFriend } from "./friends.server";
import { refreshProfile } from "./import.server";

/** What the friend page shows; null when the friend is not the shop's. */
export async function friendPageData(shop: string, friendId: string) {
  const [friend, shopRow, tags] = await Promise.all([getFriend(shop, friendId), ensureShop(shop), listTags(shop)]);
  if (!friend) return null;
  const { lineUserId: _private, ...shown } = friend;
  return {
    friend: shown,
    reply: await replyModeFor(friend),
    tags,
    timeZone: shopRow.timeZone,
    scenarioRuns: await friendRunsSection(shop, friend.id),
    customer: await customerView(shop, friend.shopifyCustomerId),
    richMenu: await menuOfFriend(shop, friend.id),
    formAnswers: await friendAnswers(shop, friend.id),
  };
}

export type FriendPageData = NonNullable<Awaited<ReturnType<typeof friendPageData>>>;

const actionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("send"), text: z.string().default("") }),
    z.object({ intent: z.literal("retry"), messageId: z.string("friends.error.notFound").min(1, "friends.error.notFound") }),
    z.object({ intent: z.literal("block") }),
    z.object({ intent: z.literal("unblock") }),
    z.object({ intent: z.literal("addTag"), tagId: z.string("friends.tags.error.choose").min(1, "friends.tags.error.choose") }),
    z.object({ intent: z.literal("removeTag"), tagId: z.string("friends.tags.error.choose").min(1, "friends.tags.error.choose") }),
    z.object({ intent: z.literal("refreshProfile") }),
    z.object({ intent: z.literal("tester"), on: z.enum(["1", "0"]) }),
  ],
  { error: "friends.error.intent" },
);

export type FriendActionData = { ok: boolean; intent: string; errors?: Record<string, string>; detail?: string; sentVia?: string };

function answer(data: FriendActionData, status = 200): [FriendActionData, number] {
  return [data, status];
}

/** The friend page's actions, for a friend of the shop (the route checked it); `staff` is who sends messages. */
export async function friendPageAction(shop: string, friendId: string, form: FormData, staff: string) {
  const parsed = actionSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const errors = Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0] ?? "intent"), issue.message]));
    return answer({ ok: false, intent: "invalid", errors }, 422);
  }
  const input = parsed.data;
  switch (input.intent) {
    case "send":
    case "retry": {
      const result =
        input.intent === "send"
          ? await sendStaffMessage(shop, friendId, input.text, staff)
          : await retryStaffMessage(shop, input.messageId);
      if (result.ok) return answer({ ok: true, intent: input.intent, sentVia: result.sentVia });
      const field = result.reason.startsWith("friends.chat.error.empty") || result.reason.startsWith("friends.chat.error.tooLong") ? "text" : "form";
      const status = result.reason === "friends.error.notFound" ? 404 : 422;
      return answer({ ok: false, intent: input.intent, errors: { [field]: result.reason }, detail: result.detail }, status);
    }
    case "block":
    case "unblock":
      await (input.intent === "block" ? blockFriend(shop, friendId) : unblockFriend(shop, friendId));
      return answer({ ok: true, intent: input.intent });
    case "addTag":
    case "removeTag": {
      const done = await (input.intent === "addTag"
        ? addTagToFriend(shop, friendId, input.tagId)
        : removeTagFromFriend(shop, friendId, input.tagId));
      return done
        ? answer({ ok: true, intent: input.intent })
        : answer({ ok: false, intent: input.intent, errors: { tagId: "friends.tags.error.notFound" } }, 422);
    }
    case "tester":
      return (await setTester(shop, friendId, input.on === "1"))
        ? answer({ ok: true, intent: input.intent })
        : answer({ ok: false, intent: input.intent, errors: { form: "friends.error.notFound" } }, 404);
    case "refreshProfile": {
      const result = await refreshProfile(shop, friendId);
      return "ok" in result
        ? answer({ ok: true, intent: input.intent })
        : answer({ ok: false, intent: input.intent, errors: { form: result.reason }, detail: result.detail }, 422);
    }
  }
}

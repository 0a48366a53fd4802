import { greetingToSend } from "../../greeting/greeting.server";
import { friendsChanged } from "../../friends/changes.server";
import { logger } from "../../logger.server";
import { recordPendingSources } from "../../sources/sources.server";
import { callLine, lineErrorMessage } from "../client.server";
import { recordFollowStatus, type LineProfile } from "./friend-status.server";
import { replyAndRecord } from "./replies.server";
import { payloadOf, type StoredEvent } from "./types";

/** follow: the friend is (again) following; their profile is refreshed and the greeting answers by reply. */
export async function handleFollow(event: StoredEvent) {
  const account = event.lineAccount;
  const userId = event.lineUserId;
  if (!userId) return "no-user";
  // The profile is read first so that the status and the profile are one write.
  const profile = await readProfile(event, userId);
  const { friend, applied } = await recordFollowStatus(account, userId, "following", event.occurredAt, profile);
  if (!applied) return "stale";
  // Announced again when a retry applies the same event: listeners key their work on the event id.
  const refollow = friend.unfollowedAt !== null && friend.unfollowedAt < event.occurredAt;
  await friendsChanged(account.shop, [friend.id], { type: "followed", refollow, eventId: event.webhookEventId });

  // A shopper who linked through a tracking link before following gets that source now.
  await recordPendingSources(friend);
  if (friend.operatorBlockedAt) return "operator-blocked";
  const greeting = await greetingToSend(account.id);
  const replyToken = payloadOf(event).replyToken;
  if (!greeting || !replyToken) return "followed";
  const outcome = await replyAndRecord(account, friend, replyToken, greeting, { eventId: event.webhookEventId, sentBy: "greeting" });
  return outcome === "sent" || outcome === "already-sent" ? "greeted" : `greeting-${outcome}`;
}

/** unfollow: the user blocked the account. Nothing is sent to them from now on (app/messaging/rules.server.ts checks). */
export async function handleUnfollow(event: StoredEvent) {
  if (!event.lineUserId) return "no-user";
  const { friend, applied } = await recordFollowStatus(event.lineAccount, event.lineUserId, "blocked", event.occurredAt);
  if (applied) await friendsChanged(friend.shop, [friend.id], { type: "blocked" });
  return applied ? "blocked" : "stale";
}

async function readProfile(event: StoredEvent, userId: string): Promise<LineProfile | null> {
  try {
    return await callLine(event.lineAccount, ({ messaging }) => messaging.getProfile(userId));
  } catch (error) {
    // The friend is recorded either way; the profile can be refreshed from the friend page later.
    logger.warn("profile not fetched", { accountId: event.lineAccountId, eventId: event.id, error: lineErrorMessage(error) });
    return null;
  }
}

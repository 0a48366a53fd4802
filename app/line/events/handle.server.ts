import { handleFollow, handleUnfollow } from "./follow.server";
import { handleMessage } from "./message.server";
import { handlePostback } from "./postback.server";
import type { StoredEvent } from "./types";

const handlers: Record<string, (event: StoredEvent) => Promise<string>> = {
  follow: handleFollow,
  unfollow: handleUnfollow,
  message: handleMessage,
  postback: handlePostback,
};

/** Runs the handler for the event's type; other types (join, beacon, …) are stored and otherwise ignored. */
export async function handleLineEvent(event: StoredEvent): Promise<string> {
  const handler = handlers[event.type];
  return handler ? handler(event) : "ignored";
}

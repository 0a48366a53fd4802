// The only requests to LINE's sending endpoints in the product (tests/messaging/guard.test.ts holds that).
import { HTTPFetchError } from "@line/bot-sdk";
import { postLine } from "../line/client.server";
import type { TokenSource } from "../line/tokens.server";
import type { DeliveryChannel, LineMessage } from "./types";

export type SendRequest = {
  channel: DeliveryChannel;
  recipients: string[];
  messages: LineMessage[];
  retryKey: string | null;
  replyToken: string | null;
};

/** LINE took the request: its x-line-request-id (of the earlier request, when a retry key was already accepted). */
export type Accepted = { requestId: string | null; alreadyAccepted: boolean };

export async function requestLine(account: TokenSource, request: SendRequest): Promise<Accepted> {
  const { channel, recipients, messages } = request;
  const retryKey = request.retryKey ?? undefined;
  try {
    // The client's lean POST (client.server.ts, postLine) with the bodies and headers the SDK would send.
    const { headers } =
      channel === "reply"
        ? await postLine(account, "/v2/bot/message/reply", { replyToken: request.replyToken ?? "", messages })
        : await postLine(
            account,
            `/v2/bot/message/${channel}`,
            channel === "push" ? { to: recipients[0], messages } : { to: recipients, messages },
            retryKey ? { "X-Line-Retry-Key": retryKey } : {},
          );
    return { requestId: headers.get("x-line-request-id"), alreadyAccepted: false };
  } catch (error) {
    // A 409 to a request with a retry key: an earlier attempt with this key reached LINE, which took it once.
    if (retryKey && error instanceof HTTPFetchError && error.status === 409) {
      const headers = error.headers as Headers | undefined;
      return {
        requestId: headers?.get?.("x-line-accepted-request-id") ?? null,
        alreadyAccepted: true,
      };
    }
    throw error;
  }
}

/** LINE's answer to a reply whose token was used already (or has expired). */
export function isInvalidReplyToken(error: unknown): boolean {
  const { status, body } = error as { status?: number; body?: unknown };
  return (
    status === 400 &&
    typeof body === "string" &&
    /invalid reply token/i.test(body)
  );
}

// The only requests to LINE's sending endpoints in the product (tests/messaging/guard.test.ts holds that).
import { HTTPFetchError } from "@line/bot-sdk";
import { postLine } from "../line/client.server";
import type { TokenSource } from "../line/tokens.server";
import type { DeliveryChannel } from "./types";

export type SendRequest = {
  channel: DeliveryChannel;
  recipients: string[];
  /** The messages array as JSON text (the delivery's row holds it so). */
  messagesJson: string;
  retryKey: string | null;
  replyToken: string | null;
  /** Sent as customAggregationUnits (push and multicast only), so LINE aggregates the request's statistics. */
  aggregationUnit?: string | null;
};

/** LINE took the request: its x-line-request-id (of the earlier request, when a retry key was already accepted). */
export type Accepted = { requestId: string | null; alreadyAccepted: boolean };

export async function requestLine(account: TokenSource, request: SendRequest): Promise<Accepted> {
  const { channel, recipients, messagesJson } = request;
  const units = request.aggregationUnit ? { customAggregationUnits: [request.aggregationUnit] } : {};
  const retryKey = request.retryKey ?? undefined;
  // The bodies the SDK would send, written around the stored JSON instead of parsing and writing it again.
  const body = (head: Record<string, unknown>) => `${JSON.stringify(head).slice(0, -1)},"messages":${messagesJson}}`;
  try {
    const { headers } =
      channel === "reply"
        ? await postLine(account, "/v2/bot/message/reply", body({ replyToken: request.replyToken ?? "" }))
        : await postLine(
            account,
            `/v2/bot/message/${channel}`,
            body({ to: channel === "push" ? recipients[0] : recipients, ...units }),
            retryKey ? { "X-Line-Retry-Key": retryKey } : {},
          );
    return { requestId: headers.get("x-line-request-id"), alreadyAccepted: false };
  } catch (error) {
    // A 409 to a request with a retry key: an earlier attempt with this key reached LINE, which took it once.
    if (retryKey && error instanceof HTTPFetchError && error.status === 409) {
      const headers = error.headers as Headers | undefined;
      return { requestId: headers?.get?.("x-line-accepted-request-id") ?? null, alreadyAccepted: true };
    }
    throw error;
  }
}

/** LINE's answer to a reply whose token was used already (or has expired). */
export function isInvalidReplyToken(error: unknown): boolean {
  const { status, body } = error as { status?: number; body?: unknown };
  return status === 400 && typeof body === "string" && /invalid reply token/i.test(body);
}

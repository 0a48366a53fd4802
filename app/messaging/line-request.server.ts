// The only requests to LINE's sending endpoints in the product (tests/messaging/guard.test.ts holds that).
import { HTTPFetchError } from "@line/bot-sdk";
import { callLine } from "../line/client.server";
import type { TokenSource } from "../line/tokens.server";
import type { DeliveryChannel, LineMessage } from "./types";

export type SendRequest = {
  channel: DeliveryChannel;
  recipients: string[];
  messages: LineMessage[];
  retryKey: string | null;
  replyToken: string | null;
  /** Sent as customAggregationUnits (push and multicast only), so LINE aggregates the request's statistics. */
  aggregationUnit?: string | null;
};

/** LINE took the request: its x-line-request-id (of the earlier request, when a retry key was already accepted). */
export type Accepted = { requestId: string | null; alreadyAccepted: boolean };

export async function requestLine(account: TokenSource, request: SendRequest): Promise<Accepted> {
  const { channel, recipients, messages } = request;
  const units = request.aggregationUnit ? { customAggregationUnits: [request.aggregationUnit] } : {};
  const retryKey = request.retryKey ?? undefined;
  try {
    const { httpResponse } = await callLine(account, ({ messaging }) => {
      if (channel === "push") return messaging.pushMessageWithHttpInfo({ to: recipients[0], messages, ...units }, retryKey);
      if (channel === "multicast") return messaging.multicastWithHttpInfo({ to: recipients, messages, ...units }, retryKey);
      return messaging.replyMessageWithHttpInfo({ replyToken: request.replyToken ?? "", messages });
    });
    return { requestId: httpResponse.headers.get("x-line-request-id"), alreadyAccepted: false };
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

// The one place that builds LINE clients. Callers hand it an account and a function of the client;
// it supplies the token, refreshes it once on a 401, and bounds every call with a timeout.
import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import { env } from "../env.server";
import { PermanentError } from "../errors";
import { accessTokenFor, forgetToken, type TokenSource } from "./tokens.server";

export type LineClients = {
  messaging: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
};

export const LINE_TIMEOUT_MS = 10_000;

export class LineTimeoutError extends Error {
  override name = "LineTimeoutError";
}

function clientsFor(channelAccessToken: string): LineClients {
  return {
    messaging: new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: env.LINE_API_BASE_URL }),
    blob: new messagingApi.MessagingApiBlobClient({ channelAccessToken, baseURL: env.LINE_DATA_API_BASE_URL }),
  };
}

// The SDK's fetch takes no signal; the call is abandoned (not aborted) after the timeout. Sends carry a
// retry key, so a retry after an abandoned call that did reach LINE gets a 409, never a second message.
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LineTimeoutError(`LINE did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export async function callLine<T>(
  account: TokenSource,
  call: (clients: LineClients) => Promise<T>,
  timeoutMs = LINE_TIMEOUT_MS,
): Promise<T> {
  try {
    return await withTimeout(call(clientsFor(await accessTokenFor(account))), timeoutMs);
  } catch (error) {
    if (!(error instanceof HTTPFetchError) || error.status !== 401) throw error;
    await forgetToken(account.id);
    return withTimeout(call(clientsFor(await accessTokenFor(account))), timeoutMs);
  }
}

/** LINE's error message from a failed call, for people and for the database (never contains secrets). */
export function lineErrorMessage(error: unknown): string {
  if (error instanceof HTTPFetchError) {
    try {
      const body = JSON.parse(error.body) as { message?: string; error_description?: string; details?: { message: string; property?: string }[] };
      const details = body.details?.map((d) => (d.property ? `${d.property}: ${d.message}` : d.message)).join("; ");
      return [`${error.status}`, body.message ?? body.error_description, details].filter(Boolean).join(" ");
    } catch {
      return `${error.status} ${error.statusText}`;
    }
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * How a job should treat a failed LINE call: 400/403/404 cannot succeed by retrying; 429 and 5xx and timeouts
 * can. A 429 with "monthly limit" is quota exhaustion, which waits for the merchant, not for a retry.
 */
export function classifyLineError(error: unknown): "permanent" | "quota" | "rate-limited" | "retry" {
  if (error instanceof HTTPFetchError) {
    if (error.status === 429) return /monthly limit/i.test(error.body) ? "quota" : "rate-limited";
    if (error.status >= 500) return "retry";
    return "permanent";
  }
  return "retry"; // network failures and timeouts
}

export function asJobError(error: unknown): Error {
  return classifyLineError(error) === "permanent" ? new PermanentError(lineErrorMessage(error)) : (error as Error);
}

// The one place that builds LINE clients. Callers hand it an account and a function of the client;
// it supplies the token, refreshes it once on a 401, and bounds every call with a timeout.
import { AsyncLocalStorage } from "node:async_hooks";
import { HTTPFetchError, insight, messagingApi } from "@line/bot-sdk";
import { env } from "../env.server";
import { PermanentError } from "../errors";
import { accessTokenFor, forgetToken, type TokenSource } from "./tokens.server";

export type LineClients = {
  messaging: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
  insight: insight.InsightClient;
};

export class LineTimeoutError extends Error {
  override name = "LineTimeoutError";
}

function clientsFor(channelAccessToken: string): LineClients {
  return {
    messaging: new messagingApi.MessagingApiClient({ channelAccessToken, baseURL: env.LINE_API_BASE_URL }),
    blob: new messagingApi.MessagingApiBlobClient({ channelAccessToken, baseURL: env.LINE_DATA_API_BASE_URL }),
    insight: new insight.InsightClient({ channelAccessToken, baseURL: env.LINE_API_BASE_URL }),
  };
}

// The SDK (11.x) calls the global fetch and takes no AbortSignal. A call given up on must really end (its socket
// closed, its body no longer read), so the signal of the call in progress travels in async context to a fetch
// that adds it. Outside callLine there is no signal and every request goes through unchanged.
declare global {
  // Survives module reloads in development, so fetch is wrapped once.
  var lineCallSignal: AsyncLocalStorage<AbortSignal> | undefined;
}
const callSignal = globalThis.lineCallSignal ?? installCallSignal();

function installCallSignal() {
  const storage = (globalThis.lineCallSignal = new AsyncLocalStorage<AbortSignal>());
  const platformFetch = globalThis.fetch;
  globalThis.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const signal = storage.getStore();
    return platformFetch(input, signal && !init?.signal ? { ...init, signal } : init);
  };
  return storage;
}

/** One call, aborted when it takes longer than `timeoutMs`: a retry never races an abandoned request. */
async function attempt<T>(account: TokenSource, call: (clients: LineClients) => Promise<T>, timeoutMs: number): Promise<T> {
  // The token is read outside the call's signal: issuing one is shared by concurrent callers of the account.
  const clients = clientsFor(await accessTokenFor(account));
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new LineTimeoutError(`LINE did not answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    return await callSignal.run(controller.signal, () => call(clients));
  } catch (error) {
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(timer);
  }
}

export async function callLine<T>(
  account: TokenSource,
  call: (clients: LineClients) => Promise<T>,
  timeoutMs = env.LINE_TIMEOUT_MS,
): Promise<T> {
  try {
    return await attempt(account, call, timeoutMs);
  } catch (error) {
    if (!(error instanceof HTTPFetchError) || error.status !== 401) throw error;
    await forgetToken(account.id);
    return attempt(account, call, timeoutMs);
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
  // A send the sending rules refused (send.server.ts) cannot succeed by retrying either.
  if ((error as Error | null)?.name === "SendRefusedError") return "permanent";
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

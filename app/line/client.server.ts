// The one place that talks to LINE. Two entries: `callLine` for Messaging API and data API calls made with a
// channel's bot token (supplied, refreshed once on a 401), and `callLinePlatform` for calls that authenticate
// otherwise (issuing channel access tokens from the channel ID and secret, verifying LINE Login ID tokens). Both
// bound every call with the same timeout, abort a call given up on, fail with the same errors (HTTPFetchError for
// LINE's answers, LineTimeoutError, the platform's TypeError for the network) and log LINE's answer to a failure.
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import https from "node:https";
import { channelAccessToken, HTTPFetchError, insight, messagingApi } from "@line/bot-sdk";
import { env } from "../env.server";
import { PermanentError } from "../errors";
import { logger } from "../logger.server";
import { noteTokenRevoked, noteTokenWorks } from "./token-health.server";
import { cachedAccessToken, forgetToken, type TokenSource } from "./tokens.server";

export type LineClients = {
  messaging: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
  insight: insight.InsightClient;
};

export type LinePlatformClients = {
  tokens: channelAccessToken.ChannelAccessTokenClient;
  login: { verifyIdToken(idToken: string, loginChannelId: string): Promise<unknown> };
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

function platformClients(): LinePlatformClients {
  return {
    tokens: new channelAccessToken.ChannelAccessTokenClient({ baseURL: env.LINE_API_BASE_URL }),
    login: { verifyIdToken },
  };
}

// LINE Login's verify endpoint has no client in the SDK; it fails like the SDK's clients do.
async function verifyIdToken(idToken: string, loginChannelId: string): Promise<unknown> {
  const response = await fetch(new URL("/oauth2/v2.1/verify", env.LINE_API_BASE_URL), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ id_token: idToken, client_id: loginChannelId }),
  });
  const body = await response.text();
  if (!response.ok) {
    const { status, statusText, headers } = response;
    throw new HTTPFetchError(`${status} - ${statusText}`, { status, statusText, headers, body });
  }
  return JSON.parse(body) as unknown;
}

// The SDK (11.x) calls the global fetch and takes no AbortSignal. A call given up on must really end (its socket
// closed, its body no longer read), so the signal of the call in progress travels in async context to a fetch
// that adds it, and notes LINE's answer for the log. Outside a call every request goes through unchanged.
type CallContext = { signal: AbortSignal; answer?: { method: string; path: string; status: number; requestId: string | null } };

declare global {
  // Survives module reloads in development, so fetch is wrapped once.
  var lineCallContext: AsyncLocalStorage<CallContext> | undefined;
}
const callContext = globalThis.lineCallContext ?? installCallContext();

function installCallContext() {
  const storage = (globalThis.lineCallContext = new AsyncLocalStorage<CallContext>());
  const platformFetch = globalThis.fetch;
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const context = storage.getStore();
    if (!context) return platformFetch(input, init);
    const response = await platformFetch(input, init?.signal ? init : { ...init, signal: context.signal });
    const url = new URL(input instanceof Request ? input.url : input);
    context.answer = {
      method: init?.method ?? "GET",
      path: url.pathname.replace(/U[0-9a-f]{32}/g, "U…"), // user ids stay out of the log
      status: response.status,
      requestId: response.headers.get("x-line-request-id"),
    };
    return response;
  };
  return storage;
}

/** One call, aborted when it takes longer than `timeoutMs`: a retry never races an abandoned request. */
async function bounded<T>(call: () => Promise<T>, timeoutMs: number, fields: Record<string, unknown>): Promise<T> {
  const controller = new AbortController();
  const context: CallContext = { signal: controller.signal };
  const started = Date.now();
  const timer = setTimeout(() => controller.abort(new LineTimeoutError(`LINE did not answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    return await callContext.run(context, call);
  } catch (caught) {
    const error: unknown = controller.signal.aborted ? controller.signal.reason : caught;
    logFailure(error, context, { ...fields, ms: Date.now() - started });
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

// What LINE asks developers to record for a failed request: endpoint, status, LINE's message, x-line-request-id.
function logFailure(error: unknown, context: CallContext, fields: Record<string, unknown>) {
  const status = error instanceof HTTPFetchError ? error.status : undefined;
  const entry = {
    ...fields,
    ...context.answer,
    status,
    errorName: error instanceof Error ? error.name : typeof error,
    error: lineErrorMessage(error),
  };
  // 409 is LINE confirming an earlier attempt with the same retry key: an outcome, not a fault.
  (status === 409 ? logger.info : logger.warn)("LINE call failed", entry);
}

/** A Messaging API call with a given bot token (e.g. one the merchant typed and we have not stored yet). */
export function callLineWithToken<T>(
  channelAccessToken: string,
  call: (clients: LineClients) => Promise<T>,
  timeoutMs = env.LINE_TIMEOUT_MS,
): Promise<T> {
  return bounded(() => call(clientsFor(channelAccessToken)), timeoutMs, {});
}

/** A call that does not use a bot token: issuing channel access tokens, verifying LINE Login ID tokens. */
export function callLinePlatform<T>(call: (clients: LinePlatformClients) => Promise<T>, timeoutMs = env.LINE_TIMEOUT_MS): Promise<T> {
  return bounded(() => call(platformClients()), timeoutMs, {});
}

export async function issueStatelessToken(channelId: string, channelSecret: string): Promise<string> {
  const issued = await callLinePlatform(({ tokens }) => tokens.issueStatelessChannelTokenByClientSecret(channelId, channelSecret));
  return issued.access_token;
}

/** The account's bot token: the merchant's long-lived one, or a cached stateless one. */
export function accessTokenFor(account: TokenSource): Promise<string> {
  return cachedAccessToken(account, issueStatelessToken);
}

/** A Messaging API call for a stored account: its token is supplied, and renewed once if LINE answers 401. */
export async function callLine<T>(
  account: TokenSource,
  call: (clients: LineClients) => Promise<T>,
  timeoutMs = env.LINE_TIMEOUT_MS,
): Promise<T> {
  // The token is read outside the call's own timeout: issuing one is a call of its own.
  const attempt = async () => bounded(() => call(clientsFor(token)), timeoutMs, { accountId: account.id, channelId: account.channelId });
  let token = await accessTokenFor(account);
  try {
    const result = await attempt();
    void noteTokenWorks(account.id);
    return result;
  } catch (error) {
    if (!(error instanceof HTTPFetchError) || error.status !== 401) throw error;
    await forgetToken(account.id);
    token = await accessTokenFor(account);
    return afterRenewal(account.id, attempt);
  }
}

/** The second attempt with a renewed token: a 401 again means the token is revoked, which home shows. */
async function afterRenewal<T>(accountId: string, attempt: () => Promise<T>): Promise<T> {
  try {
    const result = await attempt();
    void noteTokenWorks(accountId);
    return result;
  } catch (error) {
    if (error instanceof HTTPFetchError && error.status === 401) await noteTokenRevoked(accountId);
    throw error;
  }
}

// The send pipeline's requests (thousands a second in a due burst) skip fetch: the SDK's fetch, its web streams and
// the async context around them cost about 0.3 ms of CPU per push (tests/bench/README.md, "abandoned-cart");
// node:http over keep-alive connections costs a fraction of it. Same token, timeout, abort, errors and log line.
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 128 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 128 }),
};

export type LineAnswer = { status: number; headers: Headers; body: string };

/**
 * A POST of a JSON text to a Messaging API path for a stored account; its token is supplied, and renewed once if
 * LINE answers 401. LINE's 2xx is returned; any other answer throws HTTPFetchError as the SDK's clients do.
 */
export async function postLine(
  account: TokenSource,
  path: string,
  json: string,
  headers: Record<string, string> = {},
  timeoutMs = env.LINE_TIMEOUT_MS,
): Promise<LineAnswer> {
  const payload = Buffer.from(json);
  const attempt = async (token: string) => {
    const started = Date.now();
    const url = new URL(path, env.LINE_API_BASE_URL);
    try {
      const answer = await post(url, token, payload, headers, timeoutMs);
      if (answer.status >= 200 && answer.status < 300) return answer;
      throw new HTTPFetchError(`${answer.status} - ${answer.statusText}`, answer);
    } catch (error) {
      const status = error instanceof HTTPFetchError ? error.status : undefined;
      const requestId = error instanceof HTTPFetchError ? (error.headers as Headers).get("x-line-request-id") : null;
      const answer = status ? { method: "POST", path: url.pathname.replace(/U[0-9a-f]{32}/g, "U…"), status, requestId } : undefined;
      logFailure(error, { signal: AbortSignal.abort(), answer }, { accountId: account.id, channelId: account.channelId, ms: Date.now() - started });
      throw error;
    }
  };
  try {
    const answer = await attempt(await accessTokenFor(account));
    void noteTokenWorks(account.id);
    return answer;
  } catch (error) {
    if (!(error instanceof HTTPFetchError) || error.status !== 401) throw error;
    await forgetToken(account.id);
    const token = await accessTokenFor(account);
    return afterRenewal(account.id, () => attempt(token));
  }
}

function post(url: URL, token: string, payload: Buffer, headers: Record<string, string>, timeoutMs: number) {
  return new Promise<LineAnswer & { statusText: string }>((resolve, reject) => {
    const transport = url.protocol === "https:" ? https : http;
    const request = transport.request(
      url,
      {
        method: "POST",
        agent: agents[url.protocol as keyof typeof agents],
        headers: {
          ...headers,
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          "content-length": payload.length,
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const answerHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined) answerHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
          }
          resolve({
            status: response.statusCode ?? 0,
            statusText: response.statusMessage ?? "",
            headers: answerHeaders,
            body: Buffer.concat(chunks).toString("utf8"),
          });
        });
      },
    );
    // Given up on: the request is destroyed, its connection closed, so nothing it sent can still land after a retry.
    const timer = setTimeout(() => request.destroy(new LineTimeoutError(`LINE did not answer within ${timeoutMs} ms`)), timeoutMs);
    request.on("error", reject);
    request.on("close", () => clearTimeout(timer));
    request.end(payload);
  });
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

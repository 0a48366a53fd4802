// A local HTTP fake of the LINE Messaging API, channel access token API and LINE Login
// ID-token verification, for tests. It serves LINE's real paths at the root, because the
// SDK builds URLs as `new URL("/v2/bot/...", baseURL)` and drops any path in baseURL.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { newRichMenuState, richMenuHelpers, richMenuRoutes, type RichMenuFakeState } from "./line-fake-rich-menus";

export type PathMatcher = string | RegExp;
export type DeliveryKind = "push" | "multicast" | "reply" | "broadcast" | "narrowcast";

export interface BotInfo {
  userId: string;
  basicId: string;
  displayName: string;
  pictureUrl?: string;
  chatMode?: "chat" | "bot";
  markAsReadMode?: "auto" | "manual";
}

export interface Quota {
  type: "none" | "limited";
  value?: number;
}

export interface LineProfile {
  userId: string;
  displayName: string;
  pictureUrl?: string;
  statusMessage?: string;
  language?: string;
}

export interface WebhookTestResult {
  success: boolean;
  timestamp: string;
  statusCode: number;
  reason: string;
  detail: string;
}

export interface AddChannelOptions {
  channelId: string;
  channelSecret: string;
  /** Registered as a valid non-expiring token; generated when omitted. */
  longLivedToken?: string;
  bot?: BotInfo;
  followers?: string[];
  followersForbidden?: boolean;
  quota?: Quota;
  totalUsage?: number;
  loginChannelId?: string;
  webhookEndpoint?: string;
}

/** Live, mutable state of one channel (tests may edit followers, quota, totalUsage...). */
export interface FakeChannel {
  channelId: string;
  channelSecret: string;
  longLivedToken: string;
  bot: Required<Omit<BotInfo, "pictureUrl">> & Pick<BotInfo, "pictureUrl">;
  followers: string[];
  followersForbidden: boolean;
  quota: Quota;
  totalUsage: number;
  loginChannelId?: string | undefined;
  webhookEndpoint: string;
  webhookActive: boolean;
  webhookTestResult: Partial<WebhookTestResult>;
  profiles: Map<string, LineProfile>;
  /** Accepted X-Line-Retry-Key → the accepted request's x-line-request-id and when (fake clock) it was accepted. */
  retryKeys: Map<string, AcceptedRetryKey>;
  /** Statistics per custom aggregation unit, as tests set them (insight section below). */
  unitStatistics: Map<string, UnitStatistics>;
  /** Content of received messages by message id (GET …/message/{id}/content on the data API), until expiresAt. */
  contents: Map<string, { bytes: Buffer; contentType: string; expiresAt: number }>;
  /** markAsReadToken → the user whose message carried it (issued by issueMarkAsReadToken). */
  readTokens: Map<string, string>;
  /** Tokens LINE accepted on POST /v2/bot/chat/markAsRead, in order. */
  markedRead: { token: string; userId: string; at: number }[];
}

export interface AcceptedRetryKey {
  requestId: string;
  acceptedAt: number;
}

/** Endpoints whose per-channel rate limit the fake enforces. */
export type RateLimitedEndpoint = "push" | "multicast" | "richMenu" | "richMenuList";
/** Requests per second per channel for each endpoint; null turns that limit off. */
export type RateLimits = Record<RateLimitedEndpoint, number | null>;

/** LINE's published limits (Messaging API reference, "Rate limits"): multicast 200/s, other endpoints 2,000/s. */
// Rich-menu endpoints: the list 10/s (since 2026-05-26), the others without an hourly limit 2,000/s; the hourly
// limits are in line-fake-rich-menus.ts.
export const LINE_RATE_LIMITS: RateLimits = { push: 2_000, multicast: 200, richMenu: 2_000, richMenuList: 10 };

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON or form object; the raw string when it could not be parsed; undefined when empty. */
  body: unknown;
  status: number;
  at: number;
  requestId: string;
  channelId?: string | undefined;
}

export interface Delivery {
  kind: DeliveryKind;
  channelId: string;
  /** Recipients; all followers for broadcast, empty for narrowcast (LINE picks them). */
  to: string[];
  messages: unknown[];
  retryKey?: string;
  requestId: string;
  /** customAggregationUnits of a push or multicast, when given. */
  units?: string[];
}

export interface IdTokenOptions {
  loginChannelId: string;
  sub: string;
  name?: string;
  picture?: string;
  email?: string;
  nonce?: string;
  /** Default 3600; zero or negative issues an already expired token. */
  expiresInSec?: number;
}

export interface FaultOptions {
  status: 429 | 500 | 503;
  path?: PathMatcher;
  body?: unknown;
}

export interface LineFakeOptions {
  /** Clock in ms, for token/reply-token expiry. Default Date.now. */
  now?: () => number;
  /** Default lifetime of reply tokens from issueReplyToken. Default 60 s. */
  replyTokenTtlMs?: number;
  /** Per-channel rate limits; each endpoint left out keeps LINE's own (LINE_RATE_LIMITS). */
  rateLimits?: Partial<RateLimits>;
  /** The port to listen on (127.0.0.1); a free one when omitted. The local demo's LINE sandbox sets it. */
  port?: number;
}

export interface LineFake {
  readonly url: string;
  readonly requests: RecordedRequest[];
  addChannel(options: AddChannelOptions): FakeChannel;
  channel(channelId: string): FakeChannel;
  /** Mints a valid bearer token without HTTP. */
  issueAccessToken(channelId: string, expiresInSec?: number): string;
  revokeToken(token: string): void;
  setProfile(channelId: string, profile: LineProfile): void;
  setWebhookTestResult(channelId: string, result: Partial<WebhookTestResult>): void;
  /** What LINE has aggregated for a unit: opens and clicks (LINE hides every figure while under 20 users). */
  setUnitStatistics(channelId: string, unit: string, statistics: UnitStatistics): void;
  issueReplyToken(channelId: string, userId: string, options?: { ttlMs?: number }): string;
  /** Content LINE holds for a received message (LINE keeps it for a limited time: ttlMs, default a week). */
  setContent(channelId: string, messageId: string, bytes: Buffer, options?: { contentType?: string; ttlMs?: number }): void;
  /** A message event's markAsReadToken for a user's message. */
  issueMarkAsReadToken(channelId: string, userId: string): string;
  issueIdToken(options: IdTokenOptions): string;
  failNext(count: number, fault: FaultOptions): void;
  delayNext(count: number, ms: number, options?: { path?: PathMatcher }): void;
  /** Requests received and held by delayNext, not yet processed (LINE has them; the sender awaits the answer). */
  heldRequests(): number;
  /** Changes the per-channel rate limits from now on (null: no limit); buckets start full. */
  setRateLimits(limits: Partial<RateLimits>): void;
  sent(channelId?: string): Delivery[];
  /** Rich menus at LINE: state per channel, what each user sees and saw, hourly limits and timings. */
  readonly richMenus: ReturnType<typeof richMenuHelpers>;
  waitFor<T>(predicate: () => T, timeoutMs?: number): Promise<NonNullable<T>>;
  /** Clears requests, deliveries, accepted retry keys, rate-limit buckets and injected faults; keeps channels and tokens. */
  reset(): void;
  close(): Promise<void>;
}

interface ErrorDetail {
  message: string;
  property: string;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** A binary answer (content endpoints) sent as is with its content type instead of JSON. */
  raw?: { bytes: Buffer; contentType: string };
  headers?: Record<string, string> | undefined;
}

export interface Ctx {
  method: string;
  /** The body's bytes (images on the data API). */
  rawBody?: Buffer;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  bodyIsValid: boolean;
  requestId: string;
  channel?: FakeChannel;
}

export interface State {
  now: () => number;
  replyTokenTtlMs: number;
  channels: Map<string, FakeChannel>;
  tokens: Map<string, { channelId: string; expiresAt: number }>;
  revoked: Set<string>;
  replyTokens: Map<string, { channelId: string; userId: string; expiresAt: number }>;
  idTokens: Map<string, IdTokenOptions & { iat: number; exp: number }>;
  faults: Array<FaultOptions & { remaining: number }>;
  delays: Array<{ remaining: number; ms: number; path?: PathMatcher | undefined }>;
  timers: Set<ReturnType<typeof setTimeout>>;
  held: number;
  rateLimits: RateLimits;
  buckets: Map<string, Bucket>;
  requests: RecordedRequest[];
  deliveries: Delivery[];
  richMenus: RichMenuFakeState;
}

export type Handler = (state: State, ctx: Ctx, params: string[]) => Reply;

export interface Route {
  method: string;
  pattern: RegExp;
  auth: boolean;
  retryKey?: boolean;
  rateLimit?: RateLimitedEndpoint;
  handler: Handler;
}

class ApiError extends Error {
  constructor(readonly reply: Reply) {
    super(`LINE fake ${reply.status}`);
  }
}

const AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid.";
const USER_ID = /^U[0-9a-f]{32}$/;
const PUSH_TARGET = /^[UCR][0-9a-f]{32}$/; // push also accepts group (C…) and room (R…) ids
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATELESS_TTL_SEC = 900; // stateless tokens live 15 min
const SHORT_LIVED_TTL_SEC = 2_592_000; // short-lived tokens live 30 days

export function fail(status: number, body: unknown, headers?: Record<string, string>): never {
  throw new ApiError({ status, body, headers });
}

export function invalidBody(details: ErrorDetail[]): never {
  fail(400, { message: `The request body has ${details.length} error(s)`, details });
}

function oauthError(error: string, description: string): never {
  fail(400, { error, error_description: description });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function matches(matcher: PathMatcher | undefined, path: string): boolean {
  if (matcher === undefined) return true;
  return typeof matcher === "string" ? matcher === path : matcher.test(path);
}

function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(24).toString("base64url")}`;
}

export function jsonBody(ctx: Ctx): Record<string, unknown> {
  if (!ctx.bodyIsValid) fail(400, { message: "The request body could not be parsed as JSON (line: -, column: -)" });
  return isRecord(ctx.body) ? ctx.body : {};
}

function formField(ctx: Ctx, name: string): string | undefined {
  const value = isRecord(ctx.body) ? ctx.body[name] : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
}

// ---------------------------------------------------------------- message validation

/** Counts UTF-16 code units: the stricter reading of LINE's "characters". */
function checkLength(out: ErrorDetail[], value: unknown, min: number, max: number, property: string): void {
  if (typeof value !== "string" || value.length < min || value.length > max) {
    out.push({ message: `Length must be between ${min} and ${max}`, property });
  }
}

// Image URLs: HTTPS, ≤ 2000 chars (Messaging API reference, image message / Flex image).
function checkImageUrl(out: ErrorDetail[], value: unknown, property: string): void {
  if (typeof value !== "string" || !value.startsWith("https://") || value.length > 2000) {
    out.push({ message: "Must be an HTTPS URL of at most 2000 characters", property });
  }
}

// URI action: `uri` ≤ 1000 chars, scheme http, https or tel; altUri.desktop ≤ 1000.
function checkUriAction(out: ErrorDetail[], action: Record<string, unknown>, at: string): void {
  const uri = action.uri;
  if (typeof uri !== "string" || uri.length > 1000 || !/^(https?|tel):/i.test(uri)) {
    out.push({ message: "Must be an http, https or tel URI of at most 1000 characters", property: `${at}.uri` });
  }
  const desktop = isRecord(action.altUri) ? action.altUri.desktop : undefined;
  if (desktop !== undefined && (typeof desktop !== "string" || desktop.length > 1000)) {
    out.push({ message: "Length must be between 1 and 1000", property: `${at}.altUri.desktop` });
  }
}

function walk(node: unknown, at: string, visit: (obj: Record<string, unknown>, at: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => walk(child, `${at}[${i}]`, visit));
  } else if (isRecord(node)) {
    visit(node, at);
    for (const [key, child] of Object.entries(node)) walk(child, `${at}.${key}`, visit);
  }
}

// Flex: bubble JSON ≤ 30 KB; carousel ≤ 50 KB with ≤ 12 bubbles (Flex Message reference).
function checkFlexContainer(out: ErrorDetail[], container: unknown, at: string): void {
  if (!isRecord(container) || (container.type !== "bubble" && container.type !== "carousel")) {
    out.push({ message: "Must be a bubble or carousel container", property: `${at}.type` });
    return;
  }
  const bytes = Buffer.byteLength(JSON.stringify(container), "utf8");
  const limit = container.type === "bubble" ? 30_000 : 50_000;
  if (bytes > limit) out.push({ message: `Size must be ${limit / 1000} KB or less`, property: at });
  if (container.type === "carousel") {
    const bubbles = container.contents;
    if (!Array.isArray(bubbles) || bubbles.length < 1 || bubbles.length > 12) {
      out.push({ message: "Size must be between 1 and 12", property: `${at}.contents` });
    }
  }
}

function checkMessage(out: ErrorDetail[], message: unknown, at: string): void {
  if (!isRecord(message) || typeof message.type !== "string") {
    out.push({ message: "Must be specified", property: `${at}.type` });
    return;
  }
  if (message.type === "text") checkLength(out, message.text, 1, 5000, `${at}.text`);
  if (message.type === "image") {
    checkImageUrl(out, message.originalContentUrl, `${at}.originalContentUrl`);
    checkImageUrl(out, message.previewImageUrl, `${at}.previewImageUrl`);
  }
  if (message.type === "flex") {
    checkLength(out, message.altText, 1, 1500, `${at}.altText`);
    checkFlexContainer(out, message.contents, `${at}.contents`);
    walk(message.contents, `${at}.contents`, (obj, path) => {
      if (obj.type === "image" && "url" in obj) checkImageUrl(out, obj.url, `${path}.url`);
    });
  }
  // URI actions can sit anywhere: Flex components, templates, quick replies.
  walk(message, at, (obj, path) => {
    if (obj.type === "uri") checkUriAction(out, obj, path);
  });
}

// `messages` holds 1–5 message objects on every send endpoint.
function validateMessages(messages: unknown): unknown[] {
  if (!Array.isArray(messages) || messages.length < 1 || messages.length > 5) {
    invalidBody([{ message: "Size must be between 1 and 5", property: "messages" }]);
  }
  const details: ErrorDetail[] = [];
  messages.forEach((message, i) => checkMessage(details, message, `messages[${i}]`));
  if (details.length > 0) invalidBody(details);
  return messages;
}

// Multicast `to`: 1–500 user ids (no groups or rooms).
function validateMulticastTo(to: unknown): string[] {
  if (!Array.isArray(to) || to.length < 1 || to.length > 500) {
    invalidBody([{ message: "Size must be between 1 and 500", property: "to" }]);
  }
  const seen = new Set<string>();
  const details: ErrorDetail[] = [];
  to.forEach((id, i) => {
    if (typeof id !== "string" || !USER_ID.test(id)) details.push({ message: "Invalid user ID", property: `to[${i}]` });
    else if (seen.has(id)) details.push({ message: "Duplicate user ID", property: `to[${i}]` });
    else seen.add(id);
  });
  if (details.length > 0) invalidBody(details);
  return [...seen];
}

// ---------------------------------------------------------------- auth and tokens

function authenticate(state: State, ctx: Ctx): FakeChannel {
  const match = /^Bearer (\S+)$/.exec(ctx.headers.authorization ?? "");
  const token = match?.[1];
  const entry = token === undefined ? undefined : state.tokens.get(token);
  const channel = entry && state.channels.get(entry.channelId);
  if (!token || !entry || !channel || state.revoked.has(token) || entry.expiresAt <= state.now()) {
    fail(401, { message: AUTH_FAILED });
  }
  return channel;
}

function mintToken(state: State, channelId: string, ttlSec: number): string {
  const token = randomToken("fake-token.");
  state.tokens.set(token, { channelId, expiresAt: state.now() + ttlSec * 1000 });
  return token;
}

function channelFromClientCredentials(state: State, ctx: Ctx): FakeChannel {
  if (formField(ctx, "grant_type") !== "client_credentials") {
    oauthError("unsupported_grant_type", "grant_type must be client_credentials");
  }
  const clientId = formField(ctx, "client_id");
  const clientSecret = formField(ctx, "client_secret");
  if (!clientId || !clientSecret) oauthError("invalid_request", "client_id and client_secret are required");
  const channel = state.channels.get(clientId);
  if (!channel || channel.channelSecret !== clientSecret) {
    oauthError("invalid_client", "invalid client_id or client_secret");
  }
  ctx.channel = channel;
  return channel;
}

function tokenResponse(state: State, channel: FakeChannel, ttlSec: number): Reply {
  const token = mintToken(state, channel.channelId, ttlSec);
  return { status: 200, body: { access_token: token, expires_in: ttlSec, token_type: "Bearer" } };
}

const issueStatelessToken: Handler = (state, ctx) =>
  tokenResponse(state, channelFromClientCredentials(state, ctx), STATELESS_TTL_SEC);

const issueShortLivedToken: Handler = (state, ctx) =>
  tokenResponse(state, channelFromClientCredentials(state, ctx), SHORT_LIVED_TTL_SEC);

const revokeAccessToken: Handler = (state, ctx) => {
  const token = formField(ctx, "access_token");
  if (!token || !state.tokens.has(token)) oauthError("invalid_request", "access token invalid");
  state.revoked.add(token);
  return { status: 200 };
};

const verifyIdToken: Handler = (state, ctx) => {
  const raw = formField(ctx, "id_token");
  const clientId = formField(ctx, "client_id");
  if (!raw || !clientId) oauthError("invalid_request", "id_token and client_id are required");
  const token = state.idTokens.get(raw);
  if (!token) oauthError("invalid_request", "Invalid IdToken.");
  if (token.exp * 1000 <= state.now()) oauthError("invalid_request", "IdToken expired.");
  if (token.loginChannelId !== clientId) oauthError("invalid_request", "Invalid IdToken Audience.");
  const nonce = formField(ctx, "nonce");
  if (nonce !== undefined && nonce !== token.nonce) oauthError("invalid_request", "Invalid IdToken Nonce.");
  const userId = formField(ctx, "user_id");
  if (userId !== undefined && userId !== token.sub) oauthError("invalid_request", "Invalid IdToken Subject Identifier.");
  const { sub, loginChannelId, exp, iat, name, picture, email } = token;
  const optional = { nonce: token.nonce, name, picture, email };
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined));
  return { status: 200, body: { iss: "https://access.line.me", sub, aud: loginChannelId, exp, iat, amr: ["linesso"], ...present } };
};

// ---------------------------------------------------------------- bot endpoints

const getBotInfo: Handler = (_state, ctx) => ({ status: 200, body: { ...ctx.channel?.bot } });

const getProfile: Handler = (_state, ctx, [userId = ""]) => {
  const profile = ctx.channel?.profiles.get(decodeURIComponent(userId));
  if (!profile) fail(404, { message: "Not found" });
  return { status: 200, body: profile };
};

function checkWebhookEndpoint(endpoint: unknown): string {
  // Webhook URL: HTTPS, ≤ 500 characters (setWebhookEndpoint reference).
  if (typeof endpoint !== "string" || !endpoint.startsWith("https://") || endpoint.length > 500 || !URL.canParse(endpoint)) {
    invalidBody([{ message: "Must be an HTTPS URL of at most 500 characters", property: "endpoint" }]);
  }
  return endpoint;
}

const getWebhookEndpoint: Handler = (_state, ctx) => ({
  status: 200,
  body: { endpoint: ctx.channel?.webhookEndpoint ?? "", active: ctx.channel?.webhookActive ?? false },
});

const setWebhookEndpoint: Handler = (_state, ctx) => {
  const channel = ctx.channel as FakeChannel;
  channel.webhookEndpoint = checkWebhookEndpoint(jsonBody(ctx).endpoint);
  return { status: 200, body: {} };
};

const testWebhook: Handler = (state, ctx) => {
  const channel = ctx.channel as FakeChannel;
  const requested = jsonBody(ctx).endpoint;
  const endpoint = requested === undefined ? channel.webhookEndpoint : checkWebhookEndpoint(requested);
  if (!endpoint) fail(400, { message: "The webhook endpoint is not set" });
  const defaults: WebhookTestResult = {
    success: true,
    timestamp: new Date(state.now()).toISOString(),
    statusCode: 200,
    reason: "OK",
    detail: "200",
  };
  return { status: 200, body: { ...defaults, ...channel.webhookTestResult } };
};

// Followers: `limit` max 1000, default 300; `next` is an opaque continuation token.
const getFollowers: Handler = (_state, ctx) => {
  const channel = ctx.channel as FakeChannel;
  if (channel.followersForbidden) fail(403, { message: "Access to this API is not available for your account" });
  const limit = ctx.query.limit === undefined ? 300 : Number(ctx.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    fail(400, { message: "The value of limit must be an integer between 1 and 1000" });
  }
  const start = ctx.query.start === undefined ? 0 : Number(Buffer.from(ctx.query.start, "base64url").toString());
  if (!Number.isInteger(start) || start < 0) fail(400, { message: "Invalid start" });
  const userIds = channel.followers.slice(start, start + limit);
  const end = start + userIds.length;
  const next = end < channel.followers.length ? Buffer.from(String(end)).toString("base64url") : undefined;
  return { status: 200, body: next === undefined ? { userIds } : { userIds, next } };
};

const getQuota: Handler = (_state, ctx) => ({ status: 200, body: ctx.channel?.quota });

const getConsumption: Handler = (_state, ctx) => ({ status: 200, body: { totalUsage: ctx.channel?.totalUsage ?? 0 } });

// ---------------------------------------------------------------- sending

function recipientsFor(kind: DeliveryKind, channel: FakeChannel, body: Record<string, unknown>): string[] {
  if (kind === "multicast") return validateMulticastTo(body.to);
  if (kind === "broadcast") return [...channel.followers];
  if (kind === "narrowcast") return [];
  if (typeof body.to !== "string" || !PUSH_TARGET.test(body.to)) {
    fail(400, { message: "The property, 'to', in the request body is invalid (line: -, column: -)" });
  }
  return [body.to];
}

function consumeReplyToken(state: State, channel: FakeChannel, replyToken: unknown): string {
  const entry = typeof replyToken === "string" ? state.replyTokens.get(replyToken) : undefined;
  if (!entry || entry.channelId !== channel.channelId || entry.expiresAt <= state.now()) {
    fail(400, { message: "Invalid reply token" });
  }
  state.replyTokens.delete(replyToken as string);
  return entry.userId;
}

function chargeQuota(channel: FakeChannel, cost: number): void {
  const { type, value } = channel.quota;
  if (type === "limited" && value !== undefined && channel.totalUsage + cost > value) {
    fail(429, { message: "You have reached your monthly limit." });
  }
  channel.totalUsage += cost;
}

function sendHandler(kind: DeliveryKind): Handler {
  return (state, ctx) => {
    const channel = ctx.channel as FakeChannel;
    const retryKey = headerValue(ctx.headers, "x-line-retry-key");
    const acceptedId = retryKey === undefined ? undefined : acceptedRequestId(state, channel, retryKey);
    if (acceptedId !== undefined) {
      fail(409, { message: "The retry key is already accepted" }, { "x-line-accepted-request-id": acceptedId });
    }
    const body = jsonBody(ctx);
    const messages = validateMessages(body.messages);
    // Replies are free and tied to a reply token; check the token only for a valid body so a 400 does not burn it.
    const to = kind === "reply" ? [consumeReplyToken(state, channel, body.replyToken)] : recipientsFor(kind, channel, body);
    const units = kind === "push" || kind === "multicast" ? validateUnits(body.customAggregationUnits) : undefined;
    if (kind !== "reply") chargeQuota(channel, to.length);
    if (retryKey !== undefined) channel.retryKeys.set(retryKey, { requestId: ctx.requestId, acceptedAt: state.now() });
    state.deliveries.push({ kind, channelId: channel.channelId, to, messages, requestId: ctx.requestId, ...(retryKey ? { retryKey } : {}), ...(units ? { units } : {}) });
    if (kind === "narrowcast") return { status: 202, body: {} };
    if (kind === "push" || kind === "reply") {
      const sentMessages = messages.map(() => ({ id: randomBytes(8).readBigUInt64BE().toString(), quoteToken: randomToken("q") }));
      return { status: 200, body: { sentMessages } };
    }
    return { status: 200, body: {} };
  };
}

// Validate endpoints: the same checks as a send of that kind, nothing sent, no quota used; 200 with an empty body.
const validateHandler: Handler = (_state, ctx) => {
  validateMessages(jsonBody(ctx).messages);
  return { status: 200, body: {} };
};

// ---------------------------------------------------------------- retry-key window

// LINE keeps an accepted retry key for 24 hours; the same key after that is a new request and sends again
// (Messaging API reference, "Retrying an API request").
const RETRY_KEY_TTL_MS = 24 * 60 * 60_000;

function acceptedRequestId(state: State, channel: FakeChannel, retryKey: string): string | undefined {
  const accepted = channel.retryKeys.get(retryKey);
  if (accepted === undefined) return undefined;
  if (state.now() - accepted.acceptedAt >= RETRY_KEY_TTL_MS) {
    channel.retryKeys.delete(retryKey);
    return undefined;
  }
  return accepted.requestId;
}

// ---------------------------------------------------------------- rate limits

// LINE meters each endpoint per channel with a token bucket (developers.line.biz/en/tips/2026/09/10/
// messaging-api-rate-limits/): the bucket holds one second's worth of requests and refills steadily, so a full
// second's burst passes and the next request waits for a refill. Amounts are kept in thousandths of a request so
// that integer clocks refill exactly.
interface Bucket {
  milli: number;
  at: number;
}

const RATE_LIMITED = { message: "The API rate limit has been exceeded. Try again later." };

function takeRateToken(state: State, channel: FakeChannel, endpoint: RateLimitedEndpoint): void {
  const perSecond = state.rateLimits[endpoint];
  if (perSecond === null) return;
  const capacity = perSecond * 1000;
  const key = `${channel.channelId}:${endpoint}`;
  const now = state.now();
  const bucket = state.buckets.get(key) ?? { milli: capacity, at: now };
  bucket.milli = Math.min(capacity, bucket.milli + Math.max(0, now - bucket.at) * perSecond);
  bucket.at = now;
  state.buckets.set(key, bucket);
  if (bucket.milli < 1000) fail(429, RATE_LIMITED);
  bucket.milli -= 1000;
}

// ---------------------------------------------------------------- insight: statistics per aggregation unit
// Messaging API reference, "Get statistics per unit" and "Get number of units used this month" / "Get name list
// of units used this month". A push or multicast may name one unit (customAggregationUnits, 1–30 characters of
// [A-Za-z0-9_]); LINE reports its opens and clicks only once at least 20 users did something, null before that.

export interface UnitStatistics {
  uniqueImpression: number;
  uniqueClick: number;
  clicks?: { url: string; click: number; uniqueClick: number }[];
}

const UNIT_NAME = /^[A-Za-z0-9_]{1,30}$/;
const PRIVACY_THRESHOLD = 20;
const LINE_DATE = /^\d{8}$/;

function validateUnits(units: unknown): string[] | undefined {
  if (units === undefined) return undefined;
  if (!Array.isArray(units) || units.length !== 1 || typeof units[0] !== "string" || !UNIT_NAME.test(units[0])) {
    invalidBody([{ message: "Must be an array of one unit name of 1 to 30 characters [A-Za-z0-9_]", property: "customAggregationUnits" }]);
  }
  return units as string[];
}

function unitsSent(state: State, channel: FakeChannel): string[] {
  const seen = new Set<string>();
  for (const delivery of state.deliveries) if (delivery.channelId === channel.channelId) for (const unit of delivery.units ?? []) seen.add(unit);
  return [...seen];
}

const atLeastThreshold = (value: number | undefined) => (value !== undefined && value >= PRIVACY_THRESHOLD ? value : null);

const getUnitStatistics: Handler = (_state, ctx) => {
  const channel = ctx.channel as FakeChannel;
  const { customAggregationUnit: unit, from, to } = ctx.query;
  if (!unit || !UNIT_NAME.test(unit)) fail(400, { message: "The value for the 'customAggregationUnit' parameter is invalid" });
  if (!from || !to || !LINE_DATE.test(from) || !LINE_DATE.test(to) || to < from) {
    fail(400, { message: "The value for the 'from' or 'to' parameter is invalid" });
  }
  const stats = channel.unitStatistics.get(unit);
  return {
    status: 200,
    body: {
      overview: {
        uniqueImpression: atLeastThreshold(stats?.uniqueImpression),
        uniqueClick: atLeastThreshold(stats?.uniqueClick),
        uniqueMediaPlayed: null,
        uniqueMediaPlayed100Percent: null,
      },
      messages: [],
      clicks: (stats?.clicks ?? []).map((click, seq) => ({
        seq: seq + 1,
        url: click.url,
        click: atLeastThreshold(click.click),
        uniqueClick: atLeastThreshold(click.uniqueClick),
        uniqueClickOfRequest: null,
      })),
    },
  };
};

// ---------------------------------------------------------------- chat: content and read marks

const getContent: Handler = (state, ctx, [messageId]) => {
  const content = (ctx.channel as FakeChannel).contents.get(messageId ?? "");
  // Unknown, another channel's, or past LINE's retention: LINE answers 404.
  if (!content || content.expiresAt <= state.now()) fail(404, { message: "Not found" });
  return { status: 200, raw: { bytes: content.bytes, contentType: content.contentType } };
};

const markAsRead: Handler = (state, ctx) => {
  const channel = ctx.channel as FakeChannel;
  const body = jsonBody(ctx);
  const token = body.markAsReadToken;
  if (typeof token !== "string" || token === "") invalidBody([{ message: "must be specified", property: "markAsReadToken" }]);
  const userId = channel.readTokens.get(token);
  if (!userId) fail(400, { message: "Invalid markAsReadToken" });
  channel.markedRead.push({ token, userId, at: state.now() });
  return { status: 200, body: {} };
};

const getUnitUsage: Handler = (state, ctx) => ({ status: 200, body: { numOfCustomAggregationUnits: unitsSent(state, ctx.channel as FakeChannel).length } });

const listUnits: Handler = (state, ctx) => ({ status: 200, body: { customAggregationUnits: unitsSent(state, ctx.channel as FakeChannel) } });

// ---------------------------------------------------------------- routing

const routes: Route[] = [
  { method: "POST", pattern: /^\/oauth2\/v3\/token$/, auth: false, handler: issueStatelessToken },
  { method: "POST", pattern: /^\/v2\/oauth\/accessToken$/, auth: false, handler: issueShortLivedToken },
  { method: "POST", pattern: /^\/v2\/oauth\/revoke$/, auth: false, handler: revokeAccessToken },
  { method: "POST", pattern: /^\/oauth2\/v2\.1\/verify$/, auth: false, handler: verifyIdToken },
  { method: "GET", pattern: /^\/v2\/bot\/info$/, auth: true, handler: getBotInfo },
  { method: "GET", pattern: /^\/v2\/bot\/profile\/([^/]+)$/, auth: true, handler: getProfile },
  { method: "GET", pattern: /^\/v2\/bot\/channel\/webhook\/endpoint$/, auth: true, handler: getWebhookEndpoint },
  { method: "PUT", pattern: /^\/v2\/bot\/channel\/webhook\/endpoint$/, auth: true, handler: setWebhookEndpoint },
  { method: "POST", pattern: /^\/v2\/bot\/channel\/webhook\/test$/, auth: true, handler: testWebhook },
  { method: "GET", pattern: /^\/v2\/bot\/followers\/ids$/, auth: true, handler: getFollowers },
  { method: "GET", pattern: /^\/v2\/bot\/message\/quota$/, auth: true, handler: getQuota },
  { method: "GET", pattern: /^\/v2\/bot\/message\/quota\/consumption$/, auth: true, handler: getConsumption },
  { method: "POST", pattern: /^\/v2\/bot\/message\/push$/, auth: true, retryKey: true, rateLimit: "push", handler: sendHandler("push") },
  { method: "POST", pattern: /^\/v2\/bot\/message\/multicast$/, auth: true, retryKey: true, rateLimit: "multicast", handler: sendHandler("multicast") },
  { method: "POST", pattern: /^\/v2\/bot\/message\/broadcast$/, auth: true, retryKey: true, handler: sendHandler("broadcast") },
  { method: "POST", pattern: /^\/v2\/bot\/message\/narrowcast$/, auth: true, retryKey: true, handler: sendHandler("narrowcast") },
  { method: "POST", pattern: /^\/v2\/bot\/message\/reply$/, auth: true, handler: sendHandler("reply") },
  { method: "POST", pattern: /^\/v2\/bot\/message\/validate\/(push|multicast|reply|broadcast|narrowcast)$/, auth: true, handler: validateHandler },
  { method: "GET", pattern: /^\/v2\/bot\/insight\/message\/event\/aggregation$/, auth: true, handler: getUnitStatistics },
  { method: "GET", pattern: /^\/v2\/bot\/message\/aggregation\/info$/, auth: true, handler: getUnitUsage },
  { method: "GET", pattern: /^\/v2\/bot\/message\/aggregation\/list$/, auth: true, handler: listUnits },
  ...richMenuRoutes,
  { method: "GET", pattern: /^\/v2\/bot\/message\/([^/]+)\/content$/, auth: true, handler: getContent },
  { method: "POST", pattern: /^\/v2\/bot\/chat\/markAsRead$/, auth: true, handler: markAsRead },
];

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function dispatch(state: State, ctx: Ctx): Reply {
  for (const route of routes) {
    const match = route.pattern.exec(ctx.path);
    if (!match || route.method !== ctx.method) continue;
    if (route.auth) ctx.channel = authenticate(state, ctx);
    if (route.rateLimit && ctx.channel) takeRateToken(state, ctx.channel, route.rateLimit);
    const retryKey = headerValue(ctx.headers, "x-line-retry-key");
    // The retry key is accepted only on push, multicast, narrowcast and broadcast; other APIs answer 400.
    if (retryKey !== undefined && !route.retryKey) fail(400, { message: "X-Line-Retry-Key is not supported by this API" });
    if (retryKey !== undefined && !UUID.test(retryKey)) fail(400, { message: "The X-Line-Retry-Key header must be a UUID" });
    return route.handler(state, ctx, match.slice(1));
  }
  fail(404, { message: "Not found" });
}

function takeFault(state: State, path: string): Reply | undefined {
  const fault = state.faults.find((f) => f.remaining > 0 && matches(f.path, path));
  if (!fault) return undefined;
  fault.remaining -= 1;
  state.faults = state.faults.filter((f) => f.remaining > 0);
  const defaults: Record<number, string> = {
    429: "The API rate limit has been exceeded. Try again later.",
    500: "Internal server error",
    503: "Service unavailable",
  };
  return { status: fault.status, body: fault.body ?? { message: defaults[fault.status] } };
}

function takeDelay(state: State, path: string): number {
  const delay = state.delays.find((d) => d.remaining > 0 && matches(d.path, path));
  if (!delay) return 0;
  delay.remaining -= 1;
  state.delays = state.delays.filter((d) => d.remaining > 0);
  return delay.ms;
}

function sleep(state: State, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      state.timers.delete(timer);
      resolve();
    }, ms);
    state.timers.add(timer);
  });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseBody(contentType: string | undefined, raw: string): { body: unknown; valid: boolean } {
  if (raw === "") return { body: undefined, valid: true };
  if (contentType?.startsWith("application/x-www-form-urlencoded")) {
    return { body: Object.fromEntries(new URLSearchParams(raw)), valid: true };
  }
  try {
    return { body: JSON.parse(raw) as unknown, valid: true };
  } catch {
    return { body: raw, valid: false };
  }
}

async function handleRequest(state: State, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const rawBody = await readBody(req);
  const binary = /^image\//.test(req.headers["content-type"] ?? "");
  const { body, valid } = binary ? { body: undefined, valid: true } : parseBody(req.headers["content-type"], rawBody.toString("utf8"));
  const ctx: Ctx = {
    method: req.method ?? "GET",
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body,
    bodyIsValid: valid,
    rawBody,
    requestId: randomUUID(),
  };
  const delayMs = takeDelay(state, ctx.path);
  if (delayMs > 0) {
    state.held += 1;
    await sleep(state, delayMs).finally(() => (state.held -= 1));
  }
  let reply: Reply;
  try {
    reply = takeFault(state, ctx.path) ?? dispatch(state, ctx);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    reply = error.reply;
  }
  const { method, path, query, headers, requestId, channel } = ctx;
  state.requests.push({ method, path, query, headers, body, status: reply.status, at: state.now(), requestId, channelId: channel?.channelId });
  if (res.destroyed) return; // the client gave up (e.g. AbortSignal.timeout); the request was still processed
  if (reply.raw) {
    res.writeHead(reply.status, { "content-type": reply.raw.contentType, "content-length": reply.raw.bytes.length, "x-line-request-id": requestId });
    res.end(reply.raw.bytes);
    return;
  }
  const payload = reply.body === undefined ? "{}" : JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": "application/json", "x-line-request-id": requestId, ...reply.headers });
  res.end(payload);
}

// ---------------------------------------------------------------- public API

function createChannel(options: AddChannelOptions): FakeChannel {
  const { channelId } = options;
  const userId = `U${createHash("md5").update(channelId).digest("hex")}`;
  const bot = options.bot ?? { userId, basicId: `@${channelId}`, displayName: "Fake Bot" };
  return {
    channelId,
    channelSecret: options.channelSecret,
    longLivedToken: options.longLivedToken ?? randomToken("fake-long-lived."),
    bot: { chatMode: "bot", markAsReadMode: "auto", ...bot },
    followers: [...(options.followers ?? [])],
    followersForbidden: options.followersForbidden ?? false,
    quota: options.quota ?? { type: "none" },
    totalUsage: options.totalUsage ?? 0,
    loginChannelId: options.loginChannelId,
    webhookEndpoint: options.webhookEndpoint ?? "",
    webhookActive: true,
    webhookTestResult: {},
    profiles: new Map(),
    retryKeys: new Map(),
    unitStatistics: new Map(),
    contents: new Map(),
    readTokens: new Map(),
    markedRead: [],
  };
}

function buildFake(state: State, url: string, close: () => Promise<void>): LineFake {
  const channel = (channelId: string): FakeChannel => {
    const found = state.channels.get(channelId);
    if (!found) throw new Error(`LINE fake: unknown channel ${channelId}`);
    return found;
  };
  return {
    url,
    requests: state.requests,
    addChannel(options) {
      const created = createChannel(options);
      state.channels.set(created.channelId, created);
      state.tokens.set(created.longLivedToken, { channelId: created.channelId, expiresAt: Number.POSITIVE_INFINITY });
      return created;
    },
    channel,
    issueAccessToken: (channelId, expiresInSec = STATELESS_TTL_SEC) => mintToken(state, channel(channelId).channelId, expiresInSec),
    revokeToken(token) {
      state.revoked.add(token);
    },
    setProfile(channelId, profile) {
      channel(channelId).profiles.set(profile.userId, profile);
    },
    setWebhookTestResult(channelId, result) {
      channel(channelId).webhookTestResult = result;
    },
    setUnitStatistics(channelId, unit, statistics) {
      channel(channelId).unitStatistics.set(unit, statistics);
    },
    issueReplyToken(channelId, userId, options) {
      const token = randomBytes(16).toString("hex");
      const ttlMs = options?.ttlMs ?? state.replyTokenTtlMs;
      state.replyTokens.set(token, { channelId: channel(channelId).channelId, userId, expiresAt: state.now() + ttlMs });
      return token;
    },
    setContent(channelId, messageId, bytes, options) {
      const ttlMs = options?.ttlMs ?? 7 * 86_400_000;
      channel(channelId).contents.set(messageId, { bytes, contentType: options?.contentType ?? "image/jpeg", expiresAt: state.now() + ttlMs });
    },
    issueMarkAsReadToken(channelId, userId) {
      const token = randomToken("fake-read.");
      channel(channelId).readTokens.set(token, userId);
      return token;
    },
    issueIdToken(options) {
      const iat = Math.floor(state.now() / 1000);
      const token = randomToken("fake-id-token.");
      state.idTokens.set(token, { ...options, iat, exp: iat + (options.expiresInSec ?? 3600) });
      return token;
    },
    failNext(count, fault) {
      state.faults.push({ ...fault, remaining: count });
    },
    heldRequests() {
      return state.held;
    },
    delayNext(count, ms, options) {
      state.delays.push({ remaining: count, ms, path: options?.path });
    },
    setRateLimits(limits) {
      state.rateLimits = { ...state.rateLimits, ...limits };
      state.buckets.clear();
    },
    richMenus: richMenuHelpers(state),
    sent: (channelId) => state.deliveries.filter((d) => channelId === undefined || d.channelId === channelId),
    waitFor: (predicate, timeoutMs = 2000) => poll(predicate, timeoutMs),
    reset() {
      state.requests.length = 0;
      state.deliveries.length = 0;
      state.faults = [];
      state.delays = [];
      state.buckets.clear();
      for (const c of state.channels.values()) c.retryKeys.clear();
      state.richMenus = newRichMenuState();
    },
    close,
  };
}

async function poll<T>(predicate: () => T, timeoutMs: number): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = predicate();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() >= deadline) throw new Error(`LINE fake: waitFor timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function startLineFake(options: LineFakeOptions = {}): Promise<LineFake> {
  const state: State = {
    now: options.now ?? Date.now,
    replyTokenTtlMs: options.replyTokenTtlMs ?? 60_000,
    channels: new Map(),
    tokens: new Map(),
    revoked: new Set(),
    replyTokens: new Map(),
    idTokens: new Map(),
    faults: [],
    delays: [],
    timers: new Set(),
    held: 0,
    rateLimits: { ...LINE_RATE_LIMITS, ...options.rateLimits },
    buckets: new Map(),
    requests: [],
    deliveries: [],
    richMenus: newRichMenuState(),
  };
  const server = createServer((req, res) => {
    handleRequest(state, req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      res.writeHead(500, { "content-type": "application/json", "x-line-request-id": randomUUID() });
      res.end(JSON.stringify({ message: `LINE fake crashed: ${String(error)}` }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const close = async (): Promise<void> => {
    for (const timer of state.timers) clearTimeout(timer);
    state.timers.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  };
  return buildFake(state, `http://127.0.0.1:${port}`, close);
}

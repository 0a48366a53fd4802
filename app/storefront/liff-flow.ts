// The LIFF page's client flow as a function of its collaborators (the SDK, the URL, storage, the network), so
// every branch can be tested without a browser. Browser-safe: no server imports.

/** What can go wrong, each with its own text in liff-texts.ts. */
export type FlowError =
  | "intent-unknown"
  | "intent-expired"
  | "intent-used"
  | "login-cancelled"
  | "login-failed"
  | "id-token-rejected"
  | "no-id-token"
  | "line-unavailable"
  | "rate-limited"
  | "storage-blocked"
  | "init-failed"
  | "account-unavailable"
  | "network"
  | "unexpected";

/** What the error page offers: a fresh login, a logout then login (stale token), a reload, or nothing. */
export type Retry = "login" | "relogin" | "reload" | null;

export type FlowState =
  | { kind: "working" }
  | { kind: "linked"; isFriend: boolean; friendAddUrl: string | null; returnUrl: string | null; redirect?: boolean }
  | { kind: "error"; error: FlowError; retry: Retry; detail?: string };

/** The part of `@line/liff` the flow uses. */
export interface LiffLike {
  init(config: { liffId: string }): Promise<void>;
  isLoggedIn(): boolean;
  isInClient(): boolean;
  login(config?: { redirectUri?: string }): void;
  logout(): void;
  closeWindow(): void;
  getIDToken(): string | null;
  getDecodedIDToken(): { exp?: number } | null;
  /** The LINE app's language (LIFF 2.24+), or the browser's; either may be missing in a stand-in. */
  getAppLanguage?(): string;
  getLanguage?(): string;
}

export interface FlowDeps {
  liffId: string;
  /** POST target: /liff/<accountId>/link */
  linkUrl: string;
  /** The current URL; read again after liff.init, which may restore it from `liff.state`. */
  href: () => string;
  storageUsable: () => boolean;
  loadLiff: () => Promise<LiffLike>;
  post: (url: string, body: unknown) => Promise<{ status: number; body: unknown }>;
  now?: () => number;
  /** Called once liff.init has resolved (e.g. to speak the LINE app's language from then on). */
  onInit?: (liff: LiffLike) => void;
}

const RETRY: Record<FlowError, Retry> = {
  "intent-unknown": null,
  "intent-expired": null,
  "intent-used": null,
  "login-cancelled": "login",
  "login-failed": "login",
  "id-token-rejected": "relogin",
  "no-id-token": null,
  "line-unavailable": "reload",
  "rate-limited": "reload",
  "storage-blocked": null,
  "init-failed": "reload",
  "account-unavailable": null,
  network: "reload",
  unexpected: "reload",
};

export function errorState(error: FlowError, detail?: string): FlowState {
  return { kind: "error", error, retry: RETRY[error], ...(detail ? { detail } : {}) };
}

/** Query parameters LINE Login adds on its way back; dropped when starting over so only `intent` remains. */
const LOGIN_PARAMS = ["code", "state", "liffClientId", "liffRedirectUri", "error", "error_description", "liffOAuth2Error", "liff.hback"];

export function cleanUrl(href: string): string {
  const url = new URL(href);
  for (const name of LOGIN_PARAMS) url.searchParams.delete(name);
  return url.toString();
}

/** LINE Login sends a refused or failed login back with `error` (access_denied when the user cancels). */
export function loginErrorFrom(href: string): FlowState | null {
  const query = new URL(href).searchParams;
  const error = query.get("error");
  if (!error) return null;
  if (error === "access_denied") return errorState("login-cancelled");
  const description = query.get("error_description");
  return errorState("login-failed", description ? `${error}: ${description}` : error);
}

/** Private windows and "block all cookies" settings make Web Storage throw; the SDK keeps its login there. */
export function storageUsable(win: { localStorage: Storage; sessionStorage: Storage }): boolean {
  try {
    for (const storage of [win.localStorage, win.sessionStorage]) {
      storage.setItem("liff-probe", "1");
      storage.removeItem("liff-probe");
    }
    return true;
  } catch {
    return false;
  }
}

function isStorageError(error: unknown): boolean {
  const { name = "", message = "" } = (error ?? {}) as { name?: string; message?: string };
  return (
    name === "SecurityError" ||
    name === "QuotaExceededError" ||
    /localStorage|sessionStorage|storage|cookie|operation is insecure|access is denied/i.test(String(message))
  );
}

/** liff.init failures: storage trouble gets its own advice, anything else is a generic init failure. */
export function initErrorState(error: unknown): FlowState {
  if (isStorageError(error)) return errorState("storage-blocked");
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return errorState("init-failed", [code, message].filter(Boolean).join(": ") || String(error));
}

const SERVER_ERRORS: Record<string, FlowError> = {
  "account-unavailable": "account-unavailable",
  "id-token-rejected": "id-token-rejected",
  "line-unavailable": "line-unavailable",
  "intent-unknown": "intent-unknown",
  "intent-expired": "intent-expired",
  "intent-used": "intent-used",
  "rate-limited": "rate-limited",
};

/** The answer of POST /liff/<accountId>/link as a page state. */
export function linkResponseState(status: number, body: unknown): FlowState {
  const answer = (body ?? {}) as { linked?: unknown; isFriend?: unknown; friendAddUrl?: unknown; returnUrl?: unknown; redirect?: unknown; error?: unknown };
  if (status === 200 && answer.linked === true) {
    return {
      kind: "linked",
      isFriend: answer.isFriend === true,
      friendAddUrl: typeof answer.friendAddUrl === "string" ? answer.friendAddUrl : null,
      returnUrl: typeof answer.returnUrl === "string" ? answer.returnUrl : null,
      ...(answer.redirect === true && typeof answer.returnUrl === "string" ? { redirect: true } : {}),
    };
  }
  const known = typeof answer.error === "string" ? SERVER_ERRORS[answer.error] : undefined;
  if (known) return errorState(known);
  if (status === 429) return errorState("rate-limited");
  return errorState("unexpected", `HTTP ${status}${typeof answer.error === "string" ? ` ${answer.error}` : ""}`);
}

/**
 * The whole flow. Resolves with the state to show, or stays "working" while the page navigates away
 * (LINE Login, or the SDK restoring the URL from `liff.state`).
 */
export async function runLiffFlow(deps: FlowDeps): Promise<FlowState> {
  const loginError = loginErrorFrom(deps.href());
  if (loginError) return loginError;
  if (!deps.storageUsable()) return errorState("storage-blocked");

  let liff: LiffLike;
  try {
    liff = await deps.loadLiff();
  } catch (error) {
    return errorState("network", (error as Error)?.message);
  }
  try {
    await liff.init({ liffId: deps.liffId });
  } catch (error) {
    return initErrorState(error);
  }
  try {
    deps.onInit?.(liff);
  } catch {
    // the page's concern, never the flow's
  }

  const href = deps.href();
  const intent = new URL(href).searchParams.get("intent");
  if (!intent) return errorState("intent-unknown");
  const backFromLogin = new URL(href).searchParams.has("code");
  if (!liff.isLoggedIn()) {
    // Back from LINE Login yet not logged in: the browser did not keep the SDK's login state (private mode,
    // or the login finished in another browser). Logging in again would loop.
    if (backFromLogin) return errorState("storage-blocked");
    liff.login({ redirectUri: cleanUrl(href) });
    return { kind: "working" };
  }

  const now = deps.now?.() ?? Date.now();
  const exp = liff.getDecodedIDToken()?.exp;
  if (!liff.isInClient() && !backFromLogin && typeof exp === "number" && exp * 1000 < now + 60_000) {
    // An external browser keeps the login for days, its ID token for an hour: get a fresh one.
    liff.logout();
    liff.login({ redirectUri: cleanUrl(href) });
    return { kind: "working" };
  }
  const idToken = liff.getIDToken();
  if (!idToken) return errorState("no-id-token");

  let response: { status: number; body: unknown };
  try {
    response = await deps.post(deps.linkUrl, { intent, idToken });
  } catch (error) {
    return errorState("network", (error as Error)?.message);
  }
  return linkResponseState(response.status, response.body);
}

/** The browser's POST: JSON both ways; a non-JSON answer (a proxy's error page) becomes an empty body. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body),
    credentials: "same-origin",
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

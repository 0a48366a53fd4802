// The LIFF page's client flow with a scripted SDK and network: every outcome maps to its state and its words.
import { describe, expect, it, vi } from "vitest";
import {
  cleanUrl,
  initErrorState,
  linkResponseState,
  runLiffFlow,
  storageUsable,
  type FlowDeps,
  type FlowError,
  type FlowState,
  type LiffLike,
} from "~/storefront/liff-flow";
import { problemFor } from "~/storefront/liff-problems";
import { liffTexts } from "~/storefront/liff-texts";

const PAGE = "https://app.example/liff/acc1";
const INTENT = "intent-0123456789abcdef";

function fakeLiff(overrides: Partial<LiffLike> & { loggedIn?: boolean; idToken?: string | null; exp?: number } = {}) {
  const liff = {
    init: vi.fn(async () => {}),
    isLoggedIn: vi.fn(() => overrides.loggedIn ?? true),
    isInClient: vi.fn(() => false),
    login: vi.fn(),
    logout: vi.fn(),
    closeWindow: vi.fn(),
    getIDToken: vi.fn(() => (overrides.idToken === undefined ? "raw-id-token" : overrides.idToken)),
    getDecodedIDToken: vi.fn(() => (overrides.exp === undefined ? null : { exp: overrides.exp })),
    ...overrides,
  };
  return liff;
}

function deps(liff: LiffLike, options: Partial<FlowDeps> & { url?: string; answer?: { status: number; body: unknown } } = {}) {
  const post = vi.fn(async () => options.answer ?? { status: 200, body: { linked: true, isFriend: false, friendAddUrl: "https://lin.ee/x", returnUrl: "https://s.example/" } });
  const flowDeps: FlowDeps = {
    liffId: "2000000001-AbCdEfGh",
    linkUrl: "/liff/acc1/link",
    href: () => options.url ?? `${PAGE}?intent=${INTENT}`,
    storageUsable: () => true,
    loadLiff: async () => liff,
    post,
    now: () => Date.parse("2026-11-21T00:00:00Z"),
    ...options,
  };
  return { flowDeps, post };
}

const errorOf = (state: FlowState) => (state.kind === "error" ? state.error : state.kind);

describe("runLiffFlow", () => {
  it("initialises with the LIFF id, reads the intent after init, posts the raw ID token and shows the link", async () => {
    let url = `${PAGE}?liff.state=%3Fintent%3D${INTENT}`;
    const liff = fakeLiff({
      init: vi.fn(async () => {
        url = `${PAGE}?intent=${INTENT}`; // the SDK restores the query from liff.state
      }),
    });
    const { flowDeps, post } = deps(liff, { href: () => url });
    const state = await runLiffFlow(flowDeps);
    expect(liff.init).toHaveBeenCalledWith({ liffId: "2000000001-AbCdEfGh" });
    expect(post).toHaveBeenCalledWith("/liff/acc1/link", { intent: INTENT, idToken: "raw-id-token" });
    expect(state).toEqual({ kind: "linked", isFriend: false, friendAddUrl: "https://lin.ee/x", returnUrl: "https://s.example/" });
  });

  it("sends a shopper who is not logged in to LINE Login, back to this URL without login leftovers", async () => {
    const liff = fakeLiff({ loggedIn: false });
    const { flowDeps, post } = deps(liff, { url: `${PAGE}?intent=${INTENT}&liff.hback=2` });
    expect(await runLiffFlow(flowDeps)).toEqual({ kind: "working" });
    expect(liff.login).toHaveBeenCalledWith({ redirectUri: `${PAGE}?intent=${INTENT}` });
    expect(post).not.toHaveBeenCalled();
  });

  it("does not loop when LINE Login came back but the browser kept no login (private mode)", async () => {
    const liff = fakeLiff({ loggedIn: false });
    const { flowDeps } = deps(liff, { url: `${PAGE}?intent=${INTENT}&code=abc&state=xyz&liffClientId=2000000001` });
    expect(errorOf(await runLiffFlow(flowDeps))).toBe("storage-blocked");
    expect(liff.login).not.toHaveBeenCalled();
  });

  it("refreshes a stale ID token in an external browser before sending it", async () => {
    const liff = fakeLiff({ exp: Date.parse("2026-11-20T23:00:00Z") / 1000 });
    const { flowDeps, post } = deps(liff);
    expect(await runLiffFlow(flowDeps)).toEqual({ kind: "working" });
    expect(liff.logout).toHaveBeenCalled();
    expect(liff.login).toHaveBeenCalledWith({ redirectUri: `${PAGE}?intent=${INTENT}` });
    expect(post).not.toHaveBeenCalled();
  });

  it("sends a fresh ID token as is", async () => {
    const liff = fakeLiff({ exp: Date.parse("2026-11-21T01:00:00Z") / 1000 });
    const { flowDeps, post } = deps(liff);
    expect((await runLiffFlow(flowDeps)).kind).toBe("linked");
    expect(post).toHaveBeenCalled();
    expect(liff.logout).not.toHaveBeenCalled();
  });

  it("tells the merchant, not the shopper, that the LIFF app lacks the openid scope when there is no ID token", async () => {
    const liff = fakeLiff({ idToken: null });
    const { flowDeps, post } = deps(liff);
    const state = await runLiffFlow(flowDeps);
    expect(errorOf(state)).toBe("no-id-token");
    expect(post).not.toHaveBeenCalled();
    expect(problemFor(state)).toBe("openid-scope");
    for (const texts of Object.values(liffTexts)) expect(JSON.stringify(texts)).not.toMatch(/openid|scope|LIFF ID|INIT_FAILED/i);
  });

  it("asks to start again from the store when the URL has no intent, without logging in", async () => {
    const liff = fakeLiff({ loggedIn: false });
    const { flowDeps } = deps(liff, { url: PAGE });
    const state = await runLiffFlow(flowDeps);
    expect(state).toEqual({ kind: "error", error: "intent-unknown", retry: null });
    expect(liff.login).not.toHaveBeenCalled();
    expect(liffTexts.en.errors["intent-unknown"].title).toBe("Please start again from the store");
    expect(liffTexts.ja.errors["intent-unknown"].title).toBe("ストアからやり直してください");
  });

  it("shows a cancelled login (error=access_denied) with a way to log in again, before touching the SDK", async () => {
    const liff = fakeLiff();
    const url = `${PAGE}?intent=${INTENT}&error=access_denied&error_description=The+resource+owner+denied+the+request.&state=s&liffOAuth2Error=true`;
    const state = await runLiffFlow(deps(liff, { url }).flowDeps);
    expect(state).toEqual({ kind: "error", error: "login-cancelled", retry: "login" });
    expect(liff.init).not.toHaveBeenCalled();
    expect(cleanUrl(url)).toBe(`${PAGE}?intent=${INTENT}`);
  });

  it("shows another login error with LINE's description", async () => {
    const url = `${PAGE}?intent=${INTENT}&error=server_error&error_description=Something+broke`;
    const state = await runLiffFlow(deps(fakeLiff(), { url }).flowDeps);
    expect(state).toEqual({ kind: "error", error: "login-failed", retry: "login", detail: "server_error: Something broke" });
  });

  it("detects unusable Web Storage before starting the SDK", async () => {
    const liff = fakeLiff();
    const state = await runLiffFlow(deps(liff, { storageUsable: () => false }).flowDeps);
    expect(errorOf(state)).toBe("storage-blocked");
    expect(liff.init).not.toHaveBeenCalled();
    expect(liffTexts.en.errors["storage-blocked"].body).toMatch(/normal browser window or in the LINE app/);
    expect(liffTexts.ja.errors["storage-blocked"].body).toMatch(/LINEアプリで開いてください/);
  });

  it("maps liff.init failures: storage errors to the private-mode advice, anything else to an init failure", async () => {
    const denied = new DOMException("Failed to read the 'localStorage' property from 'Window': Access is denied for this document.", "SecurityError");
    const storage = fakeLiff({ init: vi.fn(async () => Promise.reject(denied)) });
    expect(errorOf(await runLiffFlow(deps(storage).flowDeps))).toBe("storage-blocked");

    const liffError = Object.assign(new Error("Invalid LIFF ID"), { code: "INIT_FAILED" });
    const other = fakeLiff({ init: vi.fn(async () => Promise.reject(liffError)) });
    expect(await runLiffFlow(deps(other).flowDeps)).toEqual({ kind: "error", error: "init-failed", retry: "reload", detail: "INIT_FAILED: Invalid LIFF ID" });
    expect(initErrorState(new DOMException("The quota has been exceeded.", "QuotaExceededError"))).toMatchObject({ error: "storage-blocked" });
  });

  it("reports a failed SDK download or POST as a network problem", async () => {
    const noSdk = deps(fakeLiff(), { loadLiff: () => Promise.reject(new TypeError("Failed to fetch dynamically imported module")) });
    expect(errorOf(await runLiffFlow(noSdk.flowDeps))).toBe("network");
    const offline = deps(fakeLiff());
    offline.post.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    expect(errorOf(await runLiffFlow(offline.flowDeps))).toBe("network");
  });
});

describe("linkResponseState: every answer of POST /liff/:accountId/link", () => {
  const cases: Array<[number, string, FlowError, string, string]> = [
    [404, "account-unavailable", "account-unavailable", "現在ご利用いただけません", "Not available right now"],
    [401, "id-token-rejected", "id-token-rejected", "LINEアカウントを確認できませんでした", "We could not confirm your LINE account"],
    [503, "line-unavailable", "line-unavailable", "LINEに接続できません", "LINE is not responding"],
    [404, "intent-unknown", "intent-unknown", "ストアからやり直してください", "Please start again from the store"],
    [410, "intent-expired", "intent-expired", "有効期限が切れました", "This link has expired"],
    [409, "intent-used", "intent-used", "このリンクはすでに使用されています", "This link has already been used"],
    [429, "rate-limited", "rate-limited", "アクセスが集中しています", "Too many attempts"],
    [400, "bad-request", "unexpected", "エラーが発生しました", "Something went wrong"],
  ];
  it.each(cases)("%i %s → %s", (status, error, expected, ja, en) => {
    const state = linkResponseState(status, { linked: false, error });
    expect(errorOf(state)).toBe(expected);
    expect(liffTexts.ja.errors[expected].title).toBe(ja);
    expect(liffTexts.en.errors[expected].title).toBe(en);
  });

  it("offers the right next step for each error", () => {
    expect(linkResponseState(401, { linked: false, error: "id-token-rejected" })).toMatchObject({ retry: "relogin" });
    expect(linkResponseState(503, { linked: false, error: "line-unavailable" })).toMatchObject({ retry: "reload" });
    expect(linkResponseState(429, { linked: false, error: "rate-limited" })).toMatchObject({ retry: "reload" });
    expect(linkResponseState(409, { linked: false, error: "intent-used" })).toMatchObject({ retry: null });
    expect(linkResponseState(410, { linked: false, error: "intent-expired" })).toMatchObject({ retry: null });
  });

  it("treats an answer without our JSON (a proxy's 429 or 502 page) by its status", () => {
    expect(errorOf(linkResponseState(429, null))).toBe("rate-limited");
    expect(linkResponseState(502, null)).toEqual({ kind: "error", error: "unexpected", retry: "reload", detail: "HTTP 502" });
  });

  it("reads a success, a friend needing no prompt, and ignores malformed fields", () => {
    expect(linkResponseState(200, { linked: true, isFriend: true, friendAddUrl: null, returnUrl: "https://s.example/p" })).toEqual({
      kind: "linked",
      isFriend: true,
      friendAddUrl: null,
      returnUrl: "https://s.example/p",
    });
    expect(linkResponseState(200, { linked: true, isFriend: "yes", returnUrl: 5 })).toEqual({ kind: "linked", isFriend: false, friendAddUrl: null, returnUrl: null });
    expect(errorOf(linkResponseState(200, { linked: false }))).toBe("unexpected");
  });
});

describe("storageUsable", () => {
  const working = () => {
    const map = new Map<string, string>();
    return { setItem: (k: string, v: string) => void map.set(k, v), removeItem: (k: string) => void map.delete(k), map } as unknown as Storage & { map: Map<string, string> };
  };
  const throwing = { setItem: () => { throw new DOMException("denied", "SecurityError"); }, removeItem: () => {} } as unknown as Storage;

  it("is true when both storages take a write, and leaves nothing behind", () => {
    const local = working();
    const session = working();
    expect(storageUsable({ localStorage: local, sessionStorage: session })).toBe(true);
    expect((local as unknown as { map: Map<string, string> }).map.size).toBe(0);
  });

  it("is false when either storage throws, or when reading the property itself throws", () => {
    expect(storageUsable({ localStorage: throwing, sessionStorage: working() })).toBe(false);
    expect(storageUsable({ localStorage: working(), sessionStorage: throwing })).toBe(false);
    const blocked = Object.defineProperty({}, "localStorage", { get: () => { throw new DOMException("Access is denied", "SecurityError"); } });
    expect(storageUsable(Object.assign(blocked, { sessionStorage: working() }) as never)).toBe(false);
  });
});

describe("texts", () => {
  it("has the same keys in Japanese and English", () => {
    expect(Object.keys(liffTexts.ja.errors).sort()).toEqual(Object.keys(liffTexts.en.errors).sort());
    expect(Object.keys(liffTexts.ja).sort()).toEqual(Object.keys(liffTexts.en).sort());
    expect(liffTexts.ja.linkedTitle).toBe("連携が完了しました");
    expect(liffTexts.ja.addFriend).toBe("友だち追加");
  });
});

// GET /liff/:accountId — the LIFF endpoint page (public: LINE opens it, in its in-app browser or any browser).
// The server only names the LIFF app and the page language (Accept-Language, else the account's language, else
// Japanese; once LIFF has started, the LINE app's language); the LINE login, the ID token and the link all happen
// in the browser (app/storefront/liff-flow.ts), ending in POST /liff/:accountId/link. What only the merchant can fix
// is reported to POST /liff/:accountId/problem, never shown to the shopper.
import { json, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useParams, useRouteError } from "@remix-run/react";
import { useEffect, useState } from "react";
import { db } from "../db.server";
import { cleanUrl, postJson, runLiffFlow, storageUsable, type FlowState, type LiffLike } from "../storefront/liff-flow";
import { problemFor } from "../storefront/liff-problems";
import { liffProblemToken } from "../storefront/liff-problems.server";
import { fill, languageOf, liffTexts, pageLanguage, type LiffTexts, type PageLanguage } from "../storefront/liff-texts";
import styles from "../styles/liff.css";

const NO_STORE = { "Cache-Control": "no-store", Vary: "Accept-Language" };

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const account = await db.lineAccount.findUnique({
    where: { id: params.accountId ?? "" },
    select: { id: true, shop: true, status: true, displayName: true, friendAddUrl: true, liffId: true, loginChannelId: true, messageLanguage: true },
  });
  const lang = pageLanguage(request.headers.get("accept-language"), account?.messageLanguage);
  if (!account || account.status !== "connected" || !account.liffId || !account.loginChannelId) {
    throw json({ lang }, { status: 404, headers: NO_STORE });
  }
  return json(
    {
      lang,
      liffId: account.liffId,
      displayName: account.displayName,
      friendAddUrl: account.friendAddUrl,
      storeUrl: `https://${account.shop}/`,
      problemToken: liffProblemToken(account),
    },
    { headers: NO_STORE },
  );
};

export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${liffTexts[data.lang].documentTitle} | ${data.displayName}` : "LINE" },
  { name: "robots", content: "noindex" },
];

// One flow per page load, even if React runs the effect twice.
let flow: Promise<FlowState> | null = null;
let sdk: LiffLike | null = null;

async function loadLiff(): Promise<LiffLike> {
  const { default: liff } = await import("@line/liff");
  sdk = liff;
  return liff;
}

/** LINE's app language once LIFF has started: the shopper's LINE speaks it, whatever the browser says. */
function lineLanguage(liff: LiffLike): PageLanguage | null {
  try {
    return languageOf(liff.getAppLanguage?.() ?? liff.getLanguage?.());
  } catch {
    return null;
  }
}

function inLineApp(): boolean {
  try {
    return sdk?.isInClient() ?? false;
  } catch {
    return false;
  }
}

function startOver(logout: boolean) {
  if (logout) sdk?.logout();
  window.location.assign(cleanUrl(window.location.href));
}

export default function LiffPage() {
  const data = useLoaderData<typeof loader>();
  const { accountId = "" } = useParams();
  const [lang, setLang] = useState<PageLanguage>(data.lang);
  const t = liffTexts[lang];
  const [state, setState] = useState<FlowState>({ kind: "working" });
  const [inClient, setInClient] = useState(false);

  useEffect(() => {
    flow ??= runLiffFlow({
      liffId: data.liffId,
      linkUrl: `/liff/${encodeURIComponent(accountId)}/link`,
      href: () => window.location.href,
      storageUsable: () => storageUsable(window),
      loadLiff,
      post: postJson,
      onInit: (liff) => {
        const language = lineLanguage(liff);
        if (language) setLang(language);
      },
    });
    let active = true;
    flow.then((next) => {
      if (!active) return;
      // An action link: its actions are applied; on to its target without a stop.
      if (next.kind === "linked" && next.redirect && next.returnUrl) return window.location.replace(next.returnUrl);
      setState(next);
      setInClient(inLineApp());
      if (sdk) {
        const language = lineLanguage(sdk);
        if (language) setLang(language);
      }
      // The merchant's problem goes to the merchant (the admin home's alerts), not to the shopper.
      const problem = problemFor(next);
      if (problem) postJson(`/liff/${encodeURIComponent(accountId)}/problem`, { code: problem, token: data.problemToken }).catch(() => {});
    });
    return () => {
      active = false;
    };
  }, [data.liffId, data.problemToken, accountId]);

  const name = data.displayName;
  return (
    <main className="liff" lang={lang} aria-busy={state.kind === "working"}>
      <p className="liff-brand">
        <span className="liff-badge">LINE</span>
        <span>{name}</span>
      </p>
      <div aria-live="polite">
        {state.kind === "working" ? (
          <>
            <div className="liff-spinner" role="progressbar" aria-label={t.working} />
            <h1>{t.working}</h1>
            <p className="liff-hint">{t.workingHint}</p>
          </>
        ) : state.kind === "linked" ? (
          <Linked t={t} name={name} state={state} friendAddUrl={state.friendAddUrl ?? data.friendAddUrl} inClient={inClient} />
        ) : (
          <Failed t={t} state={state} storeUrl={data.storeUrl} inClient={inClient} />
        )}
      </div>
    </main>
  );
}

type LinkedState = Extract<FlowState, { kind: "linked" }>;
type FailedState = Extract<FlowState, { kind: "error" }>;

function Linked({ t, name, state, friendAddUrl, inClient }: { t: LiffTexts; name: string; state: LinkedState; friendAddUrl: string | null; inClient: boolean }) {
  const offerFriend = !state.isFriend && friendAddUrl;
  return (
    <>
      <div className="liff-icon ok" aria-hidden="true">✓</div>
      <h1>{t.linkedTitle}</h1>
      <p>{fill(t.linkedBody, { name })}</p>
      {offerFriend ? <p className="liff-prompt">{fill(t.addFriendPrompt, { name })}</p> : null}
      <div className="liff-actions">
        {offerFriend ? (
          <a className="liff-button primary" href={friendAddUrl}>
            {t.addFriend}
          </a>
        ) : null}
        {state.returnUrl ? (
          <a className={`liff-button ${offerFriend ? "secondary" : "primary"}`} href={state.returnUrl}>
            {t.backToStore}
          </a>
        ) : null}
        {inClient ? <CloseButton t={t} /> : null}
      </div>
    </>
  );
}

function Failed({ t, state, storeUrl, inClient }: { t: LiffTexts; state: FailedState; storeUrl: string; inClient: boolean }) {
  const text = t.errors[state.error];
  return (
    <>
      <div className="liff-icon warn" aria-hidden="true">!</div>
      <h1>{text.title}</h1>
      <p>{text.body}</p>
      <div className="liff-actions">
        {state.retry ? (
          <button type="button" className="liff-button primary" onClick={() => startOver(state.retry === "relogin")}>
            {state.retry === "reload" ? t.retry : t.loginAgain}
          </button>
        ) : null}
        <a className={`liff-button ${state.retry ? "secondary" : "primary"}`} href={storeUrl}>
          {t.backToStore}
        </a>
        {inClient ? <CloseButton t={t} /> : null}
      </div>
    </>
  );
}

function CloseButton({ t }: { t: LiffTexts }) {
  return (
    <button type="button" className="liff-button secondary" onClick={() => sdk?.closeWindow()}>
      {t.close}
    </button>
  );
}

/** 404 for an unknown or unusable account: the shopper's language first, then English (Japanese for English). */
export function ErrorBoundary() {
  const error = useRouteError();
  const first: PageLanguage = (isRouteErrorResponse(error) && languageOf(error.data?.lang)) || "en";
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <main className="liff">
      <p className="liff-brand">
        <span className="liff-badge">LINE</span>
      </p>
      {[first, first === "en" ? "ja" : "en"].map((lang) => {
        const t = liffTexts[lang as PageLanguage];
        return (
          <section key={lang} lang={lang}>
            <h1>{notFound ? t.notFoundTitle : t.errors.unexpected.title}</h1>
            <p>{notFound ? t.notFoundBody : t.errors.unexpected.body}</p>
          </section>
        );
      })}
    </main>
  );
}

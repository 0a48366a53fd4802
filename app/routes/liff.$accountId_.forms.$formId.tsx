// GET /liff/:accountId/forms/:formId — a form in the LIFF page (LINE's in-app browser, or any browser with LINE
// Login). POST — the answer with the raw ID token; the server verifies the token with LINE and takes the friend
// from it (app/forms/forms.server.ts).
import { json, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData, useParams } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { publicForm, submitAnswer } from "../forms/forms.server";
import { LiffForm, type Submitted } from "../forms/liff-form";
import { formLanguage } from "../forms/liff-form-texts";
import type { AnswerValues } from "../forms/model";
import { clientKey } from "../storefront/client-address.server";
import { withinLimit } from "../storefront/rate-limit.server";
import styles from "../styles/liff.css";

const NO_STORE = { "Cache-Control": "no-store", Vary: "Accept-Language" };

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const lang = formLanguage(new URL(request.url).searchParams.get("lang") ?? request.headers.get("accept-language"));
  const form = await publicForm(params.accountId ?? "", params.formId ?? "");
  if (!form) throw json({ lang }, { status: 404, headers: NO_STORE });
  const { liffId, ...shown } = form;
  return json({ lang, liffId, form: shown }, { headers: NO_STORE });
};

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.form.title ?? "LINE" }, { name: "robots", content: "noindex" }];

const body = z.object({ idToken: z.string().min(10).max(5_000), values: z.record(z.string(), z.unknown()) });

const STATUS: Record<string, number> = {
  "form-unavailable": 404,
  "not-open": 409,
  closed: 410,
  "already-answered": 409,
  invalid: 422,
  "id-token-rejected": 401,
  "line-unavailable": 503,
  "rate-limited": 429,
};

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return json({ ok: false, error: "method-not-allowed" }, { status: 405 });
  if (!(await withinLimit("liff-form-ip", clientKey(context), 30, 60))) return json({ ok: false, error: "rate-limited" }, { status: 429 });
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return json({ ok: false, error: "bad-request" }, { status: 400 });
  const result = await submitAnswer(params.accountId ?? "", params.formId ?? "", parsed.data.idToken, parsed.data.values as AnswerValues);
  return json(result.ok ? { ok: true } : result, { status: result.ok ? 200 : STATUS[result.error] });
};

type Liff = typeof import("@line/liff").default;
let sdk: Promise<Liff> | null = null;

/** LIFF, initialised once; null when it cannot start (not opened through LIFF, storage blocked…). */
function liff(liffId: string): Promise<Liff> {
  sdk ??= import("@line/liff").then(async ({ default: client }) => {
    await client.init({ liffId });
    return client;
  });
  return sdk;
}

const draftKey = (formId: string) => `liff-form-draft-${formId}`;

export default function LiffFormPage() {
  const data = useLoaderData<typeof loader>();
  const { accountId = "", formId = "" } = useParams();
  const [initial, setInitial] = useState<AnswerValues | undefined>(undefined);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    // Answers typed before a LINE Login redirect come back from the session.
    try {
      const saved = sessionStorage.getItem(draftKey(formId));
      if (saved) setInitial(JSON.parse(saved) as AnswerValues);
    } catch {
      // storage blocked: the friend types again
    }
    setReady(true);
    liff(data.liffId).catch(() => {});
  }, [data.liffId, formId]);

  const submit = async (values: AnswerValues): Promise<Submitted> => {
    let client: Liff;
    try {
      client = await liff(data.liffId);
    } catch {
      sdk = null;
      return { ok: false, error: "id-token-rejected" };
    }
    if (!client.isLoggedIn()) {
      try {
        sessionStorage.setItem(draftKey(formId), JSON.stringify(values));
      } catch {
        // nothing to keep the draft in
      }
      client.login({ redirectUri: window.location.href });
      return new Promise(() => {}); // the page leaves for LINE Login
    }
    const idToken = client.getIDToken();
    if (!idToken) return { ok: false, error: "id-token-rejected" };
    const response = await fetch(`/liff/${encodeURIComponent(accountId)}/forms/${encodeURIComponent(formId)}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ idToken, values }),
    }).catch(() => null);
    if (!response) return { ok: false, error: "network" };
    const answer = (await response.json().catch(() => ({ ok: false, error: "failed" }))) as Submitted;
    if (answer.ok) sessionStorage.removeItem(draftKey(formId));
    return answer;
  };

  return <div lang={data.lang}>{ready ? <LiffForm key={initial ? "draft" : "blank"} data={data} submit={submit} initial={initial} /> : <LiffForm data={data} submit={submit} />}</div>;
}

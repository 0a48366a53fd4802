import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { deleteDraft, getBroadcast, saveBroadcast, scheduleBroadcast, testSend, unschedule } from "../broadcasts/broadcasts.server";
import { BroadcastComposerPage, type ComposerAnswer } from "../broadcasts/components/composer-page";
import { whenSchema } from "../broadcasts/schemas.server";
import { EDITABLE } from "../broadcasts/status";
import { composerPage } from "../broadcasts/pages.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const broadcast = params.id === "new" ? null : await getBroadcast(session.shop, params.id ?? "");
  if (params.id !== "new" && !broadcast) throw new Response("Not found", { status: 404 });
  if (broadcast && !EDITABLE.includes(broadcast.status as never)) throw redirect(`/app/broadcasts/${broadcast.id}/results`);
  return composerPage(session.shop, broadcast);
};

const parseJson = (value: FormDataEntryValue | null) => {
  try {
    return JSON.parse(String(value ?? "null")) as unknown;
  } catch {
    return null;
  }
};

const fail = (errors: Record<string, string>, status = 422, detail?: string[], messageErrors?: Record<string, string>) =>
  json<ComposerAnswer>({ ok: false, errors, detail: detail ?? [], messageErrors: messageErrors ?? {} }, { status });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = params.id === "new" ? null : (params.id ?? "");
  const notFound = (errors: Record<string, string>) => (errors.form === "broadcasts.error.notFound" ? 404 : errors.form === "broadcasts.error.notEditable" ? 409 : 422);
  if (intent === "save") {
    const result = await saveBroadcast(session.shop, id, parseJson(form.get("broadcast")), parseJson(form.get("messages")));
    if (!result.ok) return fail(result.errors, notFound(result.errors), undefined, result.messageErrors);
    return json<ComposerAnswer>({ ok: true, intent, count: 0, ...(id ? {} : { id: result.broadcast.id }) });
  }
  if (!id) return fail({ form: "broadcasts.error.notFound" }, 404);
  if (intent === "schedule") {
    const when = whenSchema.safeParse({ mode: form.get("mode"), date: form.get("date"), time: form.get("time") });
    if (!when.success) return fail(Object.fromEntries(when.error.issues.map((issue) => [issue.path.join(".") || "when", issue.message])));
    const result = await scheduleBroadcast(session.shop, id, when.data);
    if (!result.ok) return fail(result.errors, notFound(result.errors), undefined, result.messageErrors);
    return when.data.mode === "now" ? redirect(`/app/broadcasts/${id}/results`) : json<ComposerAnswer>({ ok: true, intent, count: 0 });
  }
  if (intent === "unschedule" || intent === "test" || intent === "delete") {
    const result = intent === "unschedule" ? await unschedule(session.shop, id) : intent === "test" ? await testSend(session.shop, id) : await deleteDraft(session.shop, id);
    if (!result.ok) return fail(result.errors, notFound(result.errors));
    return json<ComposerAnswer>({ ok: true, intent, count: "testers" in result ? result.testers : 0 });
  }
  return fail({ form: "broadcasts.error.intent" }, 400);
};

export default function BroadcastComposer() {
  const data = useLoaderData<typeof loader>();
  // A new draft, once saved, is another record: the composer starts afresh from what was stored.
  return <BroadcastComposerPage key={data.broadcast?.id ?? "new"} data={data} />;
}

import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useRevalidator } from "@remix-run/react";
import { useState } from "react";
import { archiveActionLink, listActionLinks, saveActionLink } from "../action-links/action-links.server";
import { ActionLinksPage, type LinkForm } from "../action-links/components/action-links-page";
import { connectedAccounts } from "../components/account-picker";
import { useToast } from "../components/toast";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import { listAccounts } from "../line/accounts.server";
import { menuChoices } from "../rich-menus/pages.server";
import { authenticate } from "../shopify.server";
import { listTags } from "../tags/tags.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [links, accounts, tags, menus] = await Promise.all([listActionLinks(session.shop), listAccounts(session.shop), listTags(session.shop), menuChoices(session.shop)]);
  return { links, accounts: connectedAccounts(accounts), tags: tags.map((tag) => ({ id: tag.id, name: tag.name })), menus };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const id = String(form.get("id") ?? "") || null;
  if (intent === "save") {
    let input: unknown = null;
    try {
      input = JSON.parse(String(form.get("link") ?? "null"));
    } catch {
      input = null;
    }
    const result = await saveActionLink(session.shop, id, input ?? {});
    return result.ok ? json({ ok: true as const, intent }) : json({ ok: false as const, errors: result.errors }, { status: result.status });
  }
  if (intent === "archive" && id) {
    return (await archiveActionLink(session.shop, id))
      ? json({ ok: true as const, intent })
      : json({ ok: false as const, errors: { form: "actionLinks.error.notFound" } }, { status: 404 });
  }
  return json({ ok: false as const, errors: { form: "richMenuPages.error.intent" } }, { status: 400 });
};

export default function ActionLinks() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const revalidator = useRevalidator();
  const [editing, setEditing] = useState<(LinkForm & { id: string | null }) | null>(null);
  const toast = useToast();
  const { fetcher, fieldError, busy } = useRouteAction<typeof action>(() => {
    setEditing(null);
    toast(t("actionLinks.saved"));
  });
  return (
    <ActionLinksPage
      {...data}
      busy={busy}
      fieldError={fieldError}
      editing={editing}
      setEditing={setEditing}
      onBack={() => navigate("/app/rich-menus")}
      onArchived={() => {
        toast(t("actionLinks.archived"));
        revalidator.revalidate();
      }}
      onSave={(id, form) => fetcher.submit({ intent: "save", id: id ?? "", link: JSON.stringify(form) }, { method: "post" })}
    />
  );
}

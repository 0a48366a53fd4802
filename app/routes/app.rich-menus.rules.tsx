import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { useToast } from "../components/toast";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import { RulesPage } from "../rich-menus/components/rules-page";
import { rulesPage } from "../rich-menus/pages.server";
import { saveRules } from "../rich-menus/rich-menus.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return rulesPage(session.shop, request);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  let rules: unknown = null;
  try {
    rules = JSON.parse(String(form.get("rules") ?? "null"));
  } catch {
    rules = null;
  }
  if (!Array.isArray(rules)) return json({ ok: false as const, errors: { form: "richMenus.error.rules" } }, { status: 400 });
  const result = await saveRules(session.shop, String(form.get("accountId") ?? ""), rules);
  if ("errors" in result) return json({ ok: false as const, errors: result.errors }, { status: result.errors.form === "richMenus.error.account" ? 404 : 422 });
  return json({ ok: true as const });
};

export default function RichMenuRules() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const toast = useToast();
  const { fetcher, fieldError, busy } = useRouteAction<typeof action>(() => toast(t("richMenuPages.rules.saved")));
  return (
    <RulesPage
      key={data.accountId ?? ""}
      {...data}
      busy={busy}
      fieldError={fieldError}
      onBack={() => navigate(`/app/rich-menus${data.accountId ? `?account=${encodeURIComponent(data.accountId)}` : ""}`)}
      onSave={(rules) => fetcher.submit({ accountId: data.accountId ?? "", rules: JSON.stringify(rules) }, { method: "post" })}
    />
  );
}

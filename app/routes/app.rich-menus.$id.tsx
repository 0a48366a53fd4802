import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useNavigate, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { useToast } from "../components/toast";
import { useRouteAction } from "../components/use-route-action";
import { useT } from "../i18n/i18n";
import { MenuEditor } from "../rich-menus/components/editor";
import { menuAction } from "../rich-menus/editor-action.server";
import { editorPage } from "../rich-menus/pages.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const data = await editorPage(session.shop, params.id === "new" ? null : (params.id ?? ""), request);
  if (!data) throw json({ error: "richMenuPages.error.notFound" }, { status: 404 });
  return data;
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const outcome = await menuAction(session.shop, params.id === "new" ? null : (params.id ?? ""), request);
  if ("redirect" in outcome) return redirect(outcome.redirect);
  return json(outcome.body, { status: outcome.status });
};

function liveBy(iso: string, timeZone: string) {
  return new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

export default function RichMenuEditor() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const navigate = useNavigate();
  const toast = useToast();
  const [savedCount, setSavedCount] = useState(0);
  const { fetcher, fieldError, answer, errors } = useRouteAction<typeof action>((done) => {
    if (done.intent === "publish" && done.liveBy) {
      const later = new Date(done.liveBy).getTime() - Date.now() > 5 * 60_000;
      toast(t(later ? "richMenuPages.editor.queuedLater" : "richMenuPages.editor.queued", { time: liveBy(done.liveBy, data.timeZone) }));
    } else if (done.intent === "save") {
      setSavedCount((count) => count + 1);
      toast(t("richMenuPages.editor.saved"));
    } else if (done.intent === "tabs") toast(t("richMenuPages.tabs.saved"));
  });
  const busy = (intent: string) => fetcher.state !== "idle" && fetcher.formData?.get("intent") === intent;
  const submit = (fields: Record<string, string>) => fetcher.submit(fields, { method: "post" });
  const imageProblems = answer && !answer.ok && "imageProblems" in answer ? (answer.imageProblems ?? []) : [];
  return (
    <MenuEditor
      key={data.menu?.id ?? "new"}
      data={data}
      feedback={{ busy, fieldError, imageProblems, savedCount, hasErrors: Object.keys(errors).length > 0 }}
      actions={{
        back: () => navigate(`/app/rich-menus${data.accountId ? `?account=${encodeURIComponent(data.accountId)}` : ""}`),
        save: (input, image) => {
          const form = new FormData();
          form.append("intent", "save");
          form.append("menu", JSON.stringify(input));
          if (image) form.append("image", image, "menu-image");
          fetcher.submit(form, { method: "post", encType: "multipart/form-data" });
        },
        publish: () => submit({ intent: "publish" }),
        setDefault: (on) => submit({ intent: "default", on: on ? "1" : "0" }),
        archive: () => submit({ intent: "archive" }),
        saveTabs: (menuIds) => submit({ intent: "tabs", menuIds: JSON.stringify(menuIds) }),
      }}
    />
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  if (isRouteErrorResponse(error) && error.status === 404) {
    return (
      <Page backAction={{ content: t("richMenuPages.title"), url: "/app/rich-menus" }} title={t("richMenuPages.notFound.heading")}>
        <Banner tone="warning">
          <p>{t("richMenuPages.error.notFound")}</p>
        </Banner>
      </Page>
    );
  }
  return boundary.error(error);
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { NoAccountPage } from "../components/no-account-page";
import { useT } from "../i18n/i18n";
import { editorAction } from "../scenarios/actions.server";
import { ScenarioEditor } from "../scenarios/components/scenario-editor";
import { editorPage } from "../scenarios/pages.server";
import { getScenario } from "../scenarios/scenarios.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const scenario = params.id === "new" ? null : await getScenario(session.shop, params.id ?? "");
  if (params.id !== "new" && !scenario) throw new Response("Not found", { status: 404 });
  return editorPage(session.shop, scenario);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return editorAction(session.shop, params.id === "new" ? null : (params.id ?? ""), await request.formData());
};

export default function ScenarioEditorRoute() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  if (data.accounts.length === 0 && !data.scenario) return <NoAccountPage title={t("scenarioPages.title")} messages="scenarioPages" />;
  // A new key per scenario: the editor's state starts again when another scenario opens.
  return <ScenarioEditor key={data.scenario?.id ?? "new"} data={data} />;
}

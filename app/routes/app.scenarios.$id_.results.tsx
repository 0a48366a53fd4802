import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ScenarioResultsPage } from "../scenarios/components/results-page";
import { resultsPage } from "../scenarios/pages.server";
import { getScenario } from "../scenarios/scenarios.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const scenario = await getScenario(session.shop, params.id ?? "");
  if (!scenario) throw new Response("Not found", { status: 404 });
  return resultsPage(session.shop, scenario);
};

export default function ScenarioResults() {
  return <ScenarioResultsPage data={useLoaderData<typeof loader>()} />;
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { ScenarioListPage } from "../scenarios/components/list-page";
import { listAction } from "../scenarios/actions.server";
import { listPage } from "../scenarios/pages.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listPage(session.shop);
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listAction(session.shop, await request.formData());
};

export default function Scenarios() {
  return <ScenarioListPage data={useLoaderData<typeof loader>()} />;
}

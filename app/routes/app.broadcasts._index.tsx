import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BroadcastListPage } from "../broadcasts/components/list-page";
import { listPage } from "../broadcasts/pages.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return listPage(session.shop);
};

export default function Broadcasts() {
  return <BroadcastListPage data={useLoaderData<typeof loader>()} />;
}

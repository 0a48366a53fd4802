import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { FormsListPage } from "../forms/pages";
import { formsListData } from "../forms/pages.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return formsListData(session.shop);
};

export default function Forms() {
  return <FormsListPage forms={useLoaderData<typeof loader>().forms} />;
}

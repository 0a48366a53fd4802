// The friends list: loader and action answer through app/friends/list-page.server.ts; the page is
// app/friends/list-page.tsx.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { friendsListAction, friendsListPage } from "../friends/list-page.server";
import { FriendsListPage } from "../friends/list-page";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { data, status } = await friendsListPage(session.shop, new URL(request.url));
  return json(data, { status });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const [body, status] = await friendsListAction(session.shop, await request.formData());
  return json(body, { status });
};

export default function Friends() {
  return <FriendsListPage data={useLoaderData<typeof loader>()} actionData={useActionData<typeof action>()} />;
}

// One friend: loader and action answer through app/friends/friend-page.server.ts; the page is
// app/friends/friend-page.tsx.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { FriendNotFound, FriendPage } from "../friends/friend-page";
import { friendPageAction, friendPageData, type FriendActionData } from "../friends/friend-page.server";
import { friendExists } from "../friends/friends.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const data = await friendPageData(session.shop, params.id ?? "");
  if (!data) throw json({ error: "friends.error.notFound" }, { status: 404 });
  return json(data);
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const friendId = params.id ?? "";
  if (!(await friendExists(session.shop, friendId))) throw json({ error: "friends.error.notFound" }, { status: 404 });
  const staff = sessionToken?.sub ? `staff:${sessionToken.sub}` : "staff";
  const [body, status] = await friendPageAction(session.shop, friendId, await request.formData(), staff);
  return json(body, { status });
};

export default function Friend() {
  return <FriendPage data={useLoaderData<typeof loader>()} result={useActionData<typeof action>() as FriendActionData | undefined} />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <FriendNotFound />;
  return boundary.error(error);
}

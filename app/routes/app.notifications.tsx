import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { NotificationSettingsPage } from "../notifications/settings-page";
import { settingsAction, settingsData } from "../notifications/settings.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return json(await settingsData(session.shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { status, body } = await settingsAction(session.shop, await request.formData());
  return json(body, { status });
};

export default function Notifications() {
  return <NotificationSettingsPage data={useLoaderData<typeof loader>()} />;
}

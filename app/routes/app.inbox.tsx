import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { InboxPage } from "../inbox/components/inbox-page";
import { inboxAction, inboxPage } from "../inbox/page.server";
import { resolveLocale } from "../i18n/dictionaries.server";
import { ensureShop } from "../shops/shops.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const data = await inboxPage(session.shop, sessionToken?.sub ?? null, new URL(request.url), shop.locale);
  return json({ ...data, timeZone: shop.timeZone });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session, sessionToken } = await authenticate.admin(request);
  const shop = await ensureShop(session.shop);
  const locale = resolveLocale(shop.locale) === "ja" ? "ja" : "en";
  const { data, status } = await inboxAction(session.shop, sessionToken?.sub ?? null, await request.formData(), locale);
  return json(data, { status });
};

export default function Inbox() {
  return <InboxPage data={useLoaderData<typeof loader>()} />;
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { authenticate } from "../shopify.server";
import { trackingLinkAction } from "../sources/tracking-actions.server";
import { TrackingLinksPage } from "../sources/tracking-links-page";
import { trackingLinksView } from "../sources/tracking-view.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return trackingLinksView(session.shop, new URL(request.url));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return trackingLinkAction(session.shop, await request.formData());
};

// A preview is a calculation, not a change: the list need not reload on every keystroke.
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "preview" ? false : defaultShouldRevalidate;

export default function TrackingLinks() {
  return <TrackingLinksPage data={useLoaderData<typeof loader>()} />;
}

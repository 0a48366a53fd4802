// The friend page's scenario runs post here: stop a run, or start a scenario for the friend.
import type { ActionFunctionArgs } from "@remix-run/node";
import { runsAction } from "../scenarios/actions.server";
import { authenticate } from "../shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return runsAction(session.shop, await request.formData());
};

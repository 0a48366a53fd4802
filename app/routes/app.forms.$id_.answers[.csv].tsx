// GET /app/forms/:id/answers.csv — every answer of the form, streamed.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { answersCsvResponse } from "../forms/pages.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const locale = new URL(request.url).searchParams.get("locale") ?? request.headers.get("accept-language") ?? "ja";
  const response = await answersCsvResponse(session.shop, params.id ?? "", locale);
  if (!response) throw new Response("Not found", { status: 404 });
  return response;
};

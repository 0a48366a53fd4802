// GET /app/tracking-links/:id/qr?format=png|svg — the link's QR code; another shop's link id is 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { qrResponse } from "../sources/qr.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const format = new URL(request.url).searchParams.get("format") ?? "png";
  const response = await qrResponse(session.shop, params.id ?? "", format);
  if (!response) throw new Response("Not found", { status: 404 });
  return response;
};

// Product cards for the products picked in the composer: GET /app/api/products?id=<gid>&id=<gid> (1 to 10).
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { translate } from "../i18n/messages";
import { MESSAGE_LIMITS } from "../messages/model";
import { pickedProducts, productGid } from "../messages/products.server";
import { authenticate } from "../shopify.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { admin } = await authenticate.admin(request);
  const raw = new URL(request.url).searchParams.getAll("id");
  const ids = [...new Set(raw.map(productGid))];
  if (raw.length === 0 || raw.length > MESSAGE_LIMITS.products || ids.includes(null)) {
    const error = ids.includes(null) ? ("messagesComposer.error.productIds" as const) : ("messagesComposer.error.productsCount" as const);
    return json({ ok: false as const, error, message: translate("en", error) }, { status: 400 });
  }
  return json({ ok: true as const, products: await pickedProducts(admin.graphql, ids as string[]) });
};

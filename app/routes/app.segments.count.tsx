// The segment editor's live count: POST a definition (form field `definition`, JSON), get the number of friends
// it matches now. Invalid or foreign input is a 400 with the problems (i18n keys) and a readable message.
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { translate, type MessageKey } from "../i18n/messages";
import { countSegment } from "../segments/compile.server";
import { parseDefinition } from "../segments/segments.server";
import { authenticate } from "../shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const parsed = await parseDefinition(session.shop, form.get("definition") ?? "");
  if ("errors" in parsed) {
    const message = [...new Set(Object.values(parsed.errors))].map((key) => translate("en", key as MessageKey)).join(" ");
    return json({ ok: false as const, errors: parsed.errors, message }, { status: 400 });
  }
  return json({ ok: true as const, count: await countSegment(session.shop, parsed.definition) });
};

export const loader = () => json({ message: "POST a segment definition" }, { status: 405 });

// POST /app/api/rich-menu-image — checks a rich-menu image against LINE's limits (and the menu size's proportions)
// before anything is saved or sent to LINE; with fix=1, answers the resized/compressed copy the merchant agreed to,
// checked again. Nothing is stored here: the editor sends the image with the menu it belongs to.
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { MENU_SIZES, type MenuSize } from "../rich-menus/model";
import { checkImage, fixImage } from "../rich-menus/image.server";
import { imageFromForm, readForm } from "../rich-menus/upload.server";
import { authenticate } from "../shopify.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  await authenticate.admin(request);
  if (request.method !== "POST") return json({ ok: false as const, error: "richMenuPages.error.intent" }, { status: 405 });
  const form = await readForm(request);
  if ("error" in form) return json({ ok: false as const, error: form.error }, { status: 400 });
  const upload = await imageFromForm(form);
  if ("error" in upload) return json({ ok: false as const, error: upload.error }, { status: 400 });
  const size = MENU_SIZES.includes(form.get("size") as MenuSize) ? (form.get("size") as MenuSize) : undefined;
  if (form.get("fix") === "1") {
    const fixed = await fixImage(upload.bytes);
    if (!fixed) return json({ ok: false as const, error: "richMenuPages.image.fixFailed" }, { status: 422 });
    const again = await checkImage(fixed.bytes, size);
    if (!again.ok) return json({ ok: false as const, problems: again.problems, fix: null }, { status: 422 });
    return json({ ok: true as const, image: again.image, dataUrl: `data:${again.image.type};base64,${fixed.bytes.toString("base64")}` });
  }
  const check = await checkImage(upload.bytes, size);
  if (!check.ok) return json({ ok: false as const, problems: check.problems, fix: check.fix }, { status: 422 });
  return json({ ok: true as const, image: check.image });
};

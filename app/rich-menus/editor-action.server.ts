// The editor's action, by intent: save a draft (with its image, checked again here whatever the browser said),
// publish, default on/off, archive, tabs. Errors are i18n keys; a menu of another shop is a 404.
import type { MessageKey } from "../i18n/messages";
import { checkImage } from "./image.server";
import { MENU_SIZES, type MenuSize, type RichMenuFormInput } from "./model";
import { archiveRichMenu, getRichMenu, publishRichMenu, saveRichMenu, saveTabGroup, setDefaultMenu, type RichMenuErrors } from "./rich-menus.server";
import { imageFromForm, readForm } from "./upload.server";
import type { ImageProblem } from "./image.server";

type Body =
  | { ok: true; intent: string; liveBy?: string; id?: string }
  | { ok: false; intent: string; errors: Record<string, string>; imageProblems?: ImageProblem[] };
export type MenuActionOutcome = { redirect: string } | { status: number; body: Body };

const fail = (intent: string, errors: RichMenuErrors, imageProblems?: ImageProblem[]): MenuActionOutcome => ({
  status: errors.form === "richMenus.error.notFound" ? 404 : 422,
  body: { ok: false, intent, errors, ...(imageProblems ? { imageProblems } : {}) },
});

function parseJson(value: FormDataEntryValue | null | undefined): unknown {
  try {
    return JSON.parse(String(value ?? "null"));
  } catch {
    return null;
  }
}

async function save(shop: string, id: string | null, form: FormData): Promise<MenuActionOutcome> {
  const upload = await imageFromForm(form, "image");
  if ("error" in upload && upload.error === "richMenuPages.error.imageTooLarge") return fail("save", { image: upload.error });
  const input = parseJson(form.get("menu")) as RichMenuFormInput | null;
  if (!input || typeof input !== "object") return fail("save", { form: "richMenuPages.error.intent" });
  let image: { bytes: Buffer; type: string; width: number; height: number } | undefined;
  if ("bytes" in upload) {
    const size = MENU_SIZES.includes(input.size as MenuSize) ? (input.size as MenuSize) : undefined;
    const check = await checkImage(upload.bytes, size);
    if (!check.ok) return fail("save", { image: "richMenuPages.image.problemTitle" satisfies MessageKey }, check.problems);
    image = { bytes: upload.bytes, type: check.image.type, width: check.image.width, height: check.image.height };
  }
  const result = await saveRichMenu(shop, id, input, image);
  if ("errors" in result) return fail("save", result.errors);
  if (!id) return { redirect: `/app/rich-menus/${result.menu.id}` };
  return { status: 200, body: { ok: true, intent: "save", id: result.menu.id } };
}

export async function menuAction(shop: string, id: string | null, request: Request): Promise<MenuActionOutcome> {
  const form = await readForm(request);
  if ("error" in form) return fail("save", { image: form.error });
  const intent = String(form.get("intent") ?? "");
  if (intent === "save") return save(shop, id, form);
  if (!id) return fail(intent, { form: "richMenus.error.notFound" });
  const menu = await getRichMenu(shop, id);
  if (!menu) return fail(intent, { form: "richMenus.error.notFound" });
  switch (intent) {
    case "publish": {
      const result = await publishRichMenu(shop, id);
      if ("errors" in result) return fail(intent, result.errors);
      return { status: 200, body: { ok: true, intent, liveBy: result.liveBy.toISOString() } };
    }
    case "default": {
      const result = await setDefaultMenu(shop, menu.lineAccountId, form.get("on") === "1" ? id : null);
      return "errors" in result ? fail(intent, result.errors) : { status: 200, body: { ok: true, intent } };
    }
    case "archive": {
      const result = await archiveRichMenu(shop, id);
      return "errors" in result ? fail(intent, result.errors) : { redirect: `/app/rich-menus?account=${encodeURIComponent(menu.lineAccountId)}` };
    }
    case "tabs": {
      const menuIds = parseJson(form.get("menuIds"));
      const result = await saveTabGroup(shop, menu.groupId, { lineAccountId: menu.lineAccountId, menuIds: Array.isArray(menuIds) ? menuIds.map(String) : [] });
      return "errors" in result ? fail(intent, result.errors) : { status: 200, body: { ok: true, intent } };
    }
    default:
      return { status: 400, body: { ok: false, intent, errors: { form: "richMenuPages.error.intent" } } };
  }
}

// Upload of a message image: authenticated admin, the file checked (JPEG/PNG, ≤ 10 MB), hosted in the shop's Files.
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { translate } from "../i18n/messages";
import { hostImage, ImageUploadError, type ImageErrorCode } from "../messages/images.server";
import { MESSAGE_LIMITS } from "../messages/model";
import { authenticate } from "../shopify.server";

// Room for the multipart framing around a file of the largest size allowed.
const MAX_BODY = MESSAGE_LIMITS.imageBytes + 64 * 1024;

function refuse(code: ImageErrorCode, status: number) {
  const error = `messagesComposer.error.${code}` as const;
  return json({ ok: false as const, error, message: translate("en", error) }, { status });
}

export const action = async ({ request }: ActionFunctionArgs) => {
  const { admin } = await authenticate.admin(request);
  if (request.method !== "POST") return json({ ok: false as const, error: "method", message: "POST an image" }, { status: 405 });
  // Refuse an oversized body before reading it.
  if (Number(request.headers.get("content-length") ?? 0) > MAX_BODY) return refuse("imageTooLarge", 400);
  let file: FormDataEntryValue | null;
  try {
    file = (await request.formData()).get("file");
  } catch {
    return refuse("imageMissing", 400);
  }
  if (!(file instanceof Blob)) return refuse("imageMissing", 400);
  if (file.size > MESSAGE_LIMITS.imageBytes) return refuse("imageTooLarge", 400);
  try {
    const image = await hostImage(admin.graphql, { name: (file as File).name ?? "image", bytes: new Uint8Array(await file.arrayBuffer()) });
    return json({ ok: true as const, image });
  } catch (error) {
    if (error instanceof ImageUploadError) return refuse(error.code, error.status);
    throw error;
  }
};

// Reading an uploaded image from a multipart form: the image route and the editor's save share it.
const MAX_UPLOAD = 20 * 1024 * 1024; // room for a camera photo that the merchant may have resized for them

export type ImageUpload = { form: FormData; bytes: Buffer } | { error: "richMenuPages.error.imageMissing" | "richMenuPages.error.imageTooLarge"; form?: FormData };

/** The form and the bytes of its `file` (or `image`) field; refuses an oversized body before reading it. */
export async function readImageUpload(request: Request, field = "file"): Promise<ImageUpload> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD + 64 * 1024) return { error: "richMenuPages.error.imageTooLarge" };
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return { error: "richMenuPages.error.imageMissing" };
  }
  const file = form.get(field);
  if (!(file instanceof Blob) || file.size === 0) return { error: "richMenuPages.error.imageMissing", form };
  if (file.size > MAX_UPLOAD) return { error: "richMenuPages.error.imageTooLarge", form };
  return { form, bytes: Buffer.from(await file.arrayBuffer()) };
}

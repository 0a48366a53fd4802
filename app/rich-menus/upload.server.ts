// Reading an uploaded image from a form: the image route and the editor's save share it.
const MAX_UPLOAD = 20 * 1024 * 1024; // room for a camera photo, which the merchant may then have resized for them

export type UploadError = "richMenuPages.error.imageMissing" | "richMenuPages.error.imageTooLarge";

/** The request's form, refusing an oversized body before reading it. */
export async function readForm(request: Request): Promise<FormData | { error: UploadError }> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_UPLOAD + 64 * 1024) return { error: "richMenuPages.error.imageTooLarge" };
  try {
    return await request.formData();
  } catch {
    return { error: "richMenuPages.error.imageMissing" };
  }
}

/** The bytes of the form's file field, or why there are none. */
export async function imageFromForm(form: FormData, field = "file"): Promise<{ bytes: Buffer } | { error: UploadError }> {
  const file = form.get(field);
  if (!(file instanceof Blob) || file.size === 0) return { error: "richMenuPages.error.imageMissing" };
  if (file.size > MAX_UPLOAD) return { error: "richMenuPages.error.imageTooLarge" };
  return { bytes: Buffer.from(await file.arrayBuffer()) };
}

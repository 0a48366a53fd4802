// Rich-menu images are checked against LINE's limits before anything goes to LINE (LINE refuses them only after
// the menu object exists, which costs one of its 100 creates an hour). sharp reads the real bytes: the format and
// the size come from the image itself, never from the browser's file name or type.
import sharp from "sharp";
import { SIZES, type MenuSize } from "./model";

export const IMAGE_LIMITS = {
  minWidth: 800,
  maxWidth: 2500,
  minHeight: 250,
  minAspect: 1.45,
  /** LINE's "1 MB". */
  maxBytes: 1024 * 1024,
} as const;

export type ImageType = "image/jpeg" | "image/png";

export type CheckedImage = { type: ImageType; width: number; height: number; bytes: number };

/** A broken limit, with what the image has; `key` is the i18n key of the sentence that names the limit. */
export type ImageProblem =
  | { limit: "format"; key: "richMenuPages.image.format"; values: { format: string } }
  | { limit: "widthMin" | "widthMax"; key: `richMenuPages.image.${"widthMin" | "widthMax"}`; values: { width: number; limit: number } }
  | { limit: "heightMin"; key: "richMenuPages.image.heightMin"; values: { height: number; limit: number } }
  | { limit: "aspect"; key: "richMenuPages.image.aspect"; values: { aspect: string; limit: string } }
  | { limit: "bytes"; key: "richMenuPages.image.bytes"; values: { size: string; limit: string } }
  | { limit: "menuSize"; key: "richMenuPages.image.menuSize"; values: { size: MenuSize; expected: string } };

/** What a resize/compress would make of the image, offered when that alone fixes every problem. */
export type FixOffer = { width: number; height: number; resize: boolean; compress: boolean };

export type ImageCheck =
  | { ok: true; image: CheckedImage }
  | { ok: false; problems: ImageProblem[]; fix: FixOffer | null; image: Omit<CheckedImage, "type"> & { type: string } | null };

const megabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(2)} MB`;

async function readMeta(bytes: Buffer) {
  try {
    const meta = await sharp(bytes).metadata();
    return meta.width && meta.height ? { format: meta.format as string, width: meta.width, height: meta.height } : null;
  } catch {
    return null;
  }
}

/** The smallest change of scale that brings the dimensions within LINE's limits (1 when they already are). */
function targetSize(width: number, height: number): { width: number; height: number } | null {
  const { minWidth, maxWidth, minHeight, minAspect } = IMAGE_LIMITS;
  if (width / height < minAspect) return null; // only cropping could fix this: the merchant decides what to cut
  const lower = Math.max(minWidth / width, minHeight / height, 0);
  const upper = maxWidth / width;
  if (lower > upper) return null; // wider than 10:1, nothing fits
  const scale = Math.min(Math.max(1, lower), upper);
  let w = Math.min(maxWidth, Math.max(minWidth, Math.round(width * scale)));
  let h = Math.max(minHeight, Math.round(height * scale));
  if (w / h < minAspect) h = Math.floor(w / minAspect);
  if (h < minHeight) return null;
  w = Math.min(w, maxWidth);
  return { width: w, height: h };
}

/**
 * Checks the image against LINE's limits and, with `size`, against the menu's proportions (the areas are drawn in
 * the menu size's pixels and LINE scales the image to them).
 */
export async function checkImage(bytes: Buffer, size?: MenuSize): Promise<ImageCheck> {
  const meta = await readMeta(bytes);
  if (!meta) return { ok: false, problems: [{ limit: "format", key: "richMenuPages.image.format", values: { format: "?" } }], fix: null, image: null };
  const { minWidth, maxWidth, minHeight, minAspect, maxBytes } = IMAGE_LIMITS;
  const problems: ImageProblem[] = [];
  const format = meta.format === "jpeg" ? "image/jpeg" : meta.format === "png" ? "image/png" : null;
  if (!format) problems.push({ limit: "format", key: "richMenuPages.image.format", values: { format: meta.format } });
  if (meta.width < minWidth) problems.push({ limit: "widthMin", key: "richMenuPages.image.widthMin", values: { width: meta.width, limit: minWidth } });
  if (meta.width > maxWidth) problems.push({ limit: "widthMax", key: "richMenuPages.image.widthMax", values: { width: meta.width, limit: maxWidth } });
  if (meta.height < minHeight) problems.push({ limit: "heightMin", key: "richMenuPages.image.heightMin", values: { height: meta.height, limit: minHeight } });
  if (meta.width / meta.height < minAspect) {
    problems.push({ limit: "aspect", key: "richMenuPages.image.aspect", values: { aspect: (meta.width / meta.height).toFixed(2), limit: minAspect.toFixed(2) } });
  }
  if (size && meta.width / meta.height >= minAspect && Math.abs(meta.width / meta.height - SIZES[size].width / SIZES[size].height) > 0.01) {
    problems.push({ limit: "menuSize", key: "richMenuPages.image.menuSize", values: { size, expected: `${SIZES[size].width} × ${SIZES[size].height}` } });
  }
  if (bytes.length > maxBytes) problems.push({ limit: "bytes", key: "richMenuPages.image.bytes", values: { size: megabytes(bytes.length), limit: "1 MB" } });
  const image = { type: format ?? meta.format, width: meta.width, height: meta.height, bytes: bytes.length };
  if (problems.length === 0) return { ok: true, image: { ...image, type: format! } };
  // Format and aspect are the merchant's to fix (a conversion or a crop changes what they designed).
  const fixable = problems.every((p) => p.limit !== "format" && p.limit !== "aspect" && p.limit !== "menuSize");
  const target = fixable ? targetSize(meta.width, meta.height) : null;
  const fix = target
    ? { ...target, resize: target.width !== meta.width || target.height !== meta.height, compress: problems.some((p) => p.limit === "bytes") }
    : null;
  return { ok: false, problems, fix, image };
}

const JPEG_QUALITIES = [85, 70, 55, 40];

/**
 * Resizes and/or compresses the image so that it meets LINE's limits, after the merchant agreed. A PNG stays a PNG
 * when a palette makes it small enough; otherwise it becomes a JPEG (flattened on white). The result is checked
 * again; null when no acceptable result exists (the merchant then has to edit the image).
 */
export async function fixImage(bytes: Buffer): Promise<{ bytes: Buffer; image: CheckedImage } | null> {
  const check = await checkImage(bytes);
  if (check.ok) return { bytes, image: check.image };
  if (!check.fix || !check.image) return null;
  let { width, height } = check.fix;
  for (let shrink = 0; shrink < 6; shrink += 1) {
    const resized = () => sharp(bytes).rotate().resize(width, height, { fit: "fill" });
    const candidates: (() => Promise<Buffer>)[] = [];
    if (check.image.type === "image/png") {
      // Lossless first only when the pixels change anyway (re-encoding the same PNG rarely gains much).
      if (check.fix.resize) candidates.push(() => resized().png({ compressionLevel: 9 }).toBuffer());
      candidates.push(() => resized().png({ compressionLevel: 6, palette: true, quality: 90, effort: 1 }).toBuffer());
    }
    for (const quality of JPEG_QUALITIES) {
      candidates.push(() => resized().flatten({ background: "#ffffff" }).jpeg({ quality }).toBuffer());
    }
    for (const make of candidates) {
      const out = await make();
      const again = await checkImage(out);
      if (again.ok) return { bytes: out, image: again.image };
    }
    // Still over 1 MB at the lowest quality: a smaller image, as long as it stays within the limits.
    const next = { width: Math.round(width * 0.85), height: Math.round(height * 0.85) };
    if (next.width < IMAGE_LIMITS.minWidth || next.height < IMAGE_LIMITS.minHeight) return null;
    ({ width, height } = next);
  }
  return null;
}

/** A small JPEG of the image for pages (lists, the editor's preview), as a data URL. */
export async function previewDataUrl(bytes: Buffer, width = 1000): Promise<string | null> {
  try {
    const out = await sharp(bytes).resize({ width, withoutEnlargement: true }).flatten({ background: "#ffffff" }).jpeg({ quality: 75 }).toBuffer();
    return `data:image/jpeg;base64,${out.toString("base64")}`;
  } catch {
    return null;
  }
}

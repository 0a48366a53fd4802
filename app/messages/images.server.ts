// Images merchants upload for messages, hosted in the shop's own Files (Admin API) so LINE can fetch them over HTTPS:
// stagedUploadsCreate → POST the file to the staged target → fileCreate → wait until the file is READY → its URLs.
// The type is read from the bytes, not from what the browser said.
import type { GraphQL } from "../abandoned-cart/product-info.server";
import { MESSAGE_LIMITS, type HostedImage } from "./model";

export type ImageErrorCode = "imageMissing" | "imageTooLarge" | "imageType" | "imageUpload" | "imageProcessing";

/** An upload that cannot become a message image; `code` is the i18n key's last part, `status` the HTTP answer. */
export class ImageUploadError extends Error {
  override name = "ImageUploadError";
  constructor(
    readonly code: ImageErrorCode,
    readonly status: 400 | 502,
    message: string,
  ) {
    super(message);
  }
}

/** JPEG and PNG, the formats LINE shows, by their signatures. */
export function sniffImageType(bytes: Uint8Array): "image/jpeg" | "image/png" | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= 8 && png.every((byte, i) => bytes[i] === byte)) return "image/png";
  return null;
}

const STAGE = `#graphql
  mutation StageMessageImage($input: [StagedUploadInput!]!) {
    stagedUploadsCreate(input: $input) {
      stagedTargets { url resourceUrl parameters { name value } }
      userErrors { field message }
    }
  }`;

const CREATE = `#graphql
  mutation CreateMessageImage($files: [FileCreateInput!]!) {
    fileCreate(files: $files) {
      files { id fileStatus }
      userErrors { field message }
    }
  }`;

// LINE wants a preview of at most 1 MB: a JPEG of 800 px is well under.
const STATUS = `#graphql
  query MessageImageStatus($id: ID!) {
    node(id: $id) {
      ... on MediaImage {
        fileStatus
        fileErrors { message }
        image { url preview: url(transform: { maxWidth: 800, maxHeight: 800, preferredContentType: JPG }) }
      }
    }
  }`;

type Errors = { message: string }[] | undefined;

async function run<T>(graphql: GraphQL, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await graphql(query, { variables });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new ImageUploadError("imageUpload", 502, `Shopify did not answer the file request: ${JSON.stringify(body.errors ?? response.status)}`);
  return body.data;
}

function refused(errors: Errors, step: string) {
  if (errors?.length) throw new ImageUploadError("imageUpload", 502, `Shopify refused the ${step}: ${errors.map((e) => e.message).join("; ")}`);
}

const POLL_DELAYS_MS = [250, 500, 750, 1000, 1000, 1500, 2000, 2000, 3000, 3000];

/**
 * Checks the image (JPEG or PNG, at most 10 MB), stores it in the shop's Files and answers its HTTPS URLs once
 * Shopify has processed it. `sleep` is injectable so tests need not wait.
 */
export async function hostImage(
  graphql: GraphQL,
  file: { name: string; bytes: Uint8Array<ArrayBuffer> },
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<HostedImage> {
  if (file.bytes.length === 0) throw new ImageUploadError("imageMissing", 400, "Choose an image to upload");
  if (file.bytes.length > MESSAGE_LIMITS.imageBytes) throw new ImageUploadError("imageTooLarge", 400, "The image is larger than 10 MB");
  const mimeType = sniffImageType(file.bytes);
  if (!mimeType) throw new ImageUploadError("imageType", 400, "The image must be a JPEG or PNG file");
  const extension = mimeType === "image/png" ? "png" : "jpg";
  const filename = `${file.name.replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "-").slice(0, 80) || "image"}.${extension}`;

  type Staged = { stagedUploadsCreate: { stagedTargets: { url: string; resourceUrl: string; parameters: { name: string; value: string }[] }[]; userErrors: Errors } };
  const staged = await run<Staged>(graphql, STAGE, {
    input: [{ filename, mimeType, resource: "IMAGE", httpMethod: "POST", fileSize: String(file.bytes.length) }],
  });
  refused(staged.stagedUploadsCreate.userErrors, "upload");
  const target = staged.stagedUploadsCreate.stagedTargets[0];
  const form = new FormData();
  for (const { name, value } of target.parameters) form.append(name, value);
  form.append("file", new Blob([file.bytes], { type: mimeType }), filename); // the file must come last
  const uploaded = await fetch(target.url, { method: "POST", body: form });
  if (!uploaded.ok) throw new ImageUploadError("imageUpload", 502, `The staged upload answered ${uploaded.status}`);

  type Created = { fileCreate: { files: { id: string }[]; userErrors: Errors } };
  const created = await run<Created>(graphql, CREATE, { files: [{ originalSource: target.resourceUrl, contentType: "IMAGE", alt: "" }] });
  refused(created.fileCreate.userErrors, "file");
  const id = created.fileCreate.files[0]?.id;
  if (!id) throw new ImageUploadError("imageUpload", 502, "Shopify created no file");

  type Status = { node: { fileStatus: string; fileErrors: Errors; image: { url: string; preview: string } | null } | null };
  for (const delay of [0, ...POLL_DELAYS_MS]) {
    if (delay) await sleep(delay);
    const { node } = await run<Status>(graphql, STATUS, { id });
    if (node?.fileStatus === "FAILED") {
      throw new ImageUploadError("imageProcessing", 400, `Shopify could not process the image: ${node.fileErrors?.map((e) => e.message).join("; ") ?? "unknown"}`);
    }
    if (node?.fileStatus === "READY" && node.image) {
      const { url, preview } = node.image;
      if (!url.startsWith("https://") || url.length > MESSAGE_LIMITS.imageUrl || !preview.startsWith("https://") || preview.length > MESSAGE_LIMITS.imageUrl) {
        throw new ImageUploadError("imageUpload", 502, "Shopify answered an image URL LINE cannot fetch");
      }
      return { url, previewUrl: preview };
    }
  }
  throw new ImageUploadError("imageProcessing", 502, "Shopify is still processing the image; try again in a minute");
}

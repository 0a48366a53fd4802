// A fake of the Shopify Admin GraphQL API for this test process: requests to https://<shop>/admin/api/*/graphql.json
// are answered from the products a test registers, mutations with the userErrors a test sets (none: success);
// every other request goes to the real fetch. Installed by setup-file.ts before any app module loads, because the
// Shopify library keeps the fetch it saw at import.
//
// Files (images merchants upload): stagedUploadsCreate answers a target on STAGED_UPLOAD_HOST, which this fake also
// serves (a multipart POST with the target's parameters and the file, as Google Cloud Storage takes it, 204);
// fileCreate accepts only a resourceUrl that was uploaded to, and the file turns READY (or FAILED) after
// `filePolls` node queries, with a CDN URL.
import { randomUUID } from "node:crypto";

type ProductFixture = {
  id: string;
  handle: string;
  imageUrl?: string | null;
  variants?: Record<string, string | null>;
  title?: string;
  /** The lowest variant price, as Shopify writes decimals ("1200.0"). */
  price?: string;
  /** Null when the product is not published to the online store. */
  onlineStoreUrl?: string | null;
};

export type FakeFile = {
  id: string;
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
  alt: string;
  polls: number;
};

export const STAGED_UPLOAD_HOST = "shopify-staged-uploads.fake.test";
export const FAKE_CDN = "https://cdn.shopify.com/s/files/1/0000/0001/files";

export type AdminFake = {
  products: Map<string, ProductFixture>;
  /** Collections by numeric id → their products' numeric ids, answered by `collection(id) { products }`. */
  collections: Map<string, string[]>;
  shop: { currencyCode: string; primaryDomainUrl: string };
  calls: { shop: string; query: string; variables: Record<string, unknown> }[];
  failNext: number;
  /** What a mutation (by its field, "tagsAdd") answers in `userErrors`, as Shopify reports a refused input. */
  userErrors: Map<string, { field: string[] | null; message: string }[]>;
  /** Uploads received on the staged target, by resource URL. */
  staged: Map<string, { filename: string; mimeType: string; bytes: Uint8Array | null }>;
  files: Map<string, FakeFile>;
  /** Node queries a new file needs before it is READY. */
  filePolls: number;
  /** Files created from now on end FAILED with this message instead of READY. */
  fileFailure: string | null;
  restore: () => void;
};

declare global {
  var adminFakeForFile: AdminFake | undefined;
}

export function adminFake(): AdminFake {
  if (!globalThis.adminFakeForFile) throw new Error("the Admin API fake is installed by tests/support/setup-file.ts");
  return globalThis.adminFakeForFile;
}

type Body = { query: string; variables?: Record<string, unknown> };

export function installAdminFake(): AdminFake {
  const original = globalThis.fetch;
  const fake: AdminFake = {
    products: new Map(),
    collections: new Map(),
    shop: { currencyCode: "JPY", primaryDomainUrl: "https://line-crm-test.myshopify.com" },
    calls: [],
    failNext: 0,
    userErrors: new Map(),
    staged: new Map(),
    files: new Map(),
    filePolls: 1,
    fileFailure: null,
    restore: () => (globalThis.fetch = original),
  };
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (url.hostname === STAGED_UPLOAD_HOST) return stagedUpload(fake, url, new Request(input, init));
    if (!/\.myshopify\.com$/.test(url.hostname) || !/^\/admin\/api\/[^/]+\/graphql\.json$/.test(url.pathname)) {
      return original(input, init);
    }
    const raw = init?.body ?? (input instanceof Request ? await input.text() : "{}");
    const body = JSON.parse(String(raw)) as Body;
    fake.calls.push({ shop: url.hostname, query: body.query, variables: body.variables ?? {} });
    if (fake.failNext > 0) {
      fake.failNext -= 1;
      return new Response(JSON.stringify({ errors: "Internal error" }), { status: 500 });
    }
    const mutation = body.query.match(/^\s*(?:#graphql\s*)?mutation\b[^{]*\{\s*(\w+)/)?.[1];
    if (mutation === "stagedUploadsCreate") return Response.json({ data: { stagedUploadsCreate: stageTargets(fake, body) } });
    if (mutation === "fileCreate") return Response.json({ data: { fileCreate: createFiles(fake, body) } });
    if (mutation) return Response.json({ data: { [mutation]: { userErrors: fake.userErrors.get(mutation) ?? [] } } });
    return Response.json({ data: query(fake, body) });
  };
  return fake;
}

function query(fake: AdminFake, body: Body) {
  const data: Record<string, unknown> = {};
  if (/\bnodes\s*\(/.test(body.query)) data.nodes = ((body.variables?.ids as string[]) ?? []).map((gid) => node(fake, gid));
  else if (/\bnode\s*\(/.test(body.query)) data.node = node(fake, String(body.variables?.id ?? ""));
  if (/\bcollection\s*\(/.test(body.query)) data.collection = collectionPage(fake, body);
  if (/\bshop\s*\{/.test(body.query)) {
    data.shop = { currencyCode: fake.shop.currencyCode, primaryDomain: { url: fake.shop.primaryDomainUrl } };
  }
  return data;
}

/** `collection(id:) { products(first:, after:) { nodes { id } pageInfo } }`, paged as Shopify does (cursor = index). */
function collectionPage(fake: AdminFake, body: Body) {
  const id = String(body.variables?.id ?? "").match(/^gid:\/\/shopify\/Collection\/(\d+)$/)?.[1];
  const products = id ? fake.collections.get(id) : undefined;
  if (!products) return null;
  const first = Math.min(Number(body.variables?.first ?? 50), 250);
  const start = body.variables?.after ? Number(body.variables.after) : 0;
  const page = products.slice(start, start + first);
  const end = start + page.length;
  return {
    id: `gid://shopify/Collection/${id}`,
    products: { nodes: page.map((product) => ({ id: `gid://shopify/Product/${product}` })), pageInfo: { hasNextPage: end < products.length, endCursor: String(end) } },
  };
}

function node(fake: AdminFake, gid: string) {
  const [, kind, id] = gid.match(/^gid:\/\/shopify\/(Product|ProductVariant|MediaImage)\/(\w+)$/) ?? [];
  if (kind === "MediaImage") return fileNode(fake, gid);
  if (kind === "Product") {
    const product = fake.products.get(id);
    if (!product) return null;
    const image = product.imageUrl ? { url: product.imageUrl, preview: `${product.imageUrl}?width=800`, original: product.imageUrl } : null;
    const price = { amount: product.price ?? "0.0", currencyCode: fake.shop.currencyCode };
    return {
      id: gid,
      handle: product.handle,
      title: product.title ?? product.handle,
      onlineStoreUrl: product.onlineStoreUrl === undefined ? `${fake.shop.primaryDomainUrl}/products/${product.handle}` : product.onlineStoreUrl,
      featuredImage: image,
      priceRangeV2: { minVariantPrice: price },
    };
  }
  for (const product of fake.products.values()) {
    if (product.variants && id in product.variants) {
      const url = product.variants[id];
      return { id: gid, image: url ? { url } : null };
    }
  }
  return null;
}

function stageTargets(fake: AdminFake, body: Body) {
  const inputs = (body.variables?.input as { filename: string; mimeType: string; resource: string; httpMethod?: string }[]) ?? [];
  const errors = fake.userErrors.get("stagedUploadsCreate") ?? [];
  if (errors.length) return { stagedTargets: [], userErrors: errors };
  const stagedTargets = inputs.map((input) => {
    const key = `tmp/${randomUUID()}/${input.filename}`;
    const resourceUrl = `https://${STAGED_UPLOAD_HOST}/${key}`;
    fake.staged.set(resourceUrl, { filename: input.filename, mimeType: input.mimeType, bytes: null });
    const parameters = [
      { name: "Content-Type", value: input.mimeType },
      { name: "success_action_status", value: "201" },
      { name: "key", value: key },
      { name: "policy", value: Buffer.from(key).toString("base64") },
    ];
    return { url: `https://${STAGED_UPLOAD_HOST}/`, resourceUrl, parameters };
  });
  return { stagedTargets, userErrors: [] };
}

/** The staged target: a multipart form whose `key` names a staged resource and whose last field is the file. */
async function stagedUpload(fake: AdminFake, url: URL, request: Request): Promise<Response> {
  if (request.method !== "POST" || url.pathname !== "/") return new Response("<Error>MethodNotAllowed</Error>", { status: 405 });
  const form = await request.formData();
  const key = String(form.get("key") ?? "");
  const file = form.get("file");
  const entry = fake.staged.get(`https://${STAGED_UPLOAD_HOST}/${key}`);
  const names = [...form.keys()];
  if (!entry || form.get("policy") !== Buffer.from(key).toString("base64")) return new Response("<Error>AccessDenied</Error>", { status: 403 });
  if (!(file instanceof Blob) || names[names.length - 1] !== "file") return new Response("<Error>InvalidArgument</Error>", { status: 400 });
  entry.bytes = new Uint8Array(await file.arrayBuffer());
  return new Response(null, { status: 201 });
}

function createFiles(fake: AdminFake, body: Body) {
  const inputs = (body.variables?.files as { originalSource: string; contentType?: string; alt?: string }[]) ?? [];
  const refused = fake.userErrors.get("fileCreate") ?? [];
  if (refused.length) return { files: [], userErrors: refused };
  const userErrors: { field: string[]; message: string; code: string }[] = [];
  const files = inputs.flatMap((input, index) => {
    const staged = fake.staged.get(input.originalSource);
    if (!staged?.bytes) {
      userErrors.push({ field: ["files", String(index), "originalSource"], message: "Image URL is invalid", code: "INVALID" });
      return [];
    }
    const id = `gid://shopify/MediaImage/${fake.files.size + 1001}`;
    fake.files.set(id, { id, filename: staged.filename, mimeType: staged.mimeType, bytes: staged.bytes, alt: input.alt ?? "", polls: 0 });
    return [{ id, fileStatus: "UPLOADED", alt: input.alt ?? "" }];
  });
  return { files, userErrors };
}

function fileNode(fake: AdminFake, gid: string) {
  const file = fake.files.get(gid);
  if (!file) return null;
  file.polls += 1;
  if (file.polls < fake.filePolls) return { id: gid, fileStatus: "PROCESSING", fileErrors: [], image: null };
  if (fake.fileFailure) {
    return { id: gid, fileStatus: "FAILED", fileErrors: [{ code: "MEDIA_UNAVAILABLE", message: fake.fileFailure }], image: null };
  }
  const url = `${FAKE_CDN}/${encodeURIComponent(file.filename)}?v=${file.id.split("/").pop()}`;
  return { id: gid, fileStatus: "READY", fileErrors: [], image: { url, preview: `${url}&width=800` } };
}

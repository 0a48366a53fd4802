// A fake of the Shopify Admin GraphQL API for this test process: requests to https://<shop>/admin/api/*/graphql.json
// are answered from the products a test registers, mutations with the userErrors a test sets (none: success);
// every other request goes to the real fetch. Installed by setup-file.ts before any app module loads, because the
// Shopify library keeps the fetch it saw at import.
//
// Files (images merchants upload): stagedUploadsCreate answers a target on STAGED_UPLOAD_HOST, which this fake also
// serves (a multipart POST with the target's parameters and the file, as Google Cloud Storage takes it, 204);
// fileCreate accepts only a resourceUrl that was uploaded to, and the file turns READY (or FAILED) after
// `filePolls` node queries, with a CDN URL.
//
// Customers (the import of linked customers): `customer(id:)` with its orders paginated (cursor = index), the
// order's further lines (`order(id:)`), bulk operations (bulkOperationRunQuery over `id:N OR …`, currentBulkOperation
// turning COMPLETED after `bulkPolls` polls, the JSONL file served on BULK_HOST), tagsAdd/tagsRemove applied to the
// fixture's tags. Every request is charged against a query cost bucket as Shopify does (`extensions.cost` with
// `throttleStatus`); a request costing more than the bucket holds is answered THROTTLED and counted.
import { randomUUID } from "node:crypto";
import type { GraphqlCustomer, GraphqlLine, GraphqlOrder } from "../../app/customers/payloads";

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
export const BULK_HOST = "shopify-bulk-results.fake.test";
export const FAKE_CDN = "https://cdn.shopify.com/s/files/1/0000/0001/files";

export type FakeOrder = GraphqlOrder & { lines: GraphqlLine[] };
export type FakeCustomer = GraphqlCustomer & { orders: FakeOrder[]; /** only this shop sees it (any when unset) */ shop?: string };

export type CostBucket = { maximumAvailable: number; restoreRate: number; currentlyAvailable: number; at: number };

export type FakeBulkOperation = {
  id: string;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED";
  query: string;
  polls: number;
  url: string | null;
  errorCode: string | null;
  objectCount: number;
};

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
  customers: Map<string, FakeCustomer>;
  /** The shop's query cost bucket (one for all shops of the test: tests use one shop at a time). */
  bucket: CostBucket;
  /** THROTTLED answers given. */
  throttled: number;
  bulkOperations: FakeBulkOperation[];
  /** currentBulkOperation polls before a started operation is COMPLETED. */
  bulkPolls: number;
  /** Operations started from now on end FAILED with this error code. */
  bulkFailure: string | null;
  bulkFiles: Map<string, string>;
  /** The main theme's config/settings_data.json as `themes(roles: [MAIN]) { files }` answers it (null: no such
   * file); `denied` answers ACCESS_DENIED, as Shopify does without the read_themes scope. */
  theme: { settingsData: string | null; denied: boolean };
  /** Sets the bucket (Shopify's standard plan: 2,000 points, 100 a second) and fills it. */
  setBucket: (maximumAvailable: number, restoreRate: number) => void;
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
    customers: new Map(),
    bucket: { maximumAvailable: 2_000, restoreRate: 100, currentlyAvailable: 2_000, at: Date.now() },
    throttled: 0,
    bulkOperations: [],
    bulkPolls: 1,
    bulkFailure: null,
    bulkFiles: new Map(),
    theme: { settingsData: null, denied: false },
    setBucket(maximumAvailable, restoreRate) {
      fake.bucket = { maximumAvailable, restoreRate, currentlyAvailable: maximumAvailable, at: Date.now() };
    },
    restore: () => (globalThis.fetch = original),
  };
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (url.hostname === STAGED_UPLOAD_HOST) return stagedUpload(fake, url, new Request(input, init));
    if (url.hostname === BULK_HOST) {
      const file = fake.bulkFiles.get(url.pathname);
      return file === undefined ? new Response("NoSuchKey", { status: 404 }) : new Response(file, { headers: { "Content-Type": "application/jsonl" } });
    }
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
    const shop = url.hostname;
    const cost = requestedCost(body.query, mutation);
    const bucket = refill(fake);
    if (cost > MAX_QUERY_COST) {
      const message = `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`;
      return Response.json({ errors: [{ message, extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_QUERY_COST } }] });
    }
    if (cost > bucket.currentlyAvailable) {
      fake.throttled += 1;
      return Response.json({
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: costExtension(fake, cost, null) },
      });
    }
    if (!mutation && /\bthemes\s*\(/.test(body.query) && fake.theme.denied) {
      const message = "Access denied for themes field. Required access: `read_themes` access scope.";
      return Response.json({ errors: [{ message, extensions: { code: "ACCESS_DENIED" } }], extensions: { cost: costExtension(fake, cost, 1) } });
    }
    let data: Record<string, unknown>;
    if (mutation === "stagedUploadsCreate") data = { stagedUploadsCreate: stageTargets(fake, body) };
    else if (mutation === "fileCreate") data = { fileCreate: createFiles(fake, body) };
    else if (mutation === "bulkOperationRunQuery") data = { bulkOperationRunQuery: runBulk(fake, shop, body) };
    else if (mutation) data = { [mutation]: tagMutation(fake, shop, mutation, body) };
    else data = query(fake, shop, body);
    const actual = actualCost(body.query, data, cost);
    bucket.currentlyAvailable -= actual;
    return Response.json({ data, extensions: { cost: costExtension(fake, cost, actual) } });
  };
  return fake;
}

function query(fake: AdminFake, shop: string, body: Body) {
  const data: Record<string, unknown> = {};
  if (/\bcustomer\s*\(/.test(body.query)) data.customer = customerPage(fake, shop, body);
  if (/\border\s*\(\s*id:/.test(body.query)) data.order = orderLines(fake, shop, body);
  if (/\bcurrentBulkOperation\b/.test(body.query)) data.currentBulkOperation = pollBulk(fake);
  if (/\bnodes\s*\(/.test(body.query)) data.nodes = ((body.variables?.ids as string[]) ?? []).map((gid) => node(fake, gid));
  else if (/\bnode\s*\(/.test(body.query)) data.node = node(fake, String(body.variables?.id ?? ""));
  if (/\bcollection\s*\(/.test(body.query)) data.collection = collectionPage(fake, body);
  if (/\bthemes\s*\(/.test(body.query)) data.themes = mainTheme(fake);
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

// ---------------------------------------------------------------- query cost, as Shopify charges it
// Objects cost 1, a connection 2 plus `first` times its node's cost; mutations 10. Charged up front at the
// requested cost (THROTTLED when the bucket holds less), then the bucket keeps the difference to the actual cost.

const firstOf = (query: string, field: string, fallback: number) =>
  Number(query.match(new RegExp(`\\b${field}\\s*\\(\\s*first:\\s*(\\d+)`))?.[1] ?? fallback);

const MAX_QUERY_COST = 1_000;
const CUSTOMER_OBJECTS = 6; // the customer, its e-mail, phone, two consents and address
const ORDER_OBJECTS = 5; // the order, its total, refunds, journey summary and first visit
const LINE_OBJECTS = 3; // the line, its product and variant

function requestedCost(query: string, mutation: string | undefined): number {
  if (mutation) return 10;
  if (/\bcustomer\s*\(/.test(query)) {
    const orders = firstOf(query, "orders", 0);
    const lines = firstOf(query, "lineItems", 0);
    return CUSTOMER_OBJECTS + 2 + orders * (ORDER_OBJECTS + 2 + lines * LINE_OBJECTS);
  }
  if (/\border\s*\(\s*id:/.test(query)) return 1 + 2 + firstOf(query, "lineItems", 0) * LINE_OBJECTS;
  return 1;
}

function actualCost(query: string, data: Record<string, unknown>, requested: number): number {
  const customer = data.customer as { orders: { nodes: { lineItems: { nodes: unknown[] } }[] } } | null | undefined;
  if (customer !== undefined) {
    if (!customer) return 1;
    return CUSTOMER_OBJECTS + 2 + customer.orders.nodes.reduce((sum, o) => sum + ORDER_OBJECTS + 2 + o.lineItems.nodes.length * LINE_OBJECTS, 0);
  }
  const order = data.order as { lineItems: { nodes: unknown[] } } | null | undefined;
  if (order !== undefined) return order ? 3 + order.lineItems.nodes.length * LINE_OBJECTS : 1;
  return requested;
}

function refill(fake: AdminFake): CostBucket {
  const now = Date.now();
  const bucket = fake.bucket;
  bucket.currentlyAvailable = Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + ((now - bucket.at) / 1000) * bucket.restoreRate);
  bucket.at = now;
  return bucket;
}

function costExtension(fake: AdminFake, requested: number, actual: number | null) {
  const { maximumAvailable, currentlyAvailable, restoreRate } = fake.bucket;
  return {
    requestedQueryCost: requested,
    actualQueryCost: actual,
    throttleStatus: { maximumAvailable, currentlyAvailable: Math.floor(currentlyAvailable - (actual ?? 0)), restoreRate },
  };
}

// ---------------------------------------------------------------- customers, orders, lines

const cursorOf = (index: number) => Buffer.from(String(index)).toString("base64");
const indexOf = (cursor: unknown) => (typeof cursor === "string" ? Number(Buffer.from(cursor, "base64").toString()) + 1 : 0);

function visibleCustomer(fake: AdminFake, shop: string, gid: string): FakeCustomer | null {
  const customer = fake.customers.get(gid.split("/").pop() ?? "");
  return customer && (!customer.shop || customer.shop === shop) ? customer : null;
}

function customerFields(customer: FakeCustomer) {
  const { orders: _orders, shop: _shop, ...fields } = customer;
  return fields;
}

function orderNode(order: FakeOrder, lines: number) {
  const { lines: all, ...fields } = order;
  const page = all.slice(0, lines);
  return {
    ...fields,
    lineItems: { pageInfo: { hasNextPage: all.length > lines, endCursor: page.length ? cursorOf(page.length - 1) : null }, nodes: page },
  };
}

function sortedOrders(customer: FakeCustomer) {
  return [...customer.orders].sort((a, b) => (a.processedAt ?? a.createdAt).localeCompare(b.processedAt ?? b.createdAt));
}

function customerPage(fake: AdminFake, shop: string, body: Body) {
  const customer = visibleCustomer(fake, shop, String(body.variables?.id ?? ""));
  if (!customer) return null;
  const first = firstOf(body.query, "orders", 10);
  const lines = firstOf(body.query, "lineItems", 10);
  const start = indexOf(body.variables?.after);
  const orders = sortedOrders(customer);
  const page = orders.slice(start, start + first);
  return {
    ...customerFields(customer),
    orders: {
      pageInfo: { hasNextPage: start + first < orders.length, endCursor: page.length ? cursorOf(start + page.length - 1) : null },
      nodes: page.map((order) => orderNode(order, lines)),
    },
  };
}

function orderLines(fake: AdminFake, shop: string, body: Body) {
  const gid = String(body.variables?.id ?? "");
  for (const customer of fake.customers.values()) {
    if (customer.shop && customer.shop !== shop) continue;
    const order = customer.orders.find((o) => o.id === gid);
    if (!order) continue;
    const first = firstOf(body.query, "lineItems", 10);
    const start = indexOf(body.variables?.after);
    const page = order.lines.slice(start, start + first);
    return {
      lineItems: {
        pageInfo: { hasNextPage: start + first < order.lines.length, endCursor: page.length ? cursorOf(start + page.length - 1) : null },
        nodes: page,
      },
    };
  }
  return null;
}

/** tagsAdd / tagsRemove change the fixture's tags unless the test set userErrors for the mutation. */
function tagMutation(fake: AdminFake, shop: string, mutation: string, body: Body) {
  const userErrors = fake.userErrors.get(mutation) ?? [];
  if (!userErrors.length && (mutation === "tagsAdd" || mutation === "tagsRemove")) {
    const customer = visibleCustomer(fake, shop, String(body.variables?.id ?? ""));
    const tags = (body.variables?.tags as string[]) ?? [];
    if (customer) {
      const current = new Set(customer.tags ?? []);
      for (const tag of tags) (mutation === "tagsAdd" ? current.add(tag) : current.delete(tag));
      customer.tags = [...current];
    }
  }
  return { userErrors };
}

// ---------------------------------------------------------------- bulk operations

function runBulk(fake: AdminFake, shop: string, body: Body) {
  const running = fake.bulkOperations.find((op) => op.status === "CREATED" || op.status === "RUNNING");
  if (running) {
    return { bulkOperation: null, userErrors: [{ field: null, message: "A bulk query operation for this app and shop is already in progress." }] };
  }
  const query = String(body.variables?.query ?? "");
  const op: FakeBulkOperation = {
    id: `gid://shopify/BulkOperation/${fake.bulkOperations.length + 1}`,
    status: "CREATED",
    query: `${shop}\n${query}`,
    polls: 0,
    url: null,
    errorCode: null,
    objectCount: 0,
  };
  fake.bulkOperations.push(op);
  return { bulkOperation: { id: op.id, status: op.status }, userErrors: [] };
}

function pollBulk(fake: AdminFake) {
  const op = fake.bulkOperations[fake.bulkOperations.length - 1];
  if (!op) return null;
  if (op.status === "CREATED" || op.status === "RUNNING") {
    op.polls += 1;
    op.status = "RUNNING";
    if (op.polls >= fake.bulkPolls) {
      if (fake.bulkFailure) {
        op.status = "FAILED";
        op.errorCode = fake.bulkFailure;
      } else {
        const [shop, query] = [op.query.slice(0, op.query.indexOf("\n")), op.query.slice(op.query.indexOf("\n") + 1)];
        const lines = bulkLines(fake, shop, query);
        op.status = "COMPLETED";
        op.objectCount = lines.length;
        if (lines.length) {
          const path = `/${randomUUID()}.jsonl`;
          fake.bulkFiles.set(path, lines.map((line) => JSON.stringify(line)).join("\n") + "\n");
          op.url = `https://${BULK_HOST}${path}`;
        }
      }
    }
  }
  return { id: op.id, status: op.status, errorCode: op.errorCode, objectCount: String(op.objectCount), url: op.url };
}

/** The JSONL records of the customers the query names (`id:N OR id:M`), as Shopify writes nested connections. */
function bulkLines(fake: AdminFake, shop: string, query: string) {
  const ids = [...query.matchAll(/\bid:(\d+)/g)].map((match) => match[1]);
  const records: Record<string, unknown>[] = [];
  for (const id of ids) {
    const customer = visibleCustomer(fake, shop, `gid://shopify/Customer/${id}`);
    if (!customer) continue;
    records.push(customerFields(customer));
    for (const order of sortedOrders(customer)) {
      const { lines, ...fields } = order;
      records.push({ ...fields, __parentId: customer.id });
      for (const line of lines) records.push({ ...line, __parentId: order.id });
    }
  }
  return records;
}

/** `themes(first: 1, roles: [MAIN]) { nodes { id files(filenames: ["config/settings_data.json"]) { nodes { body } } } }` */
function mainTheme(fake: AdminFake) {
  const files = fake.theme.settingsData === null ? [] : [{ filename: "config/settings_data.json", body: { content: fake.theme.settingsData } }];
  return { nodes: [{ id: "gid://shopify/OnlineStoreTheme/1", files: { nodes: files } }] };
}

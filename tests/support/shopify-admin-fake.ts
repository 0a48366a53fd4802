// A fake of the Shopify Admin GraphQL API for this test process: requests to https://<shop>/admin/api/*/graphql.json
// are answered from the products a test registers, mutations with the userErrors a test sets (none: success);
// every other request goes to the real fetch. Installed by setup-file.ts before any app module loads, because the
// Shopify library keeps the fetch it saw at import.
type ProductFixture = { id: string; handle: string; imageUrl?: string | null; variants?: Record<string, string | null> };

export type AdminFake = {
  products: Map<string, ProductFixture>;
  calls: { shop: string; query: string; variables: Record<string, unknown> }[];
  failNext: number;
  /** What a mutation (by its field, "tagsAdd") answers in `userErrors`, as Shopify reports a refused input. */
  userErrors: Map<string, { field: string[] | null; message: string }[]>;
  restore: () => void;
};

declare global {
  var adminFakeForFile: AdminFake | undefined;
}

export function adminFake(): AdminFake {
  if (!globalThis.adminFakeForFile) throw new Error("the Admin API fake is installed by tests/support/setup-file.ts");
  return globalThis.adminFakeForFile;
}

export function installAdminFake(): AdminFake {
  const original = globalThis.fetch;
  const fake: AdminFake = {
    products: new Map(),
    calls: [],
    failNext: 0,
    userErrors: new Map(),
    restore: () => (globalThis.fetch = original),
  };
  globalThis.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (!/\.myshopify\.com$/.test(url.hostname) || !/^\/admin\/api\/[^/]+\/graphql\.json$/.test(url.pathname)) {
      return original(input, init);
    }
    const raw = init?.body ?? (input instanceof Request ? await input.text() : "{}");
    const body = JSON.parse(String(raw)) as { query: string; variables?: { ids?: string[] } };
    fake.calls.push({ shop: url.hostname, query: body.query, variables: body.variables ?? {} });
    if (fake.failNext > 0) {
      fake.failNext -= 1;
      return new Response(JSON.stringify({ errors: "Internal error" }), { status: 500 });
    }
    const mutation = body.query.match(/^\s*(?:#graphql\s*)?mutation\b[^{]*\{\s*(\w+)/)?.[1];
    if (mutation) return Response.json({ data: { [mutation]: { userErrors: fake.userErrors.get(mutation) ?? [] } } });
    const nodes = (body.variables?.ids ?? []).map((gid) => node(fake, gid));
    return Response.json({ data: { nodes } });
  };
  return fake;
}

function node(fake: AdminFake, gid: string) {
  const [, kind, id] = gid.match(/^gid:\/\/shopify\/(Product|ProductVariant)\/(\d+)$/) ?? [];
  if (kind === "Product") {
    const product = fake.products.get(id);
    return product ? { id: gid, handle: product.handle, featuredImage: product.imageUrl ? { url: product.imageUrl } : null } : null;
  }
  for (const product of fake.products.values()) {
    if (product.variants && id in product.variants) {
      const url = product.variants[id];
      return { id: gid, image: url ? { url } : null };
    }
  }
  return null;
}

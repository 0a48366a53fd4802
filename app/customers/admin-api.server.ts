// Admin GraphQL calls within Shopify's query cost limits. Every answer reports the shop's bucket
// (`extensions.cost.throttleStatus`: maximumAvailable, currentlyAvailable, restoreRate per second); before a query
// whose last run cost more than the bucket now holds, we wait for it to refill. A THROTTLED answer (the bucket ran
// dry anyway, e.g. another app of the shop or another worker) waits the same way and asks again.
export type GraphQL = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

type ThrottleStatus = { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
type Cost = { requestedQueryCost?: number; actualQueryCost?: number | null; throttleStatus?: ThrottleStatus };
type Body = { data?: unknown; errors?: unknown; extensions?: { cost?: Cost } };

const MAX_THROTTLED = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class AdminApiError extends Error {}

export type CostAwareClient = {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
  /** Milliseconds spent waiting for the bucket so far. */
  waitedMs(): number;
};

export function costAwareClient(graphql: GraphQL, wait: (ms: number) => Promise<unknown> = sleep): CostAwareClient {
  let bucket: (ThrottleStatus & { at: number }) | null = null;
  const lastCost = new Map<string, number>();
  let waited = 0;

  /** What the bucket holds now: the last reading plus what it restored since. */
  const available = () =>
    bucket ? Math.min(bucket.maximumAvailable, bucket.currentlyAvailable + (bucket.restoreRate * (Date.now() - bucket.at)) / 1000) : Infinity;

  async function waitFor(cost: number) {
    if (!bucket || cost <= available()) return;
    const ms = Math.ceil(((Math.min(cost, bucket.maximumAvailable) - available()) / bucket.restoreRate) * 1000) + 50;
    waited += ms;
    await wait(ms);
  }

  const note = (cost: Cost | undefined) => {
    if (cost?.throttleStatus) bucket = { ...cost.throttleStatus, at: Date.now() };
  };

  return {
    waitedMs: () => waited,
    async request<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      for (let throttled = 0; ; throttled += 1) {
        await waitFor(lastCost.get(query) ?? 0);
        let body: Body;
        try {
          body = (await (await graphql(query, { variables })).json()) as Body;
        } catch (error) {
          // The library's GraphqlQueryError carries the answer as `body` (checked by shape: the Remix package and
          // the app may load different copies of the class).
          const refused = (error as { body?: Body }).body;
          if (!refused || !isThrottled(refused) || throttled >= MAX_THROTTLED) throw error;
          note(refused.extensions?.cost);
          const requested = refused.extensions?.cost?.requestedQueryCost ?? bucket?.maximumAvailable ?? 0;
          // A query costing more than the bucket can ever hold would wait forever.
          if (bucket && requested > bucket.maximumAvailable) throw error;
          lastCost.set(query, requested);
          continue;
        }
        note(body.extensions?.cost);
        const cost = body.extensions?.cost;
        if (cost?.requestedQueryCost !== undefined) lastCost.set(query, cost.requestedQueryCost);
        if (body.errors) throw new AdminApiError(JSON.stringify(body.errors).slice(0, 500));
        return body.data as T;
      }
    },
  };
}

function isThrottled(body: Body): boolean {
  const errors = body.errors as { graphQLErrors?: { extensions?: { code?: string } }[] } | { extensions?: { code?: string } }[] | undefined;
  const list = Array.isArray(errors) ? errors : (errors?.graphQLErrors ?? []);
  return list.some((error) => error.extensions?.code === "THROTTLED");
}

/** Throws when a mutation answered userErrors (Shopify refused the input). */
export function assertNoUserErrors(operation: string, result: { userErrors?: { message: string }[] } | null | undefined) {
  const errors = result?.userErrors ?? [];
  if (errors.length) throw new AdminApiError(`${operation}: ${errors.map((e) => e.message).join("; ")}`);
}

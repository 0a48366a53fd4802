// The import at link time through the real storefront path: app proxy → LIFF link endpoint (ID token verified by
// the LINE fake) → the `linked` change → the customers queue's worker → the Admin API fake.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as proxyConnect } from "~/routes/proxy.connect";
import { action as linkAction } from "~/routes/liff.$accountId_.link";
import { sessionStorage } from "~/shopify.server";
import { fakeCustomer, fakeOrder } from "../support/customers";
import { createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { adminFake } from "../support/shopify-admin-fake";
import { appProxyRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const LOGIN_CHANNEL = "2000000001";
const LIFF_ID = `${LOGIN_CHANNEL}-AbCdEfGh`;

beforeEach(async () => {
  await createShop(db, { shop: TEST_SHOP_DOMAIN });
  await sessionStorage.storeSession(offlineSession());
  adminFake().customers.clear();
  adminFake().setBucket(2_000, 100);
});

describe("linking through LIFF", () => {
  it("imports the customer and their orders once the shopper is linked", async () => {
    const { account } = await connectedAccount(db, TEST_SHOP_DOMAIN, { loginChannelId: LOGIN_CHANNEL, liffId: LIFF_ID });
    adminFake().customers.set("7001", fakeCustomer("7001", [fakeOrder({ total: "2500.0" }), fakeOrder({ total: "20.00", currency: "USD" })]));

    const proxied = await proxyConnect({ request: appProxyRequest("/proxy/connect", {}, { customerId: "7001" }), params: {}, context: {} });
    const intent = new URL(proxied.headers.get("location")!).searchParams.get("intent")!;
    const idToken = lineFake().issueIdToken({ loginChannelId: LOGIN_CHANNEL, sub: "U1234567890abcdef1234567890abcdef", name: "花子" });
    const request = new Request(`https://my-test-app.myshopify.io/liff/${account.id}/link`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ intent, idToken }),
    });
    const response = await linkAction({ request, params: { accountId: account.id }, context: { clientAddress: "203.0.113.7" } });
    expect(response.status).toBe(200);
    expect(await db.customer.findFirst({ where: { shop: TEST_SHOP_DOMAIN, customerId: "7001" } })).toMatchObject({ importStatus: "pending" });

    const customer = await withWorkers(() =>
      waitUntil(() =>
        db.customer.findFirst({ where: { shop: TEST_SHOP_DOMAIN, customerId: "7001", importStatus: "done" }, include: { spend: { orderBy: { currency: "asc" } } } }),
      ),
    );
    expect(customer).toMatchObject({ displayName: "Hanako Yamada", ordersCount: 2 });
    expect(customer.spend.map((s) => `${s.currency} ${s.totalSpent.toString()}`)).toEqual(["JPY 2500", "USD 20"]);
  });
});

// The embedded home page through the real admin authentication (session token + stored offline session).
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as homeLoader } from "~/routes/app._index";
import { loader as layoutLoader } from "~/routes/app";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createLineAccount, enableCartReminders } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const call = async <T,>(loader: (args: never) => Promise<T>, request: Request) =>
  loader({ request, params: {}, context: {} } as never);

beforeEach(async () => {
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  await db.shop.deleteMany();
  await db.session.deleteMany();
  await sessionStorage.storeSession(offlineSession());
});

describe("admin home", () => {
  it("creates the shop row and picks the staff member's language", async () => {
    const data = await call(layoutLoader, await adminRequest("/app", { locale: "ja-JP" }));
    expect(data).toMatchObject({ locale: "ja", apiKey: process.env.SHOPIFY_API_KEY });
    expect(await db.shop.count({ where: { shop: TEST_SHOP_DOMAIN } })).toBe(1);
    expect(await call(layoutLoader, await adminRequest("/app", { locale: "th" }))).toMatchObject({ locale: "en" });
  });

  it("shows zero states on a new shop", async () => {
    const { setup: state } = await call(homeLoader, await adminRequest("/app"));
    expect(state).toMatchObject({
      lineAccounts: { connected: 0 },
      cartReminders: { enabled: false, delayMinutes: null },
      friends: { total: 0, following: 0 },
    });
  });

  it("shows the real set-up state", async () => {
    const account = await createLineAccount(db, TEST_SHOP_DOMAIN);
    await createLineAccount(db, TEST_SHOP_DOMAIN, { status: "disconnected" });
    await enableCartReminders(db, account, 60);
    await createFriend(db, account);
    await createFriend(db, account, { followStatus: "blocked" });
    await createFriend(db, await createLineAccount(db, "someone-else.myshopify.com"));

    const { setup: state } = await call(homeLoader, await adminRequest("/app"));
    expect(state).toMatchObject({
      lineAccounts: { connected: 1 },
      cartReminders: { enabled: true, delayMinutes: 60 },
      friends: { total: 2, following: 1 },
    });
  });

  it("refuses a request without a valid session token", async () => {
    const request = await adminRequest("/app");
    const url = new URL(request.url);
    url.searchParams.set("id_token", "not-a-jwt");
    const outcome = await call(homeLoader, new Request(url)).catch((thrown: unknown) => thrown);
    expect(outcome).toBeInstanceOf(Response);
    expect([302, 401]).toContain((outcome as Response).status);
  });
});

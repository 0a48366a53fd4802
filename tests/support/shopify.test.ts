// The request builders must produce what the Shopify library accepts, and nothing it should refuse.
import { describe, expect, it } from "vitest";
import { authenticate } from "~/shopify.server";
import { appProxyRequest } from "./shopify";

const outcome = (request: Request) =>
  authenticate.public.appProxy(request).then(
    () => 200,
    (thrown: unknown) => (thrown instanceof Response ? thrown.status : Promise.reject(thrown)),
  );

describe("appProxyRequest", () => {
  it("is accepted when signed with the app secret", async () => {
    expect(await outcome(appProxyRequest("/proxy/connect", { cart: "c1" }, { customerId: "42" }))).toBe(200);
  });

  it("is refused when forged, tampered with or stale", async () => {
    expect(await outcome(appProxyRequest("/proxy/connect", {}, { secret: "not-the-secret" }))).toBe(400);
    const tampered = new URL(appProxyRequest("/proxy/connect", {}, { customerId: "42" }).url);
    tampered.searchParams.set("logged_in_customer_id", "43");
    expect(await outcome(new Request(tampered))).toBe(400);
    const stale = Math.floor(Date.now() / 1000) - 600;
    expect(await outcome(appProxyRequest("/proxy/connect", {}, { timestamp: stale }))).toBe(400);
  });
});

// The tracking-links page's loader and action through the real admin authentication.
import type { LineAccount } from "@prisma/client";
import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action, loader, shouldRevalidate } from "~/routes/app.tracking-links";
import { sessionStorage } from "~/shopify.server";
import { createTrackingLink } from "~/sources/tracking-admin.server";
import { createLineAccount } from "../support/factories";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";

const OTHER = "other-shop.myshopify.com";

type Handler = (args: never) => Promise<unknown>;

/** Calls a loader or action; a thrown Response is returned too, so tests can look at its status. */
async function call(handler: Handler, request: Request) {
  const outcome = await handler({ request, params: {}, context: {} } as never).catch((thrown: unknown) => thrown);
  if (outcome instanceof Response) {
    const type = outcome.headers.get("content-type") ?? "";
    return { status: outcome.status, body: (type.includes("json") ? await outcome.json() : {}) as Record<string, any> };
  }
  if (outcome instanceof Error) throw outcome;
  return { status: 200, body: outcome as Record<string, any> };
}

function post(fields: Record<string, string | string[]>, shop?: string) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const item of [value].flat()) body.append(key, item);
  return adminRequest("/app/tracking-links", { method: "POST", body, shop });
}

let account: LineAccount;

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
});

beforeEach(async () => {
  await db.trackingLink.deleteMany();
  await db.lineAccount.deleteMany();
  account = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "Tokyo Tea", liffId: "1234-abcd", loginChannelId: "2000000001" });
});

describe("loader", () => {
  it("answers the shop's connected accounts and links with URLs and reports, without secrets", async () => {
    const noLiff = await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "No LIFF" });
    await createLineAccount(db, TEST_SHOP_DOMAIN, { displayName: "Gone", status: "disconnected" });
    const theirs = await createLineAccount(db, OTHER);
    const created = await createTrackingLink(TEST_SHOP_DOMAIN, { name: "Spring", lineAccountId: account.id, tagNames: ["VIP"] });
    if (!("link" in created)) throw new Error("refused");
    await createTrackingLink(TEST_SHOP_DOMAIN, { name: "Plain", lineAccountId: noLiff.id });
    await createTrackingLink(OTHER, { name: "Theirs", lineAccountId: theirs.id });
    await db.trackingClick.create({ data: { shop: TEST_SHOP_DOMAIN, trackingLinkId: created.link.id, params: {} } });

    const { status, body } = await call(loader, await adminRequest("/app/tracking-links"));
    expect(status).toBe(200);
    expect(body.accounts).toEqual([
      { id: account.id, displayName: "Tokyo Tea" },
      { id: noLiff.id, displayName: "No LIFF" },
    ]);
    expect(body.links.map((link: { name: string }) => link.name)).toEqual(["Plain", "Spring"]);
    expect(body.links[1]).toMatchObject({
      url: `${APP_URL}/t/${created.link.code}`,
      accountName: "Tokyo Tea",
      tagNames: ["VIP"],
      attributes: true,
      report: { clicks: 1, friends: 0 },
    });
    expect(body.links[0]).toMatchObject({ accountName: "No LIFF", attributes: false });
    expect(body).toMatchObject({ archived: false, archivedCount: 0 });
    expect(JSON.stringify(body)).not.toContain(account.channelSecret);
  });

  it("lists archived links on ?view=archived", async () => {
    const created = await createTrackingLink(TEST_SHOP_DOMAIN, { name: "Old", lineAccountId: account.id });
    if (!("link" in created)) throw new Error("refused");
    await db.trackingLink.update({ where: { id: created.link.id }, data: { archivedAt: new Date() } });
    expect((await call(loader, await adminRequest("/app/tracking-links"))).body).toMatchObject({ archivedCount: 1, links: [] });
    const archived = await call(loader, await adminRequest("/app/tracking-links?view=archived"));
    expect(archived.body).toMatchObject({ archived: true, archivedCount: 1, links: [{ name: "Old" }] });
  });

  it("refuses a request without a valid session token", async () => {
    const url = new URL((await adminRequest("/app/tracking-links")).url);
    url.searchParams.set("id_token", "not-a-jwt");
    const outcome = await call(loader, new Request(url));
    expect([302, 401]).toContain(outcome.status);
  });
});

describe("action", () => {
  const valid = () => ({
    intent: "create",
    name: "Instagram spring",
    lineAccountId: account.id,
    landingPageUrl: "https://shop.example.com/lp",
    tagNames: ["Instagram", "春セール"],
    postbackUrl: "https://ad.example.com/cv?cid={click_id}&t={now}",
    postbackMethod: "POST",
  });

  it("creates a link from the form", async () => {
    const { status, body } = await call(action, await post(valid()));
    expect(status).toBe(200);
    expect(body).toEqual({ ok: true, intent: "create", name: "Instagram spring", preview: null });
    expect(await db.trackingLink.findFirstOrThrow({ where: { shop: TEST_SHOP_DOMAIN } })).toMatchObject({
      name: "Instagram spring",
      lineAccountId: account.id,
      landingPageUrl: "https://shop.example.com/lp",
      tagNames: ["Instagram", "春セール"],
      postbackUrl: "https://ad.example.com/cv?cid={click_id}&t={now}",
      postbackMethod: "POST",
    });
  });

  it("answers 422 with the field errors, SSRF refusals included, and saves nothing", async () => {
    for (const [postbackUrl, key] of [
      ["http://ad.example.com/cv", "trackingLinks.error.postbackHttps"],
      ["https://169.254.169.254/latest/meta-data/", "trackingLinks.error.postbackPrivate"],
      ["https://localhost:3000/cv", "trackingLinks.error.postbackPrivate"],
    ]) {
      const { status, body } = await call(action, await post({ ...valid(), postbackUrl }));
      expect(status).toBe(422);
      expect(body).toEqual({ ok: false, errors: { postbackUrl: key } });
    }
    const empty = await call(action, await post({ intent: "create", name: "", lineAccountId: "" }));
    expect(empty).toEqual({
      status: 422,
      body: { ok: false, errors: { name: "trackingLinks.error.nameRequired", lineAccountId: "trackingLinks.error.account" } },
    });
    expect(await db.trackingLink.count()).toBe(0);
  });

  it("updates and archives the shop's own links, and answers 404 for another shop's", async () => {
    const created = await createTrackingLink(TEST_SHOP_DOMAIN, { name: "Spring", lineAccountId: account.id });
    if (!("link" in created)) throw new Error("refused");
    const id = created.link.id;
    const updated = await call(action, await post({ ...valid(), intent: "update", id, name: "Summer", tagNames: [] }));
    expect(updated).toEqual({ status: 200, body: { ok: true, intent: "update", name: "Summer", preview: null } });
    expect(await db.trackingLink.findUniqueOrThrow({ where: { id } })).toMatchObject({ name: "Summer", tagNames: [], code: created.link.code });

    const theirs = await createTrackingLink(OTHER, { name: "Theirs", lineAccountId: (await createLineAccount(db, OTHER)).id });
    if (!("link" in theirs)) throw new Error("refused");
    const foreign = await call(action, await post({ intent: "archive", id: theirs.link.id }));
    expect(foreign).toEqual({ status: 404, body: { ok: false, errors: { form: "trackingLinks.error.notFound" } } });
    expect(await db.trackingLink.findUniqueOrThrow({ where: { id: theirs.link.id } })).toMatchObject({ archivedAt: null });

    expect(await call(action, await post({ intent: "archive", id }))).toEqual({
      status: 200,
      body: { ok: true, intent: "archive", name: "Summer", preview: null },
    });
    expect((await db.trackingLink.findUniqueOrThrow({ where: { id } })).archivedAt).toBeInstanceOf(Date);
  });

  it("previews a postback URL without saving, and says why one is refused", async () => {
    const ok = await call(
      action,
      await post({ intent: "preview", postbackUrl: "https://ad.example.com/cv?cid={click_id}&lp={lp_url}&u={url_id}", landingPageUrl: "https://shop.example.com/lp", code: "Ab3dE6gH" }),
    );
    expect(ok.body.preview).toEqual({
      url: "https://ad.example.com/cv?cid=abc123&lp=https%3A%2F%2Fshop.example.com%2Flp&u=Ab3dE6gH",
      error: null,
    });
    const refused = await call(action, await post({ intent: "preview", postbackUrl: "https://10.0.0.5/cv" }));
    expect(refused.body.preview).toEqual({ url: null, error: "trackingLinks.error.postbackPrivate" });
    expect(await db.trackingLink.count()).toBe(0);
  });

  it("answers 400 to an unknown intent", async () => {
    expect(await call(action, await post({ intent: "delete-everything" }))).toEqual({
      status: 400,
      body: { ok: false, errors: { form: "trackingLinks.error.intent" } },
    });
  });

  it("does not reload the list after a preview, but does after a save", () => {
    const args = (intent: string) => {
      const formData = new FormData();
      formData.set("intent", intent);
      return { formData, defaultShouldRevalidate: true } as never;
    };
    expect(shouldRevalidate(args("preview"))).toBe(false);
    expect(shouldRevalidate(args("create"))).toBe(true);
  });
});

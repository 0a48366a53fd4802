// Tracking links, the admin side: validation (with the postback SSRF refusals), codes, shop isolation, and the
// per-link report over real clicks, sources, friends, orders and postbacks.
import type { LineAccount } from "@prisma/client";
import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { messages, translate } from "~/i18n/messages";
import {
  archiveTrackingLink,
  createTrackingLink,
  listTrackingLinks,
  postbackPreview,
  trackingLinkUrl,
  updateTrackingLink,
  type TrackingLinkInput,
} from "~/sources/tracking-admin.server";
import { recordClick } from "~/sources/tracking-links.server";
import { createFriend, createLineAccount } from "../support/factories";

const SHOP = "tracking-shop.myshopify.com";
const OTHER = "other-shop.myshopify.com";

let account: LineAccount;
let otherAccount: LineAccount;

beforeEach(async () => {
  await db.trackingLink.deleteMany();
  await db.order.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  account = await createLineAccount(db, SHOP, { displayName: "Tokyo Tea" });
  otherAccount = await createLineAccount(db, OTHER);
});

const input = (overrides: Partial<TrackingLinkInput> = {}): TrackingLinkInput => ({
  name: "Instagram spring",
  lineAccountId: account.id,
  ...overrides,
});

/** The one error of a refused input, checked to be a message the page can show in both languages. */
async function refusal(overrides: Partial<TrackingLinkInput>) {
  const result = await createTrackingLink(SHOP, input(overrides));
  if (!("errors" in result)) throw new Error(`accepted: ${JSON.stringify(overrides)}`);
  for (const key of Object.values(result.errors)) {
    expect(messages.en).toHaveProperty([key]);
    expect(messages.ja).toHaveProperty([key]);
  }
  return result.errors;
}

describe("validation", () => {
  it("needs a name of 1 to 100 characters", async () => {
    expect(await refusal({ name: "   " })).toEqual({ name: "trackingLinks.error.nameRequired" });
    expect(await refusal({ name: "x".repeat(101) })).toEqual({ name: "trackingLinks.error.nameTooLong" });
    const ok = await createTrackingLink(SHOP, input({ name: `  ${"x".repeat(100)}  ` }));
    expect("link" in ok && ok.link.name).toBe("x".repeat(100));
  });

  it("needs a connected LINE account of this shop", async () => {
    const disconnected = await createLineAccount(db, SHOP, { status: "disconnected" });
    for (const lineAccountId of ["", otherAccount.id, disconnected.id, "no-such-account"]) {
      expect(await refusal({ lineAccountId })).toEqual({ lineAccountId: "trackingLinks.error.account" });
    }
    expect(await db.trackingLink.count()).toBe(0);
  });

  it("takes an optional https landing page URL", async () => {
    for (const landingPageUrl of ["http://shop.example.com/lp", "shop.example.com/lp", "https://", `https://a.com/${"x".repeat(2000)}`]) {
      expect(await refusal({ landingPageUrl })).toEqual({ landingPageUrl: "trackingLinks.error.landingPageUrl" });
    }
    const blank = await createTrackingLink(SHOP, input({ landingPageUrl: "  " }));
    expect("link" in blank && blank.link.landingPageUrl).toBeNull();
    const lp = await createTrackingLink(SHOP, input({ landingPageUrl: "https://shop.example.com/pages/spring" }));
    expect("link" in lp && lp.link.landingPageUrl).toBe("https://shop.example.com/pages/spring");
  });

  it("takes 0 to 10 tags of 1 to 50 characters, trimmed and deduplicated", async () => {
    const eleven = Array.from({ length: 11 }, (_, i) => `tag${i}`);
    expect(await refusal({ tagNames: eleven })).toEqual({ tagNames: "trackingLinks.error.tagCount" });
    expect(await refusal({ tagNames: ["VIP", " "] })).toEqual({ "tagNames.1": "trackingLinks.error.tagEmpty" });
    expect(await refusal({ tagNames: ["x".repeat(51)] })).toEqual({ "tagNames.0": "trackingLinks.error.tagTooLong" });
    // Eleven names, ten once trimmed and deduplicated.
    const ok = await createTrackingLink(SHOP, input({ tagNames: [...eleven.slice(1, 10), " tag1 ", "x".repeat(50)] }));
    expect("link" in ok && ok.link.tagNames).toEqual([...eleven.slice(1, 10), "x".repeat(50)]);
    const none = await createTrackingLink(SHOP, input());
    expect("link" in none && none.link.tagNames).toEqual([]);
  });

  it("refuses postback templates that would reach our own network, with a readable message", async () => {
    const cases: [string, string][] = [
      ["http://ad.example.com/cv?cid={click_id}", "trackingLinks.error.postbackHttps"],
      ["https://127.0.0.1/cv?cid={click_id}", "trackingLinks.error.postbackPrivate"],
      ["https://10.0.3.7:8443/cv", "trackingLinks.error.postbackPrivate"],
      ["https://169.254.169.254/latest/meta-data/?t={now}", "trackingLinks.error.postbackPrivate"],
      ["https://[::1]/cv", "trackingLinks.error.postbackPrivate"],
      ["https://localhost/cv", "trackingLinks.error.postbackPrivate"],
      ["https://LOCALHOST:3000/cv", "trackingLinks.error.postbackPrivate"],
      ["https://2130706433/cv", "trackingLinks.error.postbackPrivate"], // 127.0.0.1 written as a number
      ["https://192.168.1.1/cv", "trackingLinks.error.postbackPrivate"],
      // Loopback and the metadata address written as IPv4-compatible, -translated, -mapped and 6to4 IPv6.
      ["https://[::7f00:1]/cv", "trackingLinks.error.postbackPrivate"],
      ["https://[::127.0.0.1]/cv", "trackingLinks.error.postbackPrivate"],
      ["https://[::ffff:0:7f00:1]/cv", "trackingLinks.error.postbackPrivate"],
      ["https://[::ffff:127.0.0.1]/cv", "trackingLinks.error.postbackPrivate"],
      ["https://[::ffff:7f00:1]/cv", "trackingLinks.error.postbackPrivate"],
      ["https://[::ffff:a9fe:a9fe]/latest/meta-data", "trackingLinks.error.postbackPrivate"],
      ["https://[2002:a00:1::]/cv", "trackingLinks.error.postbackPrivate"],
    ];
    for (const [postbackUrl, key] of cases) {
      expect(await refusal({ postbackUrl }), postbackUrl).toEqual({ postbackUrl: key });
    }
    expect(translate("en", "trackingLinks.error.postbackHttps")).toContain("https://");
    expect(translate("en", "trackingLinks.error.postbackPrivate")).toContain("public servers");
    expect(translate("ja", "trackingLinks.error.postbackPrivate")).toContain("公開サーバー");
    expect(await db.trackingLink.count()).toBe(0);
  });

  it("refuses a server name chosen by a variable, malformed variables, non-URLs and overlong templates", async () => {
    expect(await refusal({ postbackUrl: "https://{host}/cv" })).toEqual({ postbackUrl: "trackingLinks.error.postbackHost" });
    expect(await refusal({ postbackUrl: "https://ad.{utm_source}.com/cv" })).toEqual({
      postbackUrl: "trackingLinks.error.postbackHost",
    });
    expect(await refusal({ postbackUrl: "https://{a}@ad.example.com/cv" })).toEqual({
      postbackUrl: "trackingLinks.error.postbackHost",
    });
    // The URL parser takes a backslash for a slash and needs no "//" after https: — each of these has host "{x}".
    for (const postbackUrl of ["https:\\\\{x}/cv", "https:/{x}/cv", "https:{x}/cv", "https:///{x}/cv", "HTTPS:\\/{x}\\cv", "https://ad.example.com.{x}/"]) {
      expect(await refusal({ postbackUrl }), postbackUrl).toEqual({ postbackUrl: "trackingLinks.error.postbackHost" });
    }
    expect(await refusal({ postbackUrl: "https://ad.example.com:{port}/cv" })).toEqual({
      postbackUrl: "trackingLinks.error.postbackInvalid",
    });
    for (const postbackUrl of ["https://ad.example.com/cv?x={utm-source}", "https://ad.example.com/cv?x={click_id", "https://ad.example.com/cv?x=}"]) {
      expect(await refusal({ postbackUrl }), postbackUrl).toEqual({ postbackUrl: "trackingLinks.error.postbackVariable" });
    }
    // The whole URL from a variable: with nothing fixed, it is not a URL at all.
    expect(await refusal({ postbackUrl: "{lp_url}" })).toEqual({ postbackUrl: "trackingLinks.error.postbackInvalid" });
    expect(await refusal({ postbackUrl: "ad.example.com/cv" })).toEqual({ postbackUrl: "trackingLinks.error.postbackInvalid" });
    expect(await refusal({ postbackUrl: `https://ad.example.com/?q=${"x".repeat(2000)}` })).toEqual({
      postbackUrl: "trackingLinks.error.postbackTooLong",
    });
  });

  it("takes GET or POST, GET when left out, and reports every field's error at once", async () => {
    expect(await refusal({ postbackMethod: "PUT" })).toEqual({ postbackMethod: "trackingLinks.error.postbackMethod" });
    expect(await refusal({ name: "", landingPageUrl: "ftp://x", postbackUrl: "http://x.com", postbackMethod: "get" })).toEqual({
      name: "trackingLinks.error.nameRequired",
      landingPageUrl: "trackingLinks.error.landingPageUrl",
      postbackUrl: "trackingLinks.error.postbackHttps",
      postbackMethod: "trackingLinks.error.postbackMethod",
    });
    const template = "https://ad.example.com/cv?cid={click_id}&t={now}&src={utm_source}&lp={lp_url}";
    const result = await createTrackingLink(SHOP, input({ postbackUrl: template, postbackMethod: "POST" }));
    expect(result).toMatchObject({ link: { postbackUrl: template, postbackMethod: "POST" } });
    const defaulted = await createTrackingLink(SHOP, input({ postbackUrl: "https://ad.example.com/cv" }));
    expect(defaulted).toMatchObject({ link: { postbackMethod: "GET" } });
  });
});

describe("codes and URLs", () => {
  it("gives each link a short, URL-safe, unique code and a URL on the app's host", async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i += 1) {
      const result = await createTrackingLink(SHOP, input());
      if (!("link" in result)) throw new Error("refused");
      expect(result.link.code).toMatch(/^[A-Za-z0-9_-]{8}$/);
      codes.add(result.link.code);
    }
    expect(codes.size).toBe(20);
    expect(trackingLinkUrl("Ab3_dE-9")).toBe(`${APP_URL}/t/Ab3_dE-9`);
  });

  it("draws another code when one is taken, and gives up after five", async () => {
    const first = await createTrackingLink(SHOP, input(), { generateCode: () => "taken123" });
    expect(first).toMatchObject({ link: { code: "taken123" } });
    const drawn = ["taken123", "taken123", "fresh456"];
    const second = await createTrackingLink(SHOP, input(), { generateCode: () => drawn.shift()! });
    expect(second).toMatchObject({ link: { code: "fresh456" } });
    expect(drawn).toEqual([]);
    await expect(createTrackingLink(SHOP, input(), { generateCode: () => "taken123" })).rejects.toThrow();
  });
});

describe("postback preview", () => {
  it("fills every variable with sample values, query parameters by name", () => {
    const template =
      "https://ad.example.com/cv?cid={click_id}&t={now}&lp={lp_url}&u={url_id}&c={customer_id}&l={line_user_id}&s={utm_source}";
    const before = Math.floor(Date.now() / 1000);
    const preview = postbackPreview(template, { code: "Ab3dE6gH", landingPageUrl: "https://shop.example.com/lp?a=1" });
    expect(preview.error).toBeNull();
    const url = new URL(preview.url!);
    expect(url.origin + url.pathname).toBe("https://ad.example.com/cv");
    expect(Object.fromEntries(url.searchParams)).toEqual({
      cid: "abc123",
      t: expect.stringMatching(/^\d{10}$/),
      lp: "https://shop.example.com/lp?a=1",
      u: "Ab3dE6gH",
      c: "7012345678901",
      l: expect.stringMatching(/^U[0-9a-f]{32}$/),
      s: "(utm_source)",
    });
    expect(Number(url.searchParams.get("t"))).toBeGreaterThanOrEqual(before);
  });

  it("says why a template is refused, and nothing for an empty one", () => {
    expect(postbackPreview("http://ad.example.com/cv")).toEqual({ url: null, error: "trackingLinks.error.postbackHttps" });
    expect(postbackPreview("https://127.0.0.1/cv")).toEqual({ url: null, error: "trackingLinks.error.postbackPrivate" });
    expect(postbackPreview("   ")).toEqual({ url: null, error: null });
  });
});

describe("update and archive", () => {
  it("replaces the editable fields and keeps the code", async () => {
    const created = await createTrackingLink(SHOP, input({ tagNames: ["old"], postbackUrl: "https://ad.example.com/a" }));
    if (!("link" in created)) throw new Error("refused");
    const second = await createLineAccount(db, SHOP);
    const updated = await updateTrackingLink(SHOP, created.link.id, {
      name: "Renamed",
      lineAccountId: second.id,
      tagNames: ["new"],
      postbackUrl: "",
      postbackMethod: "POST",
    });
    expect(updated).toMatchObject({
      link: { code: created.link.code, name: "Renamed", lineAccountId: second.id, tagNames: ["new"], postbackUrl: null, postbackMethod: "POST" },
    });
    expect(await updateTrackingLink(SHOP, created.link.id, { ...input(), postbackUrl: "https://[::1]/" })).toEqual({
      errors: { postbackUrl: "trackingLinks.error.postbackPrivate" },
    });
  });

  it("keeps a link on its disconnected account, but moves links only to connected ones", async () => {
    const created = await createTrackingLink(SHOP, input());
    if (!("link" in created)) throw new Error("refused");
    await db.lineAccount.update({ where: { id: account.id }, data: { status: "disconnected" } });
    expect(await updateTrackingLink(SHOP, created.link.id, input({ name: "Still here" }))).toMatchObject({
      link: { name: "Still here" },
    });
    const disconnected = await createLineAccount(db, SHOP, { status: "disconnected" });
    expect(await updateTrackingLink(SHOP, created.link.id, input({ lineAccountId: disconnected.id }))).toEqual({
      errors: { lineAccountId: "trackingLinks.error.account" },
    });
  });

  it("never touches another shop's links", async () => {
    const theirs = await createTrackingLink(OTHER, input({ lineAccountId: otherAccount.id, name: "Theirs" }));
    if (!("link" in theirs)) throw new Error("refused");
    expect(await updateTrackingLink(SHOP, theirs.link.id, input())).toEqual({ errors: { form: "trackingLinks.error.notFound" } });
    expect(await archiveTrackingLink(SHOP, theirs.link.id)).toEqual({ errors: { form: "trackingLinks.error.notFound" } });
    expect(await db.trackingLink.findUniqueOrThrow({ where: { id: theirs.link.id } })).toMatchObject({ name: "Theirs", archivedAt: null });
    expect((await listTrackingLinks(SHOP)).map((link) => link.name)).toEqual([]);
    expect((await listTrackingLinks(OTHER)).map((link) => link.name)).toEqual(["Theirs"]);
  });

  it("archives once: the URL stops answering, the link moves to the archived list and cannot be edited", async () => {
    const created = await createTrackingLink(SHOP, input());
    if (!("link" in created)) throw new Error("refused");
    const { code, id } = created.link;
    const click = () => recordClick(code, new Request(`${APP_URL}/t/${code}`), "203.0.113.9");
    expect(await click()).toEqual({ location: "https://lin.ee/example" });
    expect(await archiveTrackingLink(SHOP, id)).toMatchObject({ link: { id, archivedAt: expect.any(Date) } });
    expect(await click()).toMatchObject({ status: 404 });
    expect(await archiveTrackingLink(SHOP, id)).toEqual({ errors: { form: "trackingLinks.error.notFound" } });
    expect(await updateTrackingLink(SHOP, id, input())).toEqual({ errors: { form: "trackingLinks.error.notFound" } });
    expect(await listTrackingLinks(SHOP)).toEqual([]);
    expect(await listTrackingLinks(SHOP, { archived: true })).toMatchObject([{ id, report: { clicks: 1 } }]);
  });
});

describe("report", () => {
  const at = (iso: string) => new Date(`${iso}T00:00:00Z`);

  async function link(shop: string, lineAccountId: string, name: string, createdAt: Date) {
    return db.trackingLink.create({
      data: { shop, lineAccountId, name, code: name.replace(/\W/g, "").slice(0, 12), tagNames: [], postbackUrl: "https://ad.example.com/cv", createdAt },
    });
  }

  async function source(linkId: string, friend: { id: string; shop: string }, createdAt: Date, postback?: string) {
    const row = await db.friendSource.create({ data: { shop: friend.shop, friendId: friend.id, trackingLinkId: linkId, params: {}, createdAt } });
    if (postback) {
      await db.postbackDelivery.create({ data: { shop: friend.shop, friendSourceId: row.id, url: "https://ad.example.com/cv", method: "GET", status: postback } });
    }
  }

  async function clicks(linkId: string, shop: string, total: number, linked: number) {
    await db.trackingClick.createMany({
      data: Array.from({ length: total }, (_, i) => ({ shop, trackingLinkId: linkId, params: {}, linkedAt: i < linked ? new Date() : null })),
    });
  }

  let order = 0;
  const orderRow = (shop: string, customerId: string, currency: string, totalPrice: string, processedAt: Date) =>
    db.order.create({ data: { shop, orderId: String((order += 1)), customerId, currency, totalPrice, processedAt } });

  it("counts clicks, logins, friends, blocks, orders after the source, revenue per currency and postbacks", async () => {
    const second = await createLineAccount(db, SHOP);
    const spring = await link(SHOP, account.id, "Spring", at("2025-01-01"));
    const retarget = await link(SHOP, account.id, "Retarget", at("2025-01-02"));
    const quiet = await link(SHOP, account.id, "Quiet", at("2025-01-03"));
    const theirs = await link(OTHER, otherAccount.id, "Theirs", at("2025-01-01"));

    const hanako = await createFriend(db, account, { shopifyCustomerId: "1001" });
    const blocked = await createFriend(db, account, { shopifyCustomerId: "1002", followStatus: "blocked" });
    const unlinked = await createFriend(db, account);
    // The same shopper on the shop's second LINE account: their orders count once for the link.
    const hanakoAgain = await createFriend(db, second, { shopifyCustomerId: "1001" });
    const otherShopper = await createFriend(db, otherAccount, { shopifyCustomerId: "1001" });

    await clicks(spring.id, SHOP, 7, 4);
    await clicks(retarget.id, SHOP, 2, 0);
    await clicks(theirs.id, OTHER, 3, 3);
    await source(spring.id, hanako, at("2025-01-10"), "sent");
    await source(spring.id, blocked, at("2025-01-10"), "failed");
    await source(spring.id, unlinked, at("2025-01-10"), "pending");
    await source(spring.id, hanakoAgain, at("2025-01-10"), "sent");
    await source(retarget.id, hanako, at("2025-02-01"));
    await source(theirs.id, otherShopper, at("2025-01-01"), "sent");

    await orderRow(SHOP, "1001", "JPY", "3000", at("2025-01-05")); // before the source: not from this link
    await orderRow(SHOP, "1001", "JPY", "5000", at("2025-01-15"));
    await orderRow(SHOP, "1001", "USD", "12.50", at("2025-02-10")); // after both of Hanako's sources
    await orderRow(SHOP, "1002", "JPY", "2000.40", at("2025-01-20")); // blocked since, but bought first
    await orderRow(SHOP, "9999", "JPY", "100000", at("2025-01-20")); // nobody's friend
    await orderRow(OTHER, "1001", "JPY", "7777", at("2025-03-01")); // same customer id, another shop

    const report = Object.fromEntries((await listTrackingLinks(SHOP)).map((row) => [row.name, row.report]));
    expect(Object.keys(report)).toEqual(["Quiet", "Retarget", "Spring"]);
    expect(report.Spring).toEqual({
      clicks: 7,
      linked: 4,
      friends: 4,
      blocked: 1,
      orders: 3,
      revenue: [
        { currency: "JPY", amount: "7000.40" },
        { currency: "USD", amount: "12.50" },
      ],
      postbacksSent: 2,
      postbacksFailed: 1,
      postbacksPending: 1,
    });
    expect(report.Retarget).toEqual({
      clicks: 2,
      linked: 0,
      friends: 1,
      blocked: 0,
      orders: 1,
      revenue: [{ currency: "USD", amount: "12.50" }],
      postbacksSent: 0,
      postbacksFailed: 0,
      postbacksPending: 0,
    });
    expect(report.Quiet).toEqual({
      clicks: 0, linked: 0, friends: 0, blocked: 0, orders: 0, revenue: [], postbacksSent: 0, postbacksFailed: 0, postbacksPending: 0,
    });

    const [their] = await listTrackingLinks(OTHER);
    expect(their).toMatchObject({
      name: "Theirs",
      report: { clicks: 3, linked: 3, friends: 1, orders: 1, revenue: [{ currency: "JPY", amount: "7777.00" }], postbacksSent: 1 },
    });
  });

  it("describes each link for the page: URL, account, tags, postback", async () => {
    const created = await createTrackingLink(
      SHOP,
      input({ tagNames: ["Instagram", "春セール"], landingPageUrl: "https://shop.example.com/lp", postbackUrl: "https://ad.example.com/cv?cid={click_id}" }),
    );
    if (!("link" in created)) throw new Error("refused");
    expect(await listTrackingLinks(SHOP)).toEqual([
      expect.objectContaining({
        id: created.link.id,
        url: `${APP_URL}/t/${created.link.code}`,
        name: "Instagram spring",
        accountName: "Tokyo Tea",
        accountConnected: true,
        landingPageUrl: "https://shop.example.com/lp",
        tagNames: ["Instagram", "春セール"],
        postbackUrl: "https://ad.example.com/cv?cid={click_id}",
        postbackMethod: "GET",
      }),
    ]);
  });
});

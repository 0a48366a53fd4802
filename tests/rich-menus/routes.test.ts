// The rich-menu pages' loaders and actions with signed admin requests: images checked (and fixed when offered)
// before anything is saved, the editor's intents, tag rules, the friend page's menu line, the action-links page,
// and shop A naming shop B's menus or links changes nothing of B's (404).
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveRichMenu } from "~/rich-menus/rich-menus.server";
import { action as imageAction } from "~/routes/app.api.rich-menu-image";
import { action as editorAction, loader as editorLoader } from "~/routes/app.rich-menus.$id";
import { loader as listLoader } from "~/routes/app.rich-menus._index";
import { action as rulesAction, loader as rulesLoader } from "~/routes/app.rich-menus.rules";
import { action as linksAction, loader as linksLoader } from "~/routes/app.action-links";
import { loader as friendLoader } from "~/routes/app.friends.$id";
import { sessionStorage } from "~/shopify.server";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount } from "../support/line";
import { menuImage, menuInput } from "../support/rich-menus";
import { adminRequest, offlineSession } from "../support/shopify";
import { snapshotShop } from "../support/tenant";

const A = "rich-pages-a.myshopify.com";
const B = "rich-pages-b.myshopify.com";
let accountA = "";
let accountB = "";
let menuB = "";
let tagA = "";
let tagB = "";
let friendA = "";

type Handler = (args: never) => Promise<unknown>;

async function call(handler: Handler, path: string, params: Record<string, string>, body?: FormData, shop = A) {
  const request = await adminRequest(path, { shop, method: body ? "POST" : "GET", body });
  const outcome = await handler({ request, params, context: {} } as never).catch((thrown: unknown) => thrown);
  if (!(outcome instanceof Response)) return { status: 200, body: JSON.stringify(outcome), json: outcome as Record<string, unknown>, location: null };
  const text = await outcome.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = {};
  }
  return { status: outcome.status, body: text, json: parsed, location: outcome.headers.get("location") };
}

function form(fields: Record<string, string | Blob>) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.append(key, value);
  return body;
}

const picture = async (width: number, height: number, noise = false) =>
  new Blob([
    new Uint8Array(
      await (noise
        ? sharp({ create: { width, height, channels: 3, background: "#000", noise: { type: "gaussian", mean: 128, sigma: 90 } } }).jpeg({ quality: 100 })
        : sharp({ create: { width, height, channels: 3, background: { r: 6, g: 199, b: 85 } } }).png()
      ).toBuffer(),
    ),
  ]);

beforeAll(async () => {
  await createShop(db, { shop: A });
  await createShop(db, { shop: B });
  await sessionStorage.storeSession(offlineSession(A));
  await sessionStorage.storeSession(offlineSession(B));
  const a = await connectedAccount(db, A, { accessToken: true });
  const b = await connectedAccount(db, B, { accessToken: true });
  accountA = a.account.id;
  accountB = b.account.id;
  friendA = (await createFriend(db, a.account)).id;
  tagA = (await db.tag.create({ data: { shop: A, name: "VIP" } })).id;
  tagB = (await db.tag.create({ data: { shop: B, name: "B" } })).id;
  const saved = await saveRichMenu(B, null, { ...menuInput(accountB), name: "B's menu" }, menuImage());
  if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
  menuB = saved.menu.id;
});

describe("the image route", () => {
  it("names the limit broken, offers a fix only when resizing fixes it, and the fix conforms", async () => {
    const good = await call(imageAction, "/app/api/rich-menu-image", {}, form({ file: await picture(1200, 810), size: "full" }));
    expect(good).toMatchObject({ status: 200, json: { ok: true, image: { type: "image/png", width: 1200, height: 810 } } });
    const narrow = await call(imageAction, "/app/api/rich-menu-image", {}, form({ file: await picture(1000, 800), size: "full" }));
    expect(narrow).toMatchObject({ status: 422, json: { ok: false, fix: null, problems: [{ key: "richMenuPages.image.aspect" }] } });
    const heavy = await picture(2500, 1686, true);
    const big = await call(imageAction, "/app/api/rich-menu-image", {}, form({ file: heavy, size: "full" }));
    expect(big).toMatchObject({ status: 422, json: { ok: false, problems: [{ key: "richMenuPages.image.bytes" }], fix: { width: 2500, height: 1686, compress: true } } });
    const fixed = await call(imageAction, "/app/api/rich-menu-image", {}, form({ file: heavy, size: "full", fix: "1" }));
    // Noise does not compress: the copy is smaller as well as compressed, in the menu's proportions.
    expect(fixed).toMatchObject({ status: 200, json: { ok: true } });
    const { width, height } = fixed.json.image as { width: number; height: number };
    expect(width).toBeLessThanOrEqual(2500);
    expect(Math.abs(width / height - 2500 / 1686)).toBeLessThan(0.01);
    const bytes = Buffer.from(String(fixed.json.dataUrl).split(",")[1]!, "base64");
    expect(bytes.length).toBeLessThanOrEqual(1024 * 1024);
    const missing = await call(imageAction, "/app/api/rich-menu-image", {}, form({ size: "full" }));
    expect(missing).toMatchObject({ status: 400, json: { error: "richMenuPages.error.imageMissing" } });
  }, 60_000);
});

describe("the editor", () => {
  it("saves a draft with its image, refuses a bad image or chat-bar text with the reason, and publishes with a time", async () => {
    const input = { ...menuInput(accountA, "full-4", [{ type: "tag", op: "add", tagId: tagA }]), name: "Spring" };
    const bad = await call(editorAction, "/app/rich-menus/new", { id: "new" }, form({ intent: "save", menu: JSON.stringify(input), image: await picture(1000, 800) }));
    expect(bad).toMatchObject({ status: 422, json: { ok: false, errors: { image: "richMenuPages.image.problemTitle" }, imageProblems: [{ limit: "aspect" }] } });
    const longBar = await call(editorAction, "/app/rich-menus/new", { id: "new" }, form({ intent: "save", menu: JSON.stringify({ ...input, chatBarText: "123456789012345" }) }));
    expect(longBar).toMatchObject({ status: 422, json: { errors: { chatBarText: "richMenus.error.chatBarText" } } });
    expect(await db.richMenu.count({ where: { shop: A } })).toBe(0);

    const created = await call(editorAction, "/app/rich-menus/new", { id: "new" }, form({ intent: "save", menu: JSON.stringify(input), image: await picture(1250, 843) }));
    expect(created.status).toBe(302);
    const id = created.location!.split("/").pop()!;
    expect(await db.richMenu.findUniqueOrThrow({ where: { id } })).toMatchObject({ shop: A, name: "Spring", imageWidth: 1250, imageHeight: 843, imageType: "image/png" });
    const page = await call(editorLoader, `/app/rich-menus/${id}`, { id });
    expect(page.json).toMatchObject({ menu: { name: "Spring", layout: "full-4" }, image: { info: { width: 1250, height: 843 } }, tags: [{ id: tagA, name: "VIP" }] });
    expect(String((page.json.image as { url: string }).url)).toMatch(/^data:image\/jpeg;base64,/);

    const renamed = await call(editorAction, `/app/rich-menus/${id}`, { id }, form({ intent: "save", menu: JSON.stringify({ ...input, name: "Spring 2" }) }));
    expect(renamed).toMatchObject({ status: 200, json: { ok: true, intent: "save" } });
    const published = await call(editorAction, `/app/rich-menus/${id}`, { id }, form({ intent: "publish" }));
    expect(published).toMatchObject({ status: 200, json: { ok: true, intent: "publish" } });
    expect(Number.isNaN(Date.parse(String(published.json.liveBy)))).toBe(false);
    const defaulted = await call(editorAction, `/app/rich-menus/${id}`, { id }, form({ intent: "default", on: "1" }));
    expect(defaulted.status).toBe(200);
    expect(await db.richMenu.findUniqueOrThrow({ where: { id } })).toMatchObject({ isDefault: true });
    const list = await call(listLoader, "/app/rich-menus", {});
    expect(list.json).toMatchObject({ accountId: accountA, menus: [{ id, name: "Spring 2", isDefault: true }] });
    expect(String((list.json.menus as { thumbnail: string }[])[0]!.thumbnail)).toMatch(/^data:image\/jpeg/);
    expect((await call(editorAction, `/app/rich-menus/${id}`, { id }, form({ intent: "explode" }))).status).toBe(400);
  });

  it("groups menus as tabs (2 to 4), refusing fewer", async () => {
    const ids: string[] = [];
    for (const name of ["Tab 1", "Tab 2"]) {
      const saved = await saveRichMenu(A, null, { ...menuInput(accountA), name }, menuImage());
      if ("errors" in saved) throw new Error("menu");
      ids.push(saved.menu.id);
    }
    const one = await call(editorAction, `/app/rich-menus/${ids[0]}`, { id: ids[0]! }, form({ intent: "tabs", menuIds: JSON.stringify([ids[0]]) }));
    expect(one).toMatchObject({ status: 422, json: { errors: { menuIds: "richMenus.error.tabs" } } });
    const two = await call(editorAction, `/app/rich-menus/${ids[0]}`, { id: ids[0]! }, form({ intent: "tabs", menuIds: JSON.stringify([ids[0], ids[1]]) }));
    expect(two.status).toBe(200);
    const rows = await db.richMenu.findMany({ where: { id: { in: ids } }, orderBy: { tabPosition: "asc" } });
    expect(rows.map((r) => [r.id, r.tabPosition])).toEqual([[ids[0], 0], [ids[1], 1]]);
    expect(rows[0]!.groupId).toBe(rows[1]!.groupId);
    const page = await call(editorLoader, `/app/rich-menus/${ids[1]}`, { id: ids[1]! });
    expect((page.json.group as { id: string }[]).map((m) => m.id)).toEqual(ids);
  });
});

describe("tag rules and the friend page", () => {
  it("saves rules in the order given and shows the friend's menu and why", async () => {
    const saved = await saveRichMenu(A, null, { ...menuInput(accountA), name: "VIP menu" }, menuImage());
    if ("errors" in saved) throw new Error("menu");
    const bad = await call(rulesAction, "/app/rich-menus/rules", {}, form({ accountId: accountA, rules: JSON.stringify([{ tagId: tagB, richMenuId: saved.menu.id }]) }));
    expect(bad).toMatchObject({ status: 422, json: { errors: { "0.tagId": "richMenus.error.rule" } } });
    const good = await call(rulesAction, "/app/rich-menus/rules", {}, form({ accountId: accountA, rules: JSON.stringify([{ tagId: tagA, richMenuId: saved.menu.id }]) }));
    expect(good).toMatchObject({ status: 200, json: { ok: true } });
    expect((await call(rulesLoader, "/app/rich-menus/rules", {})).json).toMatchObject({ rules: [{ tagId: tagA, richMenuId: saved.menu.id }] });
    // The rule's menu as the publish job leaves it: a live version at LINE.
    await db.richMenuVersion.create({ data: { shop: A, richMenuId: saved.menu.id, lineAccountId: accountA, lineRichMenuId: "richmenu-routes-test", status: "live", liveAt: new Date(), definition: {} } });
    expect((await call(friendLoader, `/app/friends/${friendA}`, { id: friendA })).json.richMenu).toMatchObject({ reason: "default", menu: { name: "Spring 2" }, tag: null });
    await db.friendTag.create({ data: { shop: A, friendId: friendA, tagId: tagA } });
    const friend = await call(friendLoader, `/app/friends/${friendA}`, { id: friendA });
    expect(friend.json.richMenu).toMatchObject({ reason: "rule", menu: { id: saved.menu.id, name: "VIP menu" }, tag: { id: tagA, name: "VIP" } });
    expect((await call(rulesAction, "/app/rich-menus/rules", {}, form({ accountId: accountA, rules: "nope" }))).status).toBe(400);
  });
});

describe("another shop's ids", () => {
  it("are a 404 and change nothing of B's", async () => {
    const before = await snapshotShop(db, B);
    expect((await call(editorLoader, `/app/rich-menus/${menuB}`, { id: menuB })).status).toBe(404);
    for (const intent of ["publish", "archive", "default", "tabs"]) {
      const answer = await call(editorAction, `/app/rich-menus/${menuB}`, { id: menuB }, form({ intent, on: "1", menuIds: JSON.stringify([menuB, menuB]) }));
      expect(answer.status, intent).toBe(404);
    }
    const save = await call(editorAction, `/app/rich-menus/${menuB}`, { id: menuB }, form({ intent: "save", menu: JSON.stringify({ ...menuInput(accountA), name: "taken" }) }));
    expect(save.status).toBe(404);
    const rules = await call(rulesAction, "/app/rich-menus/rules", {}, form({ accountId: accountB, rules: JSON.stringify([]) }));
    expect(rules.status).toBe(404);
    expect(await snapshotShop(db, B)).toEqual(before);
  });
});

describe("the action-links page", () => {
  it("creates, lists and archives links, refusing B's", async () => {
    const link = { name: "Coupon", lineAccountId: accountA, targetUrl: "https://rich-pages-a.example/coupon", addTagIds: [tagA], removeTagIds: [], richMenuId: "" };
    const created = await call(linksAction, "/app/action-links", {}, form({ intent: "save", link: JSON.stringify(link) }));
    expect(created).toMatchObject({ status: 200, json: { ok: true } });
    const listed = await call(linksLoader, "/app/action-links", {});
    const [row] = listed.json.links as { id: string; url: string; name: string }[];
    expect(row).toMatchObject({ name: "Coupon" });
    expect(row!.url).toMatch(/\/t\/[A-Za-z0-9_-]{11}$/);
    const invalid = await call(linksAction, "/app/action-links", {}, form({ intent: "save", link: JSON.stringify({ ...link, targetUrl: "http://x" }) }));
    expect(invalid).toMatchObject({ status: 422, json: { errors: { targetUrl: "actionLinks.error.targetUrl" } } });
    const linkB = await db.actionLink.create({ data: { shop: B, lineAccountId: accountB, code: "bLinkCode01", name: "B", targetUrl: "https://b.example/", actions: { addTagIds: [tagB], removeTagIds: [] } } });
    const before = await snapshotShop(db, B);
    expect((await call(linksAction, "/app/action-links", {}, form({ intent: "archive", id: linkB.id }))).status).toBe(404);
    expect((await call(linksAction, "/app/action-links", {}, form({ intent: "save", id: linkB.id, link: JSON.stringify(link) }))).status).toBe(404);
    expect(await snapshotShop(db, B)).toEqual(before);
    expect((await call(linksAction, "/app/action-links", {}, form({ intent: "archive", id: row!.id }))).status).toBe(200);
    expect((await call(linksLoader, "/app/action-links", {})).json.links).toEqual([]);
  });
});

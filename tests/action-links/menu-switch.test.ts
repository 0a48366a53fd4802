// An action link that switches the rich menu: the friend the token names is linked at LINE (the fake records it) to
// the menu's live version, FriendRichMenu says so, and blocked friends or menus never published are left alone.
import type { Worker } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { saveActionLink } from "~/action-links/action-links.server";
import { friendToken } from "~/action-links/friend-token.server";
import { publishRichMenu, saveRichMenu } from "~/rich-menus/rich-menus.server";
import { loader as tapLoader } from "~/routes/t.$code";
import { startWorkers, stopWorkers } from "../../jobs/worker";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { menuImage, menuInput } from "../support/rich-menus";
import { waitUntil } from "../support/worker";

let workers: Worker[] = [];
beforeAll(async () => {
  workers = await startWorkers();
});
afterAll(async () => {
  await stopWorkers(workers, 10_000);
});

async function tap(code: string, friendId: string) {
  const request = new Request(`https://app.example/t/${code}?f=${encodeURIComponent(friendToken(code, friendId))}`);
  return (await tapLoader({ request, params: { code }, context: { clientAddress: "198.51.100.20" } } as never)) as Response;
}

describe("action links that switch the menu", () => {
  it("link the friend to the menu's live version, and leave blocked friends and unpublished menus alone", async () => {
    const { shop } = await createShop(db, { shop: "action-menu.myshopify.com" });
    const { account, channel } = await connectedAccount(db, shop, { accessToken: true });
    const friend = await createFriend(db, account);
    const blocked = await createFriend(db, account, { followStatus: "blocked" });
    const saved = await saveRichMenu(shop, null, { ...menuInput(account.id), name: "Campaign" }, menuImage());
    const draftOnly = await saveRichMenu(shop, null, { ...menuInput(account.id), name: "Draft" }, menuImage());
    if ("errors" in saved || "errors" in draftOnly) throw new Error("menus");
    const queued = await publishRichMenu(shop, saved.menu.id);
    if ("errors" in queued) throw new Error(JSON.stringify(queued.errors));
    const version = await waitUntil(() => db.richMenuVersion.findFirst({ where: { id: queued.versionId, status: "live" } }), 60_000);

    const link = await saveActionLink(shop, null, { name: "Switch", lineAccountId: account.id, targetUrl: "https://shop.example/", richMenuId: saved.menu.id });
    if (!link.ok) throw new Error(JSON.stringify(link.errors));
    expect((await tap(link.link.code, friend.id)).status).toBe(302);
    expect(lineFake().richMenus.menuOf(channel.channelId, friend.lineUserId)).toBe(version.lineRichMenuId);
    expect(await db.friendRichMenu.findUniqueOrThrow({ where: { friendId: friend.id } })).toMatchObject({ linkedLineMenuId: version.lineRichMenuId });

    expect((await tap(link.link.code, blocked.id)).status).toBe(302);
    expect(lineFake().richMenus.menuOf(channel.channelId, blocked.lineUserId)).toBeNull();

    const unpublished = await saveActionLink(shop, null, { name: "Draft", lineAccountId: account.id, targetUrl: "https://shop.example/", richMenuId: draftOnly.menu.id });
    if (!unpublished.ok) throw new Error("link");
    const other = await createFriend(db, account);
    expect((await tap(unpublished.link.code, other.id)).status).toBe(302);
    expect(lineFake().richMenus.menuOf(channel.channelId, other.lineUserId)).toBeNull();
  }, 120_000);
});

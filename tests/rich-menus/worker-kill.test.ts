// A worker process killed (SIGKILL) half-way through publishing an edit: once while LINE holds the create call
// (LINE creates the menu, the worker never hears of it), once while LINE holds the batch "link from → to". The next
// worker resumes: it adopts the menu LINE made (no second menu), re-sends the batch with its resume key (LINE does
// not run it twice), moves everyone, and deletes the old version only after — nobody is ever on a deleted menu.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { publishRichMenu, saveRichMenu } from "~/rich-menus/rich-menus.server";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { menuImage, menuInput } from "../support/rich-menus";
import { waitUntil } from "../support/worker";
import { workerProcesses } from "../support/worker-process";

const worker = workerProcesses();

describe("a worker killed mid-publish", () => {
  it("resumes on the next worker, with one LINE menu per version and nobody on a deleted menu", async () => {
    const fake = lineFake();
    const { shop } = await createShop(db);
    const { account, channel } = await connectedAccount(db, shop, { accessToken: true });
    const userIds = Array.from({ length: 2_000 }, () => lineUserId());
    await db.friend.createMany({ data: userIds.map((id) => ({ shop, lineAccountId: account.id, lineUserId: id, followStatus: "following" })) });
    const saved = await saveRichMenu(shop, null, menuInput(account.id), menuImage());
    if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
    const menuId = saved.menu.id;

    let current = await worker.start();
    const first = await publishRichMenu(shop, menuId);
    if ("errors" in first) throw new Error("publish");
    const v1 = await waitUntil(async () => {
      const row = await db.richMenuVersion.findUniqueOrThrow({ where: { id: first.versionId } });
      return (row.migration as { step?: string }).step === "done" ? row : null;
    }, 60_000);
    // Everyone is on v1 (as rules or tab switches put them there).
    const state = fake.richMenus.state(channel.channelId);
    for (const id of userIds) state.links.set(id, v1.lineRichMenuId!);
    const friends = await db.friend.findMany({ where: { lineAccountId: account.id }, select: { id: true } });
    await db.friendRichMenu.createMany({
      data: friends.map((f) => ({ friendId: f.id, shop, lineAccountId: account.id, richMenuId: menuId, linkedLineMenuId: v1.lineRichMenuId })),
    });

    // Kill 1: LINE holds the create call for 3 s (and then creates the menu); the worker dies waiting for the answer.
    fake.delayNext(1, 3_000, { path: "/v2/bot/richmenu" });
    await saveRichMenu(shop, menuId, { ...menuInput(account.id, "full-4"), name: "Edited" });
    const second = await publishRichMenu(shop, menuId);
    if ("errors" in second) throw new Error("publish");
    await waitUntil(async () => fake.heldRequests() > 0, 30_000);
    await worker.kill(current);
    await fake.waitFor(() => fake.heldRequests() === 0, 10_000);
    const created = () => fake.requests.filter((r) => r.path === "/v2/bot/richmenu" && r.method === "POST" && r.status === 200).length;
    expect(created()).toBe(2);
    // Kill 2: the restarted worker adopts that menu, then LINE holds its batch for 3 s and the worker dies again.
    fake.delayNext(1, 3_000, { path: "/v2/bot/richmenu/batch" });
    current = await worker.start();
    await waitUntil(async () => fake.heldRequests() > 0, 30_000);
    await worker.kill(current);
    await fake.waitFor(() => fake.heldRequests() === 0, 10_000);

    await worker.start();
    const v2 = await waitUntil(async () => {
      const row = await db.richMenuVersion.findUniqueOrThrow({ where: { id: second.versionId } });
      return (row.migration as { step?: string }).step === "done" ? row : null;
    }, 90_000);

    expect(created()).toBe(2); // the menu LINE made during kill 1 was adopted, not made again
    expect(v2.status).toBe("live");
    const counts = fake.richMenus.linkCounts(channel.channelId);
    expect(counts.get(v2.lineRichMenuId!)).toBe(2_000);
    expect(counts.get(v1.lineRichMenuId!)).toBeUndefined();
    expect(state.menus.get(v1.lineRichMenuId!)?.deletedAt).toBeDefined();
    expect(fake.richMenus.onDeletedMenu(channel.channelId)).toEqual([]);
    // The batch re-sent with its resume key was the same request at LINE: run once.
    const batches = fake.requests.filter((r) => r.path === "/v2/bot/richmenu/batch");
    expect(batches.length).toBeGreaterThanOrEqual(2);
    expect(new Set(batches.map((r) => (r.body as { resumeRequestKey: string }).resumeRequestKey)).size).toBe(1);
    expect(state.batches.size).toBe(1);
    expect(await db.friendRichMenu.count({ where: { lineAccountId: account.id, linkedLineMenuId: v2.lineRichMenuId } })).toBe(2_000);
  }, 240_000);
});

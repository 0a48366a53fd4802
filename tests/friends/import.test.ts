// Importing an account's existing followers from LINE, and refreshing a friend's profile.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { importFollowers, refreshProfile } from "~/friends/import.server";
import { translate } from "~/i18n/messages";
import { createFriend, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";

const SHOP = "import.myshopify.com";
const followerRequests = () => lineFake().requests.filter((r) => r.path === "/v2/bot/followers/ids");

beforeEach(async () => {
  lineFake().reset();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
});

describe("importFollowers", () => {
  it("pages through more than 1,000 followers, 1,000 at a time, and creates them as following", async () => {
    const followers = Array.from({ length: 2345 }, () => lineUserId());
    const { account } = await connectedAccount(db, SHOP, { followers, accessToken: true });

    expect(await importFollowers(SHOP, account.id)).toEqual({ imported: 2345, existing: 0 });

    const calls = followerRequests();
    expect(calls.map((r) => [r.query.limit, r.status])).toEqual([["1000", 200], ["1000", 200], ["1000", 200]]);
    expect(calls[0].query.start).toBeUndefined();
    expect(calls[1].query.start).toBeTruthy();
    const stored = await db.friend.findMany({ where: { lineAccountId: account.id }, select: { lineUserId: true, followStatus: true, source: true, shop: true } });
    expect(stored).toHaveLength(2345);
    expect(new Set(stored.map((f) => f.lineUserId))).toEqual(new Set(followers));
    expect(stored.every((f) => f.followStatus === "following" && f.source === "import" && f.shop === SHOP)).toBe(true);
    // No profile calls: that would be one request per friend.
    expect(lineFake().requests.some((r) => r.path.startsWith("/v2/bot/profile/"))).toBe(false);
  });

  it("is idempotent, keeps known friends as they are and marks followers who were thought gone as following", async () => {
    const followers = Array.from({ length: 1200 }, () => lineUserId());
    const { account } = await connectedAccount(db, SHOP, { followers, accessToken: true });
    const known = await createFriend(db, account, { lineUserId: followers[0], displayName: "Known", followStatus: "following" });
    const wasBlocked = await createFriend(db, account, { lineUserId: followers[1], followStatus: "blocked" });
    await db.friend.update({ where: { id: wasBlocked.id }, data: { followStatusAt: new Date(Date.now() - 86_400_000) } });
    // An unfollow newer than the import's snapshot wins over it.
    const blockedLater = await createFriend(db, account, { lineUserId: followers[2], followStatus: "blocked" });
    await db.friend.update({ where: { id: blockedLater.id }, data: { followStatusAt: new Date(Date.now() + 60_000) } });

    expect(await importFollowers(SHOP, account.id)).toEqual({ imported: 1197, existing: 3 });
    expect(await importFollowers(SHOP, account.id)).toEqual({ imported: 0, existing: 1200 });

    expect(await db.friend.count({ where: { lineAccountId: account.id } })).toBe(1200);
    const after = await db.friend.findMany({ where: { id: { in: [known.id, wasBlocked.id, blockedLater.id] } } });
    const byId = new Map(after.map((f) => [f.id, f]));
    expect(byId.get(known.id)).toMatchObject({ displayName: "Known", followStatus: "following", source: null });
    expect(byId.get(wasBlocked.id)?.followStatus).toBe("following");
    expect(byId.get(blockedLater.id)?.followStatus).toBe("blocked");
  });

  it("explains a 403: only verified or premium accounts may list followers", async () => {
    const { account, channel } = await connectedAccount(db, SHOP, { followers: [lineUserId()], accessToken: true });
    channel.followersForbidden = true;

    const result = await importFollowers(SHOP, account.id);
    expect(result).toMatchObject({ reason: "friends.import.error.forbidden", imported: 0, existing: 0 });
    expect(followerRequests().map((r) => r.status)).toEqual([403]);
    expect(await db.friend.count()).toBe(0);
    const reason = "reason" in result ? result.reason : "";
    expect(translate("en", reason as never)).toMatch(/only verified or premium accounts.*next time they/);
    expect(translate("ja", reason as never)).toContain("認証済アカウントとプレミアムアカウントのみ");
  });

  it("reports a LINE failure with LINE's words, keeping what was imported before it", async () => {
    const { account } = await connectedAccount(db, SHOP, { followers: Array.from({ length: 1500 }, () => lineUserId()), accessToken: true });
    lineFake().failNext(1, { status: 500, path: "/v2/bot/followers/ids" });
    expect(await importFollowers(SHOP, account.id)).toMatchObject({ reason: "friends.import.error.line", detail: "500 Internal server error" });
    expect(await importFollowers(SHOP, account.id)).toEqual({ imported: 1500, existing: 0 });
  });

  it("refuses another shop's account and a disconnected one without calling LINE", async () => {
    const { account } = await connectedAccount(db, SHOP, { followers: [lineUserId()], accessToken: true });
    expect(await importFollowers("other.myshopify.com", account.id)).toMatchObject({ reason: "friends.import.error.notFound" });
    await db.lineAccount.update({ where: { id: account.id }, data: { status: "disconnected" } });
    expect(await importFollowers(SHOP, account.id)).toMatchObject({ reason: "friends.import.error.disconnected" });
    expect(followerRequests()).toHaveLength(0);
  });
});

describe("refreshProfile", () => {
  it("stores the profile LINE returns", async () => {
    const { account, channel } = await connectedAccount(db, SHOP, { accessToken: true });
    const friend = await createFriend(db, account, { displayName: undefined });
    lineFake().setProfile(channel.channelId, {
      userId: friend.lineUserId,
      displayName: "山田 太郎",
      pictureUrl: "https://profile.line-scdn.net/abc",
      statusMessage: "お茶が好き",
      language: "ja",
    });
    expect(await refreshProfile(SHOP, friend.id)).toEqual({ ok: true });
    expect(await db.friend.findUniqueOrThrow({ where: { id: friend.id } })).toMatchObject({
      displayName: "山田 太郎",
      pictureUrl: "https://profile.line-scdn.net/abc",
      statusMessage: "お茶が好き",
      language: "ja",
    });
  });

  it("explains a 404 (blocked or not a friend) and refuses another shop's friend", async () => {
    const { account } = await connectedAccount(db, SHOP, { accessToken: true });
    const friend = await createFriend(db, account, { displayName: "Before" });
    expect(await refreshProfile(SHOP, friend.id)).toMatchObject({ reason: "friends.profile.error.unavailable", detail: "404 Not found" });
    expect(await refreshProfile("other.myshopify.com", friend.id)).toEqual({ reason: "friends.profile.error.notFound" });
    expect((await db.friend.findUniqueOrThrow({ where: { id: friend.id } })).displayName).toBe("Before");
  });
});

// Action links tapped by friends: a per-recipient token applies the tags once and redirects; a forged, absent or
// misplaced token applies nothing and goes through the LIFF login, whose verified user then gets the actions; links
// and ids of another shop change nothing; tracking links on /t/ keep working.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ActionLink, Friend, LineAccount } from "@prisma/client";
import { db } from "~/db.server";
import { actionLinkUrl, archiveActionLink, listActionLinks, saveActionLink } from "~/action-links/action-links.server";
import { friendToken, personalizeActionLinks, verifyFriendToken } from "~/action-links/friend-token.server";
import { sendStaffMessage } from "~/chat/chat.server";
import { onFriendChange, type FriendChange } from "~/friends/changes.server";
import { loader as tapLoader } from "~/routes/t.$code";
import { action as linkAction } from "~/routes/liff.$accountId_.link";
import { createTrackingLink } from "~/sources/tracking-admin.server";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";

const A = "action-links-a.myshopify.com";
const B = "action-links-b.myshopify.com";
const LOGIN_CHANNEL = "2000000077";
const LIFF_ID = `${LOGIN_CHANNEL}-ActLinks`;
const TARGET = "https://action-links-a.example/sale?x=1";

let accountA: LineAccount;
let plainAccount: LineAccount;
let accountB: LineAccount;
let friend: Friend;
let other: Friend;
let friendB: Friend;
let vip = "";
let prospect = "";
let tagB = "";
const announced: { friendIds: string[]; change: FriendChange }[] = [];

onFriendChange("action-links-test", async (_shop, friendIds, change) => {
  announced.push({ friendIds, change });
});

async function tap(code: string, query = "", clientAddress = "198.51.100.9") {
  const request = new Request(`https://app.example/t/${code}${query}`);
  const response = (await tapLoader({ request, params: { code }, context: { clientAddress } } as never)) as Response;
  return { status: response.status, location: response.headers.get("location"), body: response.status >= 400 ? await response.text() : "" };
}

async function tagsOf(friendId: string) {
  return (await db.friendTag.findMany({ where: { friendId }, select: { tagId: true } })).map((row) => row.tagId).sort();
}

async function newLink(account: LineAccount, fields: Record<string, unknown> = {}): Promise<ActionLink> {
  const result = await saveActionLink(account.shop, null, { name: "Sale", lineAccountId: account.id, targetUrl: TARGET, addTagIds: [vip], removeTagIds: [prospect], ...fields });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.link;
}

beforeAll(async () => {
  await createShop(db, { shop: A });
  await createShop(db, { shop: B });
  accountA = (await connectedAccount(db, A, { loginChannelId: LOGIN_CHANNEL, liffId: LIFF_ID })).account;
  plainAccount = (await connectedAccount(db, A)).account;
  accountB = (await connectedAccount(db, B)).account;
  friend = await createFriend(db, accountA);
  other = await createFriend(db, accountA);
  friendB = await createFriend(db, accountB);
  vip = (await db.tag.create({ data: { shop: A, name: "VIP" } })).id;
  prospect = (await db.tag.create({ data: { shop: A, name: "Prospect" } })).id;
  tagB = (await db.tag.create({ data: { shop: B, name: "B only" } })).id;
});

beforeEach(async () => {
  announced.length = 0;
  await db.friendTag.deleteMany({ where: { shop: A } });
  await db.friendTag.create({ data: { shop: A, friendId: friend.id, tagId: prospect, source: "manual" } });
});

describe("per-recipient tokens", () => {
  it("cannot be forged, moved to another friend or reused on another link", () => {
    const token = friendToken("codeAAAAAAA", friend.id);
    expect(verifyFriendToken("codeAAAAAAA", token)).toBe(friend.id);
    expect(verifyFriendToken("codeBBBBBBB", token)).toBeNull();
    const [, mac] = token.split(".");
    expect(verifyFriendToken("codeAAAAAAA", `${other.id}.${mac}`)).toBeNull();
    expect(verifyFriendToken("codeAAAAAAA", `${friend.id}.${"A".repeat(22)}`)).toBeNull();
    expect(verifyFriendToken("codeAAAAAAA", `${friend.id}.${mac!.slice(0, 21)}`)).toBeNull();
    expect(verifyFriendToken("codeAAAAAAA", friend.id)).toBeNull();
    expect(verifyFriendToken("codeAAAAAAA", null)).toBeNull();
    expect(verifyFriendToken("codeAAAAAAA", `${token}.x`)).toBeNull();
  });
});

describe("tapping an action link", () => {
  it("applies the tags once for the friend the token names, through the friend-change path, and redirects", async () => {
    const link = await newLink(accountA);
    const f = encodeURIComponent(friendToken(link.code, friend.id));
    const first = await tap(link.code, `?f=${f}`);
    expect(first).toMatchObject({ status: 302, location: TARGET });
    expect(await tagsOf(friend.id)).toEqual([vip]);
    expect(announced.map((a) => [a.change.type, a.friendIds, "source" in a.change ? a.change.source : null])).toEqual([
      ["tagsAdded", [friend.id], "link"],
      ["tagsRemoved", [friend.id], "link"],
    ]);
    const second = await tap(link.code, `?f=${f}`);
    expect(second).toMatchObject({ status: 302, location: TARGET });
    expect(await tagsOf(friend.id)).toEqual([vip]);
    expect(announced).toHaveLength(2); // nothing changed, nothing announced again
    expect(await db.friendTag.findFirstOrThrow({ where: { friendId: friend.id, tagId: vip } })).toMatchObject({ source: "link" });
    expect(await tagsOf(other.id)).toEqual([]);
    const [listed] = (await listActionLinks(A)).filter((l) => l.id === link.id);
    expect(listed).toMatchObject({ clicks: 2, identified: 2 });
  });

  it("refuses a forged, absent or misplaced token: no actions, the LIFF login instead", async () => {
    const link = await newLink(accountA);
    const elsewhere = await newLink(accountA, { name: "Other" });
    const [, mac] = friendToken(link.code, friend.id).split(".");
    const attempts = [
      "",
      `?f=${friend.id}`,
      `?f=${other.id}.${mac}`,
      `?f=${encodeURIComponent(friendToken(elsewhere.code, friend.id))}`,
      `?f=${encodeURIComponent(friendToken(link.code, friendB.id))}`,
    ];
    for (const query of attempts) {
      const answer = await tap(link.code, query);
      expect(answer.status, query).toBe(302);
      const location = new URL(answer.location!);
      expect(location.origin + location.pathname, query).toBe(`https://liff.line.me/${LIFF_ID}`);
      const intent = await db.linkIntent.findUniqueOrThrow({ where: { id: location.searchParams.get("intent")! } });
      expect(intent).toMatchObject({ shop: A, lineAccountId: accountA.id, actionLinkId: link.id });
    }
    expect(await tagsOf(friend.id)).toEqual([prospect]);
    expect(await tagsOf(friendB.id)).toEqual([]);
    expect(announced).toEqual([]);
  });

  it("applies the actions to the user LINE vouches for after the LIFF login, then redirects to the target", async () => {
    const link = await newLink(accountA);
    const intent = new URL((await tap(link.code)).location!).searchParams.get("intent")!;
    const sub = friend.lineUserId;
    const idToken = lineFake().issueIdToken({ loginChannelId: LOGIN_CHANNEL, sub, name: "花子" });
    const request = new Request(`https://app.example/liff/${accountA.id}/link`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ intent, idToken }) });
    const response = await linkAction({ request, params: { accountId: accountA.id }, context: { clientAddress: "198.51.100.10" } } as never);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ linked: true, returnUrl: TARGET, redirect: true });
    expect(await tagsOf(friend.id)).toEqual([vip]);
    // The intent is single use: replaying it changes nothing.
    await db.friendTag.deleteMany({ where: { friendId: friend.id } });
    const again = await linkAction({ request: new Request(request.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ intent, idToken }) }), params: { accountId: accountA.id }, context: { clientAddress: "198.51.100.10" } } as never);
    expect(again.status).toBe(409);
    expect(await tagsOf(friend.id)).toEqual([]);
  });

  it("without a LIFF app, an unidentified tap is counted and redirected with no actions", async () => {
    const plainFriend = await createFriend(db, plainAccount);
    const link = await newLink(plainAccount);
    expect(await tap(link.code)).toMatchObject({ status: 302, location: TARGET });
    expect(await tagsOf(plainFriend.id)).toEqual([]);
    expect(await tap(link.code, `?f=${encodeURIComponent(friendToken(link.code, plainFriend.id))}`)).toMatchObject({ status: 302, location: TARGET });
    expect(await tagsOf(plainFriend.id)).toEqual([vip]);
  });

  it("an archived link, or one of a disconnected account, is a 404", async () => {
    const link = await newLink(accountA);
    expect(await archiveActionLink(A, link.id)).toBe(true);
    const answer = await tap(link.code, `?f=${encodeURIComponent(friendToken(link.code, friend.id))}`);
    expect(answer.status).toBe(404);
    expect(answer.body).toContain("This link is no longer valid");
    expect(await tagsOf(friend.id)).toEqual([prospect]);
    expect((await tap("nosuchcode1")).status).toBe(404);
  });

  it("keeps tracking links on /t/ working", async () => {
    const tracking = await createTrackingLink(A, { name: "Ad", lineAccountId: accountA.id, tagNames: [] });
    if (!("link" in tracking)) throw new Error(JSON.stringify(tracking));
    const answer = await tap(tracking.link.code, "?utm_source=ad");
    expect(answer.status).toBe(302);
    expect(answer.location).toContain(`https://liff.line.me/${LIFF_ID}`);
    expect(await db.trackingClick.count({ where: { trackingLinkId: tracking.link.id } })).toBe(1);
  });
});

describe("links pushed to one friend", () => {
  it("carry that friend's token in a staff message; other links are left alone", async () => {
    const link = await newLink(accountA);
    const linkB = await saveActionLink(B, null, { name: "B", lineAccountId: accountB.id, targetUrl: TARGET, addTagIds: [tagB] });
    if (!linkB.ok) throw new Error("B's link");
    const url = actionLinkUrl(link.code);
    const text = `Sale! ${url} and ${url}?utm_source=chat and ${actionLinkUrl(linkB.link.code)} and https://elsewhere.example/t/abcdefghijk`;
    const sent = await sendStaffMessage(A, friend.id, text, "staff");
    expect(sent.ok).toBe(true);
    const stored = await db.message.findFirstOrThrow({ where: { friendId: friend.id, direction: "out" }, orderBy: { createdAt: "desc" } });
    const tokens = [...stored.text!.matchAll(/[?&]f=([^\s&]+)/g)].map((m) => decodeURIComponent(m[1]!));
    expect(tokens).toHaveLength(2);
    for (const token of tokens) expect(verifyFriendToken(link.code, token)).toBe(friend.id);
    expect(stored.text).toContain(`${url}?utm_source=chat&f=`);
    expect(stored.text).toContain(`${actionLinkUrl(linkB.link.code)} and`);
    expect(stored.text).toContain("https://elsewhere.example/t/abcdefghijk");
    expect(await personalizeActionLinks(A, "no links here", friend.id)).toBe("no links here");
  });
});

describe("another shop's ids", () => {
  it("are refused when saving and change nothing when archiving", async () => {
    const withB = await saveActionLink(A, null, { name: "x", lineAccountId: accountA.id, targetUrl: TARGET, addTagIds: [tagB] });
    expect(withB).toMatchObject({ ok: false, errors: { addTagIds: "actionLinks.error.tagUnknown" } });
    const onB = await saveActionLink(A, null, { name: "x", lineAccountId: accountB.id, targetUrl: TARGET, addTagIds: [vip] });
    expect(onB).toMatchObject({ ok: false, errors: { lineAccountId: "actionLinks.error.account" } });
    const linkB = await saveActionLink(B, null, { name: "B", lineAccountId: accountB.id, targetUrl: TARGET, addTagIds: [tagB] });
    if (!linkB.ok) throw new Error("B's link");
    expect(await archiveActionLink(A, linkB.link.id)).toBe(false);
    expect(await saveActionLink(A, linkB.link.id, { name: "taken", lineAccountId: accountA.id, targetUrl: TARGET, addTagIds: [vip] })).toMatchObject({ ok: false, status: 404 });
    expect(await db.actionLink.findUniqueOrThrow({ where: { id: linkB.link.id } })).toMatchObject({ name: "B", archivedAt: null });
  });

  it("stored in a link's actions are not applied to the friend", async () => {
    const link = await newLink(accountA);
    await db.actionLink.update({ where: { id: link.id }, data: { actions: { addTagIds: [tagB, vip], removeTagIds: [], richMenuId: null } } });
    await tap(link.code, `?f=${encodeURIComponent(friendToken(link.code, friend.id))}`);
    expect(await tagsOf(friend.id)).toEqual([prospect, vip].sort());
    expect(await db.friendTag.count({ where: { tagId: tagB } })).toBe(0);
  });

  it("refuses bad input with readable reasons", async () => {
    const bad = await saveActionLink(A, null, { name: "", lineAccountId: accountA.id, targetUrl: "javascript:alert(1)", addTagIds: [vip], removeTagIds: [vip] });
    expect(bad).toMatchObject({ ok: false, status: 422, errors: { name: "actionLinks.error.nameRequired", targetUrl: "actionLinks.error.targetUrl" } });
    const nothing = await saveActionLink(A, null, { name: "n", lineAccountId: accountA.id, targetUrl: TARGET });
    expect(nothing).toMatchObject({ ok: false, errors: { form: "actionLinks.error.noAction" } });
  });
});

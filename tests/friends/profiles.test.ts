// Profiles of imported followers: "fetch profiles" queues one job per account; the worker asks LINE's get-profile
// for each friend without a name, marks those LINE answers 404 for (not asked again), and retries after a rate limit.
import type { LineAccount } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { fetchMissingProfiles } from "~/friends/profiles.server";
import { action as listAction, loader as listLoader } from "~/routes/app.friends._index";
import { sessionStorage } from "~/shopify.server";
import { followerImportQueue } from "../../jobs/queues";
import { createFriend, createLineAccount, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { adminRequest, offlineSession, TEST_SHOP_DOMAIN } from "../support/shopify";
import { waitUntil, withWorkers } from "../support/worker";

const SHOP = TEST_SHOP_DOMAIN;
let account: LineAccount;
let channelId: string;

async function call(handler: (args: never) => Promise<unknown>, request: Request) {
  const outcome = await handler({ request, params: {}, context: {} } as never).catch((thrown: unknown) => thrown);
  if (!(outcome instanceof Response)) throw outcome;
  return { status: outcome.status, body: (await outcome.json()) as Record<string, any> };
}

const imported = (count: number, lineAccountId = account.id, shop = SHOP) =>
  db.friend.createManyAndReturn({
    data: Array.from({ length: count }, () => ({ shop, lineAccountId, lineUserId: lineUserId(), followStatus: "following", source: "import" })),
  });

const profileCalls = () => lineFake().requests.filter((r) => r.path.startsWith("/v2/bot/profile/"));

beforeAll(async () => {
  await sessionStorage.storeSession(offlineSession());
});

beforeEach(async () => {
  lineFake().reset();
  await followerImportQueue().obliterate({ force: true });
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  const connected = await connectedAccount(db, SHOP, { displayName: "Tokyo Tea", accessToken: true });
  account = connected.account;
  channelId = connected.channel.channelId;
});

describe("fetching profiles of imported followers", () => {
  it("queues one job per account with the id only, and the worker stores names and pictures; 404s are marked and skipped", async () => {
    const friends = await imported(4);
    await createFriend(db, account, { displayName: "Already named" });
    for (const friend of friends.slice(0, 3)) {
      lineFake().setProfile(channelId, { userId: friend.lineUserId, displayName: `👩‍👩‍👧 Name ${friend.lineUserId.slice(-4)}`, pictureUrl: "https://example.com/p.png", language: "ja" });
    }
    // friends[3] has no profile at LINE: it did not consent / is not a friend (LINE answers 404).
    const page = await call(listLoader, await adminRequest("/app/friends"));
    expect(page.body.missingProfiles).toBe(4);

    const started = await call(listAction, await adminRequest("/app/friends?index", { method: "POST", body: form({ intent: "fetchProfiles" }) }));
    expect(started).toEqual({ status: 202, body: { intent: "fetchProfiles", errors: null, friends: 4 } });
    // A second click while it waits adds nothing.
    await call(listAction, await adminRequest("/app/friends?index", { method: "POST", body: form({ intent: "fetchProfiles" }) }));
    const jobs = await followerImportQueue().getJobs(["waiting", "delayed", "active"]);
    expect(jobs.map((job) => job.data)).toEqual([{ profilesOf: account.id }]);
    expect(profileCalls()).toHaveLength(0); // the web request never calls LINE

    await withWorkers(() => waitUntil(async () => (await db.friend.count({ where: { source: "import", displayName: null, profileUnavailableAt: null } })) === 0));
    const stored = await db.friend.findMany({ where: { id: { in: friends.map((f) => f.id) } }, orderBy: { lineUserId: "asc" } });
    const byId = new Map(stored.map((f) => [f.id, f]));
    for (const friend of friends.slice(0, 3)) {
      expect(byId.get(friend.id)).toMatchObject({ displayName: `👩‍👩‍👧 Name ${friend.lineUserId.slice(-4)}`, pictureUrl: "https://example.com/p.png", language: "ja", profileUnavailableAt: null });
    }
    expect(byId.get(friends[3].id)).toMatchObject({ displayName: null, profileUnavailableAt: expect.any(Date) });
    expect((await call(listLoader, await adminRequest("/app/friends"))).body.missingProfiles).toBe(0);

    // Asked again: the marked friend is not asked again, nothing is queued.
    const calls = profileCalls().length;
    expect(calls).toBe(4);
    expect(await fetchMissingProfiles(account.id)).toEqual({ fetched: 0, unavailable: 0 });
    const again = await call(listAction, await adminRequest("/app/friends?index", { method: "POST", body: form({ intent: "fetchProfiles" }) }));
    expect(again.body).toMatchObject({ errors: null, friends: 0 });
    expect(profileCalls()).toHaveLength(calls);
  });

  it("stops on a rate limit with an error (the job retries later), marking nobody, and a later run fetches them", async () => {
    const friends = await imported(8);
    for (const friend of friends) lineFake().setProfile(channelId, { userId: friend.lineUserId, displayName: "Named" });
    // The second group of requests meets 429s.
    await fetchMissingProfilesWithFault(async () => {
      lineFake().failNext(20, { status: 429, path: /^\/v2\/bot\/profile\//, body: { message: "The API rate limit has been exceeded. Try again later." } });
    });
    expect(await db.friend.count({ where: { displayName: "Named" } })).toBe(0);
    expect(await db.friend.count({ where: { profileUnavailableAt: { not: null } } })).toBe(0); // a 429 is not a 404

    lineFake().reset();
    expect(await fetchMissingProfiles(account.id)).toEqual({ fetched: 8, unavailable: 0 });
  });

  it("only touches the shop's own friends of the account, and skips a disconnected account", async () => {
    const other = await createLineAccount(db, "other-profiles.myshopify.com");
    await imported(2, other.id, other.shop);
    await imported(1);
    const started = await call(listAction, await adminRequest("/app/friends?index", { method: "POST", body: form({ intent: "fetchProfiles" }) }));
    expect(started.body.friends).toBe(1);
    await db.lineAccount.update({ where: { id: account.id }, data: { status: "disconnected" } });
    expect(await fetchMissingProfiles(account.id)).toEqual({ fetched: 0, unavailable: 0, skipped: "disconnected" });
    expect(profileCalls()).toHaveLength(0);
  });
});

function form(fields: Record<string, string>) {
  const body = new FormData();
  for (const [key, value] of Object.entries(fields)) body.set(key, value);
  return body;
}

async function fetchMissingProfilesWithFault(inject: () => Promise<void>) {
  await inject();
  await expect(fetchMissingProfiles(account.id)).rejects.toThrow();
}

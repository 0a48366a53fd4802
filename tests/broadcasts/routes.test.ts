// The broadcasts pages' loaders and actions with signed admin requests: bad input is a 4xx with the reason,
// scheduling happens on the shop's clock (quiet hours included), cancel stops the start job or the batches not
// yet sent, tracked links count and redirect with the UTM parameters, LINE's statistics are "not available" under
// 20 users, and shop A naming shop B's broadcast changes nothing of B's.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { cancelBroadcast, saveBroadcast, scheduleBroadcast, setTester } from "~/broadcasts/broadcasts.server";
import { freezeAudience } from "~/broadcasts/plan.server";
import { broadcastInsight } from "~/broadcasts/results.server";
import { action as composerAction, loader as composerLoader } from "~/routes/app.broadcasts.$id";
import { action as resultsAction, loader as resultsLoader } from "~/routes/app.broadcasts.$id_.results";
import { loader as listLoader } from "~/routes/app.broadcasts._index";
import { loader as redirectLoader } from "~/routes/r.$code";
import { action as friendAction } from "~/routes/app.friends.$id";
import { sessionStorage } from "~/shopify.server";
import { broadcastQueue, broadcastStartJobId } from "../../jobs/queues";
import { createFriend, createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { adminRequest, offlineSession } from "../support/shopify";
import { snapshotShop } from "../support/tenant";

const A = "broadcast-a.myshopify.com";
const B = "broadcast-b.myshopify.com";
let accountA = "";
let channelA = "";
let broadcastB = "";
let friendB = "";

type Handler = (args: never) => Promise<unknown>;

async function call(handler: Handler, path: string, params: Record<string, string>, fields?: Record<string, string>, shop = A) {
  let body: FormData | undefined;
  if (fields) {
    body = new FormData();
    for (const [key, value] of Object.entries(fields)) body.append(key, value);
  }
  const request = await adminRequest(path, { shop, method: fields ? "POST" : "GET", body });
  const outcome = await handler({ request, params, context: {} } as never).catch((thrown: unknown) => thrown);
  if (!(outcome instanceof Response)) return { status: 200, body: JSON.stringify(outcome), location: null };
  return { status: outcome.status, body: await outcome.text(), location: outcome.headers.get("location") };
}

async function draft(shop: string, lineAccountId: string, fields: Record<string, unknown> = {}) {
  const result = await saveBroadcast(shop, null, { name: "Winter sale", lineAccountId, audience: { type: "all" }, ...fields }, [{ type: "text", text: "Sale https://shop.example/sale?x=1" }]);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.broadcast;
}

beforeAll(async () => {
  await createShop(db, { shop: A, timeZone: "America/New_York" });
  await createShop(db, { shop: B });
  await sessionStorage.storeSession(offlineSession(A));
  await sessionStorage.storeSession(offlineSession(B));
  const a = await connectedAccount(db, A, { accessToken: true });
  accountA = a.account.id;
  channelA = a.channel.channelId;
  for (let i = 0; i < 3; i += 1) await createFriend(db, a.account);
  const b = await connectedAccount(db, B);
  friendB = (await createFriend(db, b.account)).id;
  broadcastB = (await draft(B, b.account.id)).id;
  await scheduleBroadcast(B, broadcastB, { mode: "schedule", date: "2099-01-01", time: "10:00" });
});

describe("broadcast pages", () => {
  it("answers bad input with a 4xx and the reason", async () => {
    const bad = await call(composerAction, "/app/broadcasts/new", { id: "new" }, { intent: "save", broadcast: JSON.stringify({ name: "", lineAccountId: accountA, audience: { type: "all" } }), messages: "[]" });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain("broadcasts.error.name");
    expect(bad.body).toContain("broadcasts.error.messages");
    const created = await call(composerAction, "/app/broadcasts/new", { id: "new" }, { intent: "save", broadcast: JSON.stringify({ name: "Hello", lineAccountId: accountA, audience: { type: "all" } }), messages: JSON.stringify([{ type: "text", text: "hi" }]) });
    // A new draft answers its id; the composer says it is saved and moves to its address.
    expect(created.status).toBe(200);
    const id = (JSON.parse(created.body) as { id: string }).id;
    expect(await db.broadcast.findUniqueOrThrow({ where: { id } })).toMatchObject({ shop: A, utmParams: "utm_source=line&utm_medium=broadcast&utm_campaign=Hello" });
    const past = await call(composerAction, `/app/broadcasts/${id}`, { id }, { intent: "schedule", mode: "schedule", date: "2020-01-01", time: "10:00" });
    expect(past).toMatchObject({ status: 422 });
    expect(past.body).toContain("broadcasts.error.past");
    const unknown = await call(composerAction, `/app/broadcasts/${id}`, { id }, { intent: "explode" });
    expect(unknown.status).toBe(400);
    expect((await call(listLoader, "/app/broadcasts", {})).body).toContain("Hello");
  });

  it("schedules on the shop's clock, deferred past quiet hours, and cancel removes the start job", async () => {
    const broadcast = await draft(A, accountA, { quietHours: true, quietStart: "22:00", quietEnd: "08:00" });
    const at = await call(composerAction, `/app/broadcasts/${broadcast.id}`, { id: broadcast.id }, { intent: "schedule", mode: "schedule", date: "2099-07-04", time: "09:30" });
    expect(at.status).toBe(200);
    // New York in July is UTC-4.
    expect((await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).scheduledAt?.toISOString()).toBe("2099-07-04T13:30:00.000Z");
    const job = await broadcastQueue().getJob(broadcastStartJobId(broadcast.id));
    expect(job?.delay).toBeGreaterThan(0);
    // Rescheduled into the quiet window: it moves to 08:00 the next morning (January: UTC-5).
    await call(composerAction, `/app/broadcasts/${broadcast.id}`, { id: broadcast.id }, { intent: "schedule", mode: "schedule", date: "2099-01-10", time: "23:15" });
    expect((await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).scheduledAt?.toISOString()).toBe("2099-01-11T13:00:00.000Z");
    expect(await broadcastQueue().getJobs(["delayed"])).toHaveLength(2); // this one and shop B's

    const cancelled = await call(resultsAction, `/app/broadcasts/${broadcast.id}/results`, { id: broadcast.id }, { intent: "cancel" });
    expect(cancelled.status).toBe(200);
    expect(await broadcastQueue().getJob(broadcastStartJobId(broadcast.id))).toBeUndefined();
    expect(await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } })).toMatchObject({ status: "cancelled" });
    expect((await call(resultsAction, `/app/broadcasts/${broadcast.id}/results`, { id: broadcast.id }, { intent: "cancel" })).status).toBe(409);
  });

  it("cancels the batches not yet sent of a running broadcast", async () => {
    const broadcast = await draft(A, accountA);
    await db.broadcast.update({ where: { id: broadcast.id }, data: { status: "planning" } });
    await freezeAudience(broadcast, null, null);
    await db.delivery.updateMany({ where: { sourceId: broadcast.id }, data: { status: "sent" } });
    await db.delivery.create({ data: { shop: A, lineAccountId: accountA, kind: "broadcast", channel: "multicast", sourceId: broadcast.id, recipients: ["U1"], messages: [], dueAt: new Date() } });
    await call(resultsAction, `/app/broadcasts/${broadcast.id}/results`, { id: broadcast.id }, { intent: "cancel" });
    const statuses = (await db.delivery.findMany({ where: { sourceId: broadcast.id } })).map((d) => d.status).sort();
    expect(statuses).toEqual(["cancelled", "sent"]);
    const page = JSON.parse((await call(resultsLoader, `/app/broadcasts/${broadcast.id}/results`, { id: broadcast.id })).body);
    expect(page.progress.recipients).toMatchObject({ planned: 4, accepted: 3, cancelled: 1 });
  });

  it("counts a click on a tracked link and redirects with the UTM parameters", async () => {
    const broadcast = await draft(A, accountA);
    await db.broadcast.update({ where: { id: broadcast.id }, data: { status: "planning" } });
    await freezeAudience(broadcast, null, null);
    const [delivery] = await db.delivery.findMany({ where: { sourceId: broadcast.id } });
    const text = (delivery.messages as { text: string }[])[0].text;
    const code = /\/r\/([\w-]+)/.exec(text)![1];
    const redirect = await call(redirectLoader, `/r/${code}`, { code });
    expect(redirect.status).toBe(302);
    // The broadcast's UTM parameters and the marker naming it (order attribution reads it from the landing site).
    expect(redirect.location).toBe(`https://shop.example/sale?x=1&utm_source=line&utm_medium=broadcast&utm_campaign=Winter%20sale&line_m=b.${broadcast.id}`);
    expect(await db.broadcastLink.findUniqueOrThrow({ where: { code } })).toMatchObject({ clicks: 1, shop: A });
  });

  it("shows LINE's statistics only when LINE gives them (20 users or more)", async () => {
    const broadcast = await draft(A, accountA);
    const started = { ...broadcast, startedAt: new Date() };
    lineFake().setUnitStatistics(channelA, broadcast.customAggregationUnit, { uniqueImpression: 12, uniqueClick: 3 });
    expect(await broadcastInsight(started)).toMatchObject({ available: false, opened: null, clicked: null });
    lineFake().setUnitStatistics(channelA, broadcast.customAggregationUnit, { uniqueImpression: 250, uniqueClick: 40, clicks: [{ url: "https://x.example/", click: 55, uniqueClick: 40 }] });
    expect(await broadcastInsight(started)).toMatchObject({ available: true, opened: 250, clicked: 40, clicks: [{ url: "https://x.example/", clicks: 55, uniqueClicks: 40 }] });
    const request = lineFake().requests.findLast((r) => r.path === "/v2/bot/insight/message/event/aggregation")!;
    expect(request.query.customAggregationUnit).toBe(broadcast.customAggregationUnit);
  });

  it("changes nothing of shop B when shop A names B's broadcast and friend", async () => {
    const before = await snapshotShop(db, B);
    const id = broadcastB;
    const answers = [
      await call(composerLoader, `/app/broadcasts/${id}`, { id }),
      await call(resultsLoader, `/app/broadcasts/${id}/results`, { id }),
      await call(composerAction, `/app/broadcasts/${id}`, { id }, { intent: "save", broadcast: JSON.stringify({ name: "stolen", lineAccountId: accountA, audience: { type: "all" } }), messages: JSON.stringify([{ type: "text", text: "x" }]) }),
      await call(composerAction, `/app/broadcasts/${id}`, { id }, { intent: "schedule", mode: "now" }),
      await call(composerAction, `/app/broadcasts/${id}`, { id }, { intent: "unschedule" }),
      await call(composerAction, `/app/broadcasts/${id}`, { id }, { intent: "test" }),
      await call(composerAction, `/app/broadcasts/${id}`, { id }, { intent: "delete" }),
      await call(resultsAction, `/app/broadcasts/${id}/results`, { id }, { intent: "cancel" }),
      await call(friendAction, `/app/friends/${friendB}`, { id: friendB }, { intent: "tester", on: "1" }),
    ];
    for (const answer of answers) expect(answer.status, answer.body).toBeGreaterThanOrEqual(400);
    // The writes carry the shop themselves, not only the route's lookup before them.
    expect(await setTester(A, friendB, true)).toBe(false);
    expect(await cancelBroadcast(A, id)).toMatchObject({ ok: false });
    expect(await snapshotShop(db, B)).toEqual(before);
    expect(await broadcastQueue().getJob(broadcastStartJobId(id))).toBeTruthy();
  });
});

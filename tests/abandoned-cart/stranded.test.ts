// Every reminder ends sent, skipped, failed or unknown: a job whose last attempt fails marks its reminder failed,
// and the sweeper takes up reminders left without a live job (never queued, lost, or failed without a record),
// including under a job id BullMQ still keeps.
import { randomUUID } from "node:crypto";
import { messagingApi } from "@line/bot-sdk";
import { Worker } from "bullmq";
import { beforeEach, describe, expect, it } from "vitest";
import { cartAnalytics } from "~/abandoned-cart/analytics.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { retryKeyFor } from "~/messaging/retry-key";
import { textMessages } from "~/messaging/types";
import { workerConnection } from "~/redis.server";
import { sweepCartReminders } from "../../jobs/processors/maintenance";
import { reminderJobId } from "~/abandoned-cart/reminders.server";
import { cartReminderQueue, QUEUE_NAMES } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { waitUntil, withWorkers } from "../support/worker";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const pushRequests = () => lineFake().requests.filter((request) => request.path === "/v2/bot/message/push");
const row = (id: string) => db.cartReminder.findUniqueOrThrow({ where: { id } });

async function world() {
  const { shop } = await createShop(db, { timeZone: "Asia/Tokyo" });
  const connected = await connectedAccount(db, shop);
  await db.cartReminderSettings.create({ data: { lineAccountId: connected.account.id, shop, enabled: true } });
  const friend = await db.friend.create({ data: { shop, lineAccountId: connected.account.id, lineUserId: lineUserId(), followStatus: "following" } });
  /** A due reminder of a new checkout; `at` sets its dueAt, updatedAt and claimedAt as given. */
  async function reminder(status: string, at: { dueAt?: Date; updatedAt?: Date; claimedAt?: Date } = {}) {
    const token = `tok-${randomUUID()}`;
    const checkout = await db.checkout.create({
      data: {
        shop, token, currency: "JPY", totalPrice: "1200", startedAt: new Date(Date.now() - 11 * HOUR), shopifyUpdatedAt: new Date(),
        recoveryUrl: `https://${shop}/checkouts/${token}/recover`,
        lineItems: [{ productId: null, variantId: null, title: "煎茶", variantTitle: null, quantity: 1, price: "1200" }],
      },
    });
    return db.cartReminder.create({
      data: {
        shop, lineAccountId: connected.account.id, checkoutId: checkout.id, friendId: friend.id, matchedBy: "cart", status,
        dueAt: at.dueAt ?? new Date(Date.now() - 5 * MINUTE), updatedAt: at.updatedAt, claimedAt: at.claimedAt,
        attempts: status === "sending" ? 1 : 0, lineUserId: status === "sending" ? friend.lineUserId : null,
        retryKey: retryKeyFor(`cart-reminder:${connected.account.id}:${checkout.id}`),
      },
    });
  }
  return { ...connected, shop, friend, reminder };
}

/** A job under the reminder's id that BullMQ keeps as failed or completed (kept 7 days / 1 hour). */
async function finishedJob(reminderId: string, state: "failed" | "completed") {
  await cartReminderQueue().add("reminder", { reminderId }, { jobId: reminderJobId(reminderId), attempts: 1 });
  const worker = new Worker(QUEUE_NAMES.cartReminders, null, { connection: workerConnection(), prefix: env.QUEUE_PREFIX, autorun: false });
  try {
    const job = (await worker.getNextJob("test-token"))!;
    if (state === "failed") await job.moveToFailed(new Error("the worker was lost"), "test-token");
    else await job.moveToCompleted("sent", "test-token");
  } finally {
    await worker.close();
  }
  expect(await cartReminderQueue().getJobState(reminderJobId(reminderId))).toBe(state);
}

beforeEach(async () => {
  await db.cartReminder.deleteMany();
  await cartReminderQueue().obliterate({ force: true });
  lineFake().reset();
});

describe("a job that fails for good", () => {
  it("marks its reminder failed with the reason after the last attempt", async () => {
    const { reminder } = await world();
    const due = await reminder("scheduled");
    lineFake().failNext(5, { status: 500, path: "/v2/bot/message/push" });
    // Two attempts instead of the ten queued in production, so that the test sees the last one.
    await cartReminderQueue().add("reminder", { reminderId: due.id }, { jobId: reminderJobId(due.id), attempts: 2, backoff: { type: "fixed", delay: 10 } });
    await withWorkers(() => waitUntil(async () => !["scheduled", "sending"].includes((await row(due.id)).status), 30_000));

    expect(await row(due.id)).toMatchObject({ status: "failed", attempts: 2, error: expect.stringMatching(/^gave up after 2 attempts: 500/) });
    expect(pushRequests().map((request) => request.status)).toEqual([500, 500]);
  });
});

describe("sweepCartReminders", () => {
  it("queues due reminders that have no live job, and only those", async () => {
    const { reminder } = await world();
    const neverQueued = await reminder("scheduled");
    const keptCompleted = await reminder("scheduled");
    await finishedJob(keptCompleted.id, "completed");
    const queued = await reminder("scheduled");
    await cartReminderQueue().add("reminder", { reminderId: queued.id }, { jobId: reminderJobId(queued.id), delay: 60 * MINUTE });
    await reminder("scheduled", { dueAt: new Date(Date.now() - 30_000) }); // its job may still be on the way
    await reminder("scheduled", { dueAt: new Date(Date.now() + HOUR) });
    await reminder("sent");
    await reminder("cancelled");
    await reminder("sending", { updatedAt: new Date(), claimedAt: new Date() }); // its job is at work

    expect(await sweepCartReminders()).toEqual({ found: 3, queued: 2, unknown: 0 });
    const state = (id: string) => cartReminderQueue().getJobState(reminderJobId(id));
    expect([await state(neverQueued.id), await state(keptCompleted.id), await state(queued.id)]).toEqual(["waiting", "waiting", "delayed"]);
    expect(await cartReminderQueue().count()).toBe(3);
  });

  it("reclaims a reminder left sending by a job that failed without a record; LINE takes its push once", async () => {
    const { reminder, friend, channel } = await world();
    const stranded = await reminder("sending", { updatedAt: new Date(Date.now() - 10 * MINUTE), claimedAt: new Date(Date.now() - 10 * MINUTE) });
    // The lost attempt reached LINE before its worker died.
    const direct = new messagingApi.MessagingApiClient({ channelAccessToken: lineFake().issueAccessToken(channel.channelId), baseURL: lineFake().url });
    await direct.pushMessage({ to: friend.lineUserId, messages: textMessages(["the lost attempt"]) }, stranded.retryKey);
    await finishedJob(stranded.id, "failed");

    expect(await sweepCartReminders()).toEqual({ found: 1, queued: 1, unknown: 0 });
    expect(await sweepCartReminders()).toEqual({ found: 1, queued: 0, unknown: 0 }); // queued already
    await withWorkers(() => waitUntil(async () => (await row(stranded.id)).status === "sent", 30_000));

    const attempts = pushRequests();
    expect(attempts.map((request) => [request.status, request.headers["x-line-retry-key"]])).toEqual([
      [200, stranded.retryKey],
      [409, stranded.retryKey],
    ]);
    expect(lineFake().sent(channel.channelId).filter((delivery) => delivery.kind === "push")).toHaveLength(1);
    expect(await row(stranded.id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("sends a reminder left sending whose job is gone, with its retry key", async () => {
    const { reminder, channel } = await world();
    const stranded = await reminder("sending", { updatedAt: new Date(Date.now() - 10 * MINUTE), claimedAt: new Date(Date.now() - 10 * MINUTE) });
    expect(await sweepCartReminders()).toEqual({ found: 1, queued: 1, unknown: 0 });
    await withWorkers(() => waitUntil(async () => (await row(stranded.id)).status === "sent", 30_000));
    const [push] = lineFake().sent(channel.channelId).filter((delivery) => delivery.kind === "push");
    expect(push.retryKey).toBe(stranded.retryKey);
    expect(pushRequests()).toHaveLength(1);
  });

  it("marks a reminder claimed beyond LINE's 24-hour retry key unknown and pushes nothing", async () => {
    const { reminder, shop } = await world();
    const stale = await reminder("sending", { updatedAt: new Date(Date.now() - 25 * HOUR), claimedAt: new Date(Date.now() - 25 * HOUR) });
    await finishedJob(stale.id, "failed");

    expect(await sweepCartReminders()).toEqual({ found: 1, queued: 0, unknown: 1 });
    expect(await row(stale.id)).toMatchObject({ status: "unknown", error: expect.stringMatching(/^unknown: /) });
    expect(await cartReminderQueue().getJobState(reminderJobId(stale.id))).toBe("failed");
    expect(pushRequests()).toEqual([]);
    // Not counted as sent: it may or may not have reached the shopper.
    expect((await cartAnalytics(shop)).totals).toMatchObject({ sent: 0, failed: 1 });
  });
});

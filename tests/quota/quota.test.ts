// The message quota: the plan read from the quota, the meter's figures (LINE's, the ledger's, what is scheduled
// this month), and the daily 12:00 check — scheduled at noon in each shop's time zone, once a day per account even
// with two workers and a repeated job, telling staff when little is left and once when nothing is.
import type { LineAccount } from "@prisma/client";
import { Worker } from "bullmq";
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { workerConnection } from "~/redis.server";
import { localDate, runDailyQuotaCheck, scheduleAllQuotaChecks, type QuotaNotice } from "~/quota/daily-check.server";
import { quotaMeter, quotaMonthEnd } from "~/quota/meter.server";
import { planFromQuota } from "~/quota/plan";
import { quotaCheckQueue, quotaSchedulerId, QUEUE_NAMES } from "../../jobs/queues";
import { processQuotaCheck } from "../../jobs/processors/quota-check";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import type { FakeChannel } from "../support/line-fake";
import { waitUntil } from "../support/worker";

const SHOP = "quota.myshopify.com";
let account: LineAccount;
let channel: FakeChannel;

beforeEach(async () => {
  lineFake().reset();
  await quotaCheckQueue().obliterate({ force: true });
  await db.quotaCheck.deleteMany();
  await db.lineQuota.deleteMany();
  await db.delivery.deleteMany();
  await db.notification.deleteMany();
  await db.staffChannel.deleteMany();
  await db.staffMember.deleteMany();
  await db.friend.deleteMany();
  await db.lineAccount.deleteMany();
  await db.shop.deleteMany();
  await createShop(db, { shop: SHOP, timeZone: "Asia/Tokyo" });
  ({ account, channel } = await connectedAccount(db, SHOP, { accessToken: true }));
});

describe("plan from quota", () => {
  it("maps LINE's Japanese plans and says unknown otherwise", () => {
    expect(planFromQuota("limited", 200)).toBe("communication");
    expect(planFromQuota("limited", 5_000)).toBe("light");
    expect(planFromQuota("limited", 30_000)).toBe("standard");
    expect(planFromQuota("none", null)).toBe("standard");
    expect(planFromQuota("limited", 1_000)).toBe("unknown");
    expect(planFromQuota("limited", 45_000)).toBe("unknown");
  });
});

describe("the meter", () => {
  it("adds LINE's figure, the ledger's sends since, and what is scheduled before the quota month ends", async () => {
    channel.quota = { type: "limited", value: 5_000 };
    channel.totalUsage = 1_200;
    const now = new Date();
    await quotaMeter(SHOP, account, now); // reads LINE into the ledger
    await db.lineQuota.update({ where: { lineAccountId: account.id }, data: { sentSince: 30 } });
    const end = quotaMonthEnd(now);
    const row = (dueAt: Date, recipients: number, status = "scheduled") => ({
      shop: SHOP, lineAccountId: account.id, kind: "broadcast", channel: "multicast", sourceId: "b", status, dueAt,
      recipients: Array.from({ length: recipients }, () => lineUserId()), messages: [{ type: "text", text: "x" }],
    });
    await db.delivery.createMany({ data: [row(new Date(end.getTime() - 1), 40), row(end, 500), row(new Date(end.getTime() - 1), 7, "sent")] });

    const meter = await quotaMeter(SHOP, account, now);
    expect(meter).toMatchObject({ type: "limited", limit: 5_000, usedByLine: 1_200, usedSince: 30, used: 1_230, scheduled: 40, remaining: 3_730, plan: "light", exhausted: false });
    // Another shop's view of this account sees no ledger of its own.
    expect((await quotaMeter("other.myshopify.com", account, now)).scheduled).toBe(0);
  });

  it("starts a new quota month at midnight Japan time", () => {
    expect(quotaMonthEnd(new Date("2026-11-30T14:59:59Z")).toISOString()).toBe("2026-11-30T15:00:00.000Z");
    expect(quotaMonthEnd(new Date("2026-11-30T15:00:00Z")).toISOString()).toBe("2026-12-31T15:00:00.000Z");
  });
});

describe("the daily check", () => {
  it("is scheduled at 12:00 in each shop's own time zone", async () => {
    const zones = ["Asia/Tokyo", "America/Los_Angeles", "Europe/London", "Australia/Adelaide"];
    const accounts: { id: string; zone: string }[] = [];
    for (const zone of zones) {
      const shop = `quota-${zone.replace(/\W/g, "-").toLowerCase()}.myshopify.com`;
      await createShop(db, { shop, timeZone: zone });
      accounts.push({ id: (await connectedAccount(db, shop)).account.id, zone });
    }
    await db.lineAccount.update({ where: { id: account.id }, data: { status: "disconnected" } });
    await scheduleAllQuotaChecks();
    const schedulers = await quotaCheckQueue().getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key).sort()).toEqual(accounts.map((a) => quotaSchedulerId(a.id)).sort());
    for (const { id, zone } of accounts) {
      const scheduler = await quotaCheckQueue().getJobScheduler(quotaSchedulerId(id));
      expect(scheduler?.tz).toBe(zone);
      const next = new Date(scheduler!.next!);
      const local = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(next);
      expect(local, zone).toBe("12:00:00");
      expect(next.getTime()).toBeGreaterThan(Date.now());
      expect(next.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3_600_000 + 3_600_000);
    }
  });

  it("takes the date in the shop's time zone: one instant is two different days", () => {
    const instant = new Date("2026-11-30T20:30:00Z");
    expect(localDate(instant, "Asia/Tokyo")).toBe("2026-12-01");
    expect(localDate(instant, "America/Los_Angeles")).toBe("2026-11-30");
  });

  it("checks once a day per account however often it runs, telling staff when low and once when exhausted", async () => {
    channel.quota = { type: "limited", value: 5_000 };
    channel.totalUsage = 4_900;
    const notices: QuotaNotice[] = [];
    const notify = async (_shop: string, notice: QuotaNotice) => void notices.push(notice);
    const day1 = new Date("2026-11-10T03:00:00Z"); // 12:00 in Tokyo
    const outcomes = await Promise.all([runDailyQuotaCheck(account.id, notify, day1), runDailyQuotaCheck(account.id, notify, day1), runDailyQuotaCheck(account.id, notify, new Date(day1.getTime() + 3_600_000))]);
    expect(outcomes.filter((o) => o === "low")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "already-checked")).toHaveLength(2);
    expect(notices).toEqual([{ type: "quotaLow", lineAccountId: account.id, remaining: 100 }]);

    channel.totalUsage = 5_000;
    expect(await runDailyQuotaCheck(account.id, notify, new Date("2026-11-11T03:00:00Z"))).toBe("exhausted");
    expect(await runDailyQuotaCheck(account.id, notify, new Date("2026-11-12T03:00:00Z"))).toBe("exhausted");
    expect(notices.map((n) => n.type)).toEqual(["quotaLow", "quotaExhausted"]);
    expect(await db.quotaCheck.findMany({ where: { lineAccountId: account.id }, orderBy: { date: "asc" }, select: { date: true, notified: true, remaining: true } })).toEqual([
      { date: "2026-11-10", notified: "low", remaining: 100 },
      { date: "2026-11-11", notified: "exhausted", remaining: 0 },
      { date: "2026-11-12", notified: null, remaining: 0 },
    ]);
    // A new month: exhausted is told again.
    expect(await runDailyQuotaCheck(account.id, notify, new Date("2026-12-01T03:00:00Z"))).toBe("exhausted");
    expect(notices.map((n) => n.type)).toEqual(["quotaLow", "quotaExhausted", "quotaExhausted"]);
  });

  it("runs once with two workers taking duplicate jobs, and notifies staff whose threshold is above what is left", async () => {
    channel.quota = { type: "limited", value: 5_000 };
    channel.totalUsage = 4_500;
    const member = await db.staffMember.create({ data: { shop: SHOP, name: "Sato", quotaThreshold: 1_000 } });
    await db.staffChannel.create({ data: { shop: SHOP, staffMemberId: member.id, type: "slack", target: "", events: ["quotaLow"] } });
    const workers = [0, 1].map(() => new Worker(QUEUE_NAMES.quotaChecks, processQuotaCheck, { connection: workerConnection(), prefix: env.QUEUE_PREFIX, concurrency: 5 }));
    try {
      const jobs = await quotaCheckQueue().addBulk(Array.from({ length: 6 }, () => ({ name: "quota-check", data: { lineAccountId: account.id } })));
      await waitUntil(async () => {
        const states = await Promise.all(jobs.map((job) => job.getState()));
        return states.every((state) => state === "completed");
      });
      const results = await Promise.all(jobs.map(async (job) => (await quotaCheckQueue().getJob(job.id!))?.returnvalue));
      expect(results.filter((r) => r === "low")).toHaveLength(1);
      expect(await db.quotaCheck.count({ where: { lineAccountId: account.id } })).toBe(1);
      expect(await db.notification.count({ where: { shop: SHOP, event: "quotaLow" } })).toBe(1);
    } finally {
      await Promise.all(workers.map((worker) => worker.close()));
    }
  });
});

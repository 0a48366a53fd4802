// Broadcasts as the merchant handles them: drafts, the quota check before sending, schedule or send now, cancel,
// test send to testers. Every write is keyed by the shop together with the id the browser sent.
import { randomBytes } from "node:crypto";
import { Prisma, type Broadcast } from "@prisma/client";
import { deferForQuietHours, zonedInstant } from "../abandoned-cart/quiet-hours";
import { db } from "../db.server";
import { enqueueBroadcastFinish, enqueueBroadcastStart, unscheduleBroadcast } from "../../jobs/queues";
import { AudienceGoneError, countAudience } from "./audience.server";
import { composedOf, saveLinks, trackedMessages } from "./links.server";
import { broadcastFormSchema, CANCELLABLE, defaultUtm, EDITABLE, type Audience, type BroadcastStatus, type When } from "./model";
import { composedMessageErrors, composedMessagesSchema, isPersonalised } from "../messages/model";
import { validateWithLine } from "../messages/validate.server";
import { cancelDeliveries, createDeliveries } from "../messaging/deliveries.server";
import { quotaStatus, type QuotaStatus } from "../messaging/quota.server";

export type Errors = Record<string, string>;
/** messageErrors: the composer's errors by message path ("0.text"), and LINE's reasons as "line.0", "line.1"… */
type Failure = { ok: false; errors: Errors; messageErrors?: Errors };
type Result<T> = ({ ok: true } & T) | Failure;

const failure = (errors: Errors, messageErrors?: Errors): Failure => ({ ok: false, errors, ...(messageErrors ? { messageErrors } : {}) });

/** LINE's unit names: up to 30 characters of [A-Za-z0-9_]. */
const aggregationUnit = () => `bc_${randomBytes(12).toString("hex")}`;

export function listBroadcasts(shop: string) {
  return db.broadcast.findMany({
    where: { shop },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 200,
    include: { lineAccount: { select: { displayName: true } } },
  });
}

export function getBroadcast(shop: string, id: string) {
  return db.broadcast.findFirst({ where: { id, shop } });
}

/** Checks what the browser sent against the shop's own rows: the account, the tags, the segment. */
async function checkInput(shop: string, raw: unknown, messagesRaw: unknown): Promise<Result<{ data: ReturnType<typeof broadcastFormSchema.parse>; messages: Prisma.InputJsonValue }>> {
  const errors: Errors = {};
  const parsed = broadcastFormSchema.safeParse(raw);
  if (!parsed.success) for (const issue of parsed.error.issues) errors[issue.path.join(".") || "form"] ??= issue.message;
  const messages = composedMessagesSchema.safeParse(messagesRaw);
  if (!messages.success) errors.messages = "broadcasts.error.messages";
  if (!parsed.success || !messages.success) return failure(errors, messages.success ? undefined : composedMessageErrors(messages.error));
  const data = parsed.data;
  const account = await db.lineAccount.findFirst({ where: { id: data.lineAccountId, shop }, select: { id: true, status: true } });
  if (!account || account.status !== "connected") return failure({ lineAccountId: "broadcasts.error.account" });
  if (data.audience.type === "tags") {
    const found = await db.tag.count({ where: { shop, id: { in: data.audience.tagIds } } });
    if (found !== new Set(data.audience.tagIds).size) return failure({ audience: "broadcasts.error.tags" });
  }
  if (data.audience.type === "segment") {
    try {
      await countAudience(shop, data.lineAccountId, data.audience);
    } catch (error) {
      if (error instanceof AudienceGoneError) return failure({ audience: "broadcasts.error.segmentGone" });
      throw error;
    }
  }
  return { ok: true, data, messages: messages.data as unknown as Prisma.InputJsonValue };
}

/** Creates (id null) or edits a draft or scheduled broadcast. */
export async function saveBroadcast(shop: string, id: string | null, raw: unknown, messagesRaw: unknown): Promise<Result<{ broadcast: Broadcast }>> {
  const checked = await checkInput(shop, raw, messagesRaw);
  if (!checked.ok) return checked;
  const { data, messages } = checked;
  const fields = {
    name: data.name,
    lineAccountId: data.lineAccountId,
    audience: data.audience as Prisma.InputJsonValue,
    messages,
    utmParams: data.utmParams ?? defaultUtm(data.name),
    quietHours: data.quietHours,
    quietStart: data.quietStart,
    quietEnd: data.quietEnd,
    overQuota: data.overQuota,
  };
  if (!id) {
    const broadcast = await db.broadcast.create({ data: { shop, ...fields, customAggregationUnit: aggregationUnit() } });
    return { ok: true, broadcast };
  }
  const [broadcast] = await db.broadcast.updateManyAndReturn({ where: { id, shop, status: { in: [...EDITABLE] } }, data: fields });
  if (broadcast) return { ok: true, broadcast };
  const exists = await db.broadcast.count({ where: { id, shop } });
  return failure({ form: exists ? "broadcasts.error.notEditable" : "broadcasts.error.notFound" });
}

export type QuotaSummary = {
  recipients: number;
  personalised: boolean;
  /** Messages the send counts against the monthly quota: one per recipient. */
  cost: number;
  quota: QuotaStatus;
  fits: boolean;
  /** Who would receive it now: everyone when it fits, those that fit with "fit", nobody with "refuse". */
  willSend: number;
};

/** Recipients, their cost against the quota and what is left this month, as the page shows them before sending. */
export async function quotaSummary(broadcast: Pick<Broadcast, "shop" | "lineAccountId" | "audience" | "messages" | "overQuota">, refresh = false): Promise<QuotaSummary> {
  const [recipients, quota] = await Promise.all([
    countAudience(broadcast.shop, broadcast.lineAccountId, broadcast.audience as Audience),
    quotaStatus(broadcast.lineAccountId, { refresh }),
  ]);
  const room = quota.remaining === null ? Number.POSITIVE_INFINITY : quota.exhausted ? 0 : quota.remaining;
  const fits = recipients <= room;
  const willSend = fits ? recipients : broadcast.overQuota === "fit" ? Math.max(0, room) : 0;
  return { recipients, personalised: isPersonalised(composedOf(broadcast)), cost: recipients, quota, fits, willSend };
}

/** When a send starts: the date and time on the shop's clock (or now), moved past the quiet window if asked. */
export function startTime(when: When, timeZone: string, quiet: Pick<Broadcast, "quietHours" | "quietStart" | "quietEnd">, now = new Date()) {
  const requested = when.mode === "now" ? now : zonedInstant(when.date, when.time, timeZone);
  return quiet.quietHours ? deferForQuietHours(requested, timeZone, quiet.quietStart, quiet.quietEnd) : requested;
}

/**
 * Schedules the broadcast (or starts it now): refused when the quota cannot cover it and the merchant chose
 * "refuse", when the time is past, or when LINE finds the messages invalid.
 */
export async function scheduleBroadcast(shop: string, id: string, when: When, now = new Date()): Promise<Result<{ broadcast: Broadcast; summary: QuotaSummary }>> {
  const broadcast = await getBroadcast(shop, id);
  if (!broadcast) return failure({ form: "broadcasts.error.notFound" });
  if (!EDITABLE.includes(broadcast.status as BroadcastStatus)) return failure({ form: "broadcasts.error.notEditable" });
  const account = await db.lineAccount.findFirst({ where: { id: broadcast.lineAccountId, shop } });
  if (!account || account.status !== "connected") return failure({ form: "broadcasts.error.account" });
  const { timeZone } = (await db.shop.findUnique({ where: { shop }, select: { timeZone: true } })) ?? { timeZone: "Asia/Tokyo" };
  const dueAt = startTime(when, timeZone, broadcast, now);
  if (when.mode === "schedule" && dueAt.getTime() < now.getTime()) return failure({ when: "broadcasts.error.past" });

  let summary: QuotaSummary;
  try {
    summary = await quotaSummary(broadcast, true);
  } catch (error) {
    if (error instanceof AudienceGoneError) return failure({ form: "broadcasts.error.segmentGone" });
    throw error;
  }
  if (summary.recipients === 0) return failure({ form: "broadcasts.error.noRecipients" });
  if (!summary.fits && broadcast.overQuota === "refuse") return failure({ form: "broadcasts.error.quota" });
  const sample = trackedMessages(broadcast, summary.personalised ? "LINE" : undefined).messages;
  const problems = await validateWithLine(account, sample, summary.personalised ? "push" : "multicast");
  if (problems.length) return failure({ messages: "broadcasts.error.lineRejected" }, Object.fromEntries(problems.map((problem, i) => [`line.${i}`, problem])));

  const [scheduled] = await db.broadcast.updateManyAndReturn({
    where: { id, shop, status: { in: [...EDITABLE] } },
    data: { status: "scheduled", scheduledAt: dueAt, reason: null, detail: null },
  });
  if (!scheduled) return failure({ form: "broadcasts.error.notEditable" });
  try {
    if (!(await unscheduleBroadcast(id))) return failure({ form: "broadcasts.error.starting" });
    await enqueueBroadcastStart(id, dueAt);
  } catch (error) {
    // Not queued: the broadcast must not look scheduled.
    await db.broadcast.updateMany({ where: { id, shop, status: "scheduled" }, data: { status: "draft", scheduledAt: null } });
    throw error;
  }
  return { ok: true, broadcast: scheduled, summary };
}

/** Back to draft: the waiting start job is removed. */
export async function unschedule(shop: string, id: string): Promise<Result<{ broadcast: Broadcast }>> {
  const broadcast = await getBroadcast(shop, id);
  if (!broadcast) return failure({ form: "broadcasts.error.notFound" });
  if (broadcast.status !== "scheduled" || !(await unscheduleBroadcast(id))) return failure({ form: "broadcasts.error.starting" });
  const [draft] = await db.broadcast.updateManyAndReturn({ where: { id, shop, status: "scheduled" }, data: { status: "draft", scheduledAt: null } });
  return draft ? { ok: true, broadcast: draft } : failure({ form: "broadcasts.error.starting" });
}

/** Stops a scheduled or running broadcast: batches not yet sent are cancelled; what was sent stays counted. */
export async function cancelBroadcast(shop: string, id: string, now = new Date()): Promise<Result<{ broadcast: Broadcast; cancelled: number }>> {
  const broadcast = await getBroadcast(shop, id);
  if (!broadcast) return failure({ form: "broadcasts.error.notFound" });
  if (!CANCELLABLE.includes(broadcast.status as BroadcastStatus)) return failure({ form: "broadcasts.error.notCancellable" });
  const waiting = broadcast.status === "scheduled" && (await unscheduleBroadcast(id));
  const [cancelled] = await db.broadcast.updateManyAndReturn({
    where: { id, shop, status: { in: [...CANCELLABLE] } },
    data: { status: "cancelled", ...(waiting ? { finishedAt: now } : {}) },
  });
  if (!cancelled) return failure({ form: "broadcasts.error.notCancellable" });
  // A planning that committed before this update is "sending" and cancelled here; one after it finds the status
  // cancelled and plans nothing (plan.server.ts).
  const count = await cancelDeliveries(shop, "broadcast", id);
  if (!waiting) await enqueueBroadcastFinish(id, 0);
  return { ok: true, broadcast: cancelled, cancelled: count };
}

export async function deleteDraft(shop: string, id: string): Promise<Result<{ name: string }>> {
  const [deleted] = await db.broadcast.findMany({ where: { id, shop, status: "draft" }, select: { name: true } });
  if (!deleted) return failure({ form: "broadcasts.error.notEditable" });
  await db.broadcast.deleteMany({ where: { id, shop, status: "draft" } });
  return { ok: true, name: deleted.name };
}

/** The account's testers who can receive a message now. */
export function listTesters(shop: string, lineAccountId: string) {
  return db.friend.findMany({
    where: { shop, lineAccountId, testerAt: { not: null } },
    select: { id: true, displayName: true, pictureUrl: true, followStatus: true, operatorBlockedAt: true },
    orderBy: { testerAt: "asc" },
    take: 50,
  });
}

/** Marks or unmarks a friend of the shop as a tester. */
export async function setTester(shop: string, friendId: string, tester: boolean) {
  const { count } = await db.friend.updateMany({ where: { id: friendId, shop }, data: { testerAt: tester ? new Date() : null } });
  return count === 1;
}

/** Pushes the broadcast, as it is saved, to the account's testers only (kind "broadcast-test"). */
export async function testSend(shop: string, id: string): Promise<Result<{ testers: number }>> {
  const broadcast = await getBroadcast(shop, id);
  if (!broadcast) return failure({ form: "broadcasts.error.notFound" });
  const testers = await db.friend.findMany({
    where: { shop, lineAccountId: broadcast.lineAccountId, testerAt: { not: null }, followStatus: "following", operatorBlockedAt: null },
    select: { id: true, lineUserId: true, displayName: true },
    take: 50,
  });
  if (!testers.length) return failure({ form: "broadcasts.error.noTesters" });
  const rows = testers.map((tester) => ({ tester, ...trackedMessages(broadcast, tester.displayName) }));
  await saveLinks(shop, broadcast.id, rows[0].links);
  await createDeliveries(
    rows.map(({ tester, messages }) => ({
      shop,
      lineAccountId: broadcast.lineAccountId,
      kind: "broadcast-test" as const,
      channel: "push" as const,
      sourceId: broadcast.id,
      recipients: [tester.lineUserId],
      friendId: tester.id,
      messages,
    })),
  );
  return { ok: true, testers: testers.length };
}

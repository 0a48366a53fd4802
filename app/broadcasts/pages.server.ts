// What the broadcasts pages show, assembled from the domain modules (the routes stay thin).
import type { Broadcast } from "@prisma/client";
import { zonedWallClock } from "../abandoned-cart/quiet-hours";
import { db } from "../db.server";
import { AudienceGoneError } from "./audience.server";
import { listBroadcasts, listTesters, quotaSummary, type QuotaSummary } from "./broadcasts.server";
import { IN_PROGRESS, type Audience, type BroadcastStatus } from "./model";
import { broadcastClicks, broadcastInsight, broadcastProgress, broadcastRevenue } from "./results.server";

export type AudienceLabel = { type: "all" } | { type: "segment"; name: string | null } | { type: "tags"; match: "any" | "all"; names: string[] };

/** Names only: the segments page's list counts every segment's friends, which the broadcasts pages do not need. */
function segmentNames(shop: string) {
  return db.segment.findMany({ where: { shop }, select: { id: true, name: true }, orderBy: { name: "asc" } });
}

async function shopTimeZone(shop: string) {
  return (await db.shop.findUnique({ where: { shop }, select: { timeZone: true } }))?.timeZone ?? "Asia/Tokyo";
}

async function audienceLabels(shop: string, broadcasts: Pick<Broadcast, "audience">[]): Promise<AudienceLabel[]> {
  const audiences = broadcasts.map((b) => b.audience as Audience);
  const tagIds = [...new Set(audiences.flatMap((a) => (a.type === "tags" ? a.tagIds : [])))];
  const [tags, segments] = await Promise.all([
    tagIds.length ? db.tag.findMany({ where: { shop, id: { in: tagIds } }, select: { id: true, name: true } }) : [],
    audiences.some((a) => a.type === "segment") ? segmentNames(shop) : [],
  ]);
  return audiences.map((audience): AudienceLabel => {
    if (audience.type === "all") return { type: "all" };
    if (audience.type === "segment") return { type: "segment", name: segments.find((s) => s.id === audience.segmentId)?.name ?? null };
    return { type: "tags", match: audience.match, names: audience.tagIds.map((id) => tags.find((t) => t.id === id)?.name ?? "?") };
  });
}

export async function listPage(shop: string) {
  const [broadcasts, accounts, timeZone] = await Promise.all([
    listBroadcasts(shop),
    db.lineAccount.count({ where: { shop, status: "connected" } }),
    shopTimeZone(shop),
  ]);
  const labels = await audienceLabels(shop, broadcasts);
  return {
    timeZone,
    hasAccount: accounts > 0,
    broadcasts: broadcasts.map((b, i) => ({
      id: b.id,
      name: b.name,
      status: b.status as BroadcastStatus,
      account: b.lineAccount.displayName,
      when: (b.startedAt ?? b.scheduledAt)?.toISOString() ?? null,
      audience: labels[i],
      recipients: b.recipients,
      batches: b.batches,
    })),
  };
}

export async function composerPage(shop: string, broadcast: Broadcast | null) {
  const [accounts, tags, segments, timeZone] = await Promise.all([
    db.lineAccount.findMany({ where: { shop, status: "connected" }, select: { id: true, displayName: true }, orderBy: { createdAt: "asc" } }),
    db.tag.findMany({ where: { shop }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
    segmentNames(shop),
    shopTimeZone(shop),
  ]);
  const accountId = broadcast?.lineAccountId ?? accounts[0]?.id ?? null;
  let summary: QuotaSummary | null = null;
  let audienceGone = false;
  if (broadcast) {
    try {
      summary = await quotaSummary(broadcast);
    } catch (error) {
      if (!(error instanceof AudienceGoneError)) throw error;
      audienceGone = true;
    }
  }
  const testers = accountId ? await listTesters(shop, accountId) : [];
  const scheduled = broadcast?.scheduledAt ? zonedWallClock(broadcast.scheduledAt, timeZone) : null;
  return {
    timeZone,
    accounts,
    tags,
    segments,
    testers: testers.map((t) => ({ id: t.id, name: t.displayName, canReceive: t.followStatus === "following" && !t.operatorBlockedAt })),
    summary,
    audienceGone,
    scheduled,
    broadcast: broadcast && {
      id: broadcast.id,
      name: broadcast.name,
      status: broadcast.status as BroadcastStatus,
      lineAccountId: broadcast.lineAccountId,
      audience: broadcast.audience as Audience,
      messages: broadcast.messages,
      utmParams: broadcast.utmParams,
      quietHours: broadcast.quietHours,
      quietStart: broadcast.quietStart,
      quietEnd: broadcast.quietEnd,
      overQuota: broadcast.overQuota as "refuse" | "fit",
      scheduledAt: broadcast.scheduledAt?.toISOString() ?? null,
    },
  };
}

export async function resultsPage(shop: string, broadcast: Broadcast) {
  const running = IN_PROGRESS.includes(broadcast.status as BroadcastStatus);
  const [progress, clicks, timeZone, [label], account, revenue] = await Promise.all([
    broadcastProgress(shop, broadcast.id),
    broadcastClicks(shop, broadcast.id),
    shopTimeZone(shop),
    audienceLabels(shop, [broadcast]),
    db.lineAccount.findUnique({ where: { id: broadcast.lineAccountId }, select: { displayName: true } }),
    broadcastRevenue(shop, broadcast.id),
  ]);
  // LINE's statistics are read once the send is over (and not on every refresh while it runs).
  const insight = running || !broadcast.startedAt ? null : await broadcastInsight(broadcast);
  return {
    timeZone,
    running,
    progress,
    clicks: clicks.map((c) => ({ code: c.code, targetUrl: c.targetUrl, clicks: c.clicks })),
    insight,
    revenue,
    broadcast: {
      id: broadcast.id,
      name: broadcast.name,
      status: broadcast.status as BroadcastStatus,
      account: account?.displayName ?? "",
      audience: label,
      recipients: broadcast.recipients,
      batches: broadcast.batches,
      audienceSize: broadcast.audienceSize,
      scheduledAt: broadcast.scheduledAt?.toISOString() ?? null,
      startedAt: broadcast.startedAt?.toISOString() ?? null,
      finishedAt: broadcast.finishedAt?.toISOString() ?? null,
      reason: broadcast.reason,
      detail: broadcast.detail,
    },
  };
}

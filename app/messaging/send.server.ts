// Sending deliveries: the rules, the quota, the channel's budget, the claim, LINE, the record. A batch takes one
// statement for each step whatever its size (a due burst of cart reminders sends hundreds at once), and one
// delivery is a batch of one: jobs (jobs/processors/delivery.ts, cart-reminder.ts) and senders whose caller waits
// for the result (staff chat, a test send, a reply) go the same way.
// Every attempt of a push or multicast carries the same X-Line-Retry-Key, derived from the row, so a retry after a
// timeout or a crash is a 409 at LINE, never a second message; no attempt is made once LINE has forgotten the key.
import type { LineAccount } from "@prisma/client";
import { db } from "../db.server";
import { expiringCache } from "../expiring-cache";
import { lineErrorMessage } from "../line/client.server";
import { spread, takeSlots } from "./budget.server";
import { claimDeliveries, whyNotClaimed, type ClaimRequest } from "./claim.server";
import { requestLine, type Accepted } from "./line-request.server";
import { markSent, markUnknowns, recordFailure, skipDeliveries, type DeliveryOutcome, type Skip } from "./outcomes.server";
import { ensureFreshQuota, forgetFreshness } from "./quota.server";
import { RETRY_KEY_WINDOW_MS } from "./retry-key";
import { judge, readUnderRules } from "./rules.server";

export { failDeliveries, failDelivery, markUnknown, UNKNOWN_OUTCOME, type DeliveryOutcome } from "./outcomes.server";

export type SendOptions = {
  /**
   * A delivery held back by its channel's budget for this second (before any request) waits for the next second here,
   * up to 3 times, when that is within this many ms, instead of coming back "throttled". 0 (the default): it comes
   * back at once. One that LINE answered 429 always comes back: its sender counts that attempt and waits the pause.
   */
  waitForBudgetMs?: number;
};

const WAITS = 3;
/** Requests of one batch in flight to LINE at once (over the fetch pool's keep-alive connections). */
const REQUESTS_IN_FLIGHT = 32;
const PENDING = new Set(["scheduled", "sending"]);

// The account (its credentials) is the same for every delivery of a burst; the rules read its status fresh.
const accounts = expiringCache(5_000, (id): Promise<LineAccount | null> => db.lineAccount.findUnique({ where: { id } }));

export async function sendDelivery(id: string): Promise<DeliveryOutcome> {
  return (await sendDeliveries([id]))[0];
}

/** Sends a batch of deliveries; returns their outcomes in input order. */
export async function sendDeliveries(ids: string[], options: SendOptions = {}): Promise<DeliveryOutcome[]> {
  const outcomes = new Map<string, DeliveryOutcome>();
  let pending = [...new Set(ids)];
  for (let waits = 0; pending.length; waits += 1) {
    const attempt = await attemptDeliveries(pending, true);
    const waiting: string[] = [];
    let until = 0;
    for (const [id, outcome] of attempt) {
      const wait = outcome.status === "throttled" && !outcome.requested ? outcome.until.getTime() - Date.now() : Infinity;
      if (waits < WAITS && wait < (options.waitForBudgetMs ?? 0)) {
        waiting.push(id);
        until = Math.max(until, (outcome as { until: Date }).until.getTime());
      } else {
        // Spread the retries of jobs sent back over the next second instead of all at its first millisecond.
        outcomes.set(id, outcome.status === "throttled" ? { ...outcome, until: spread(outcome.until) } : outcome);
      }
    }
    if (!waiting.length) break;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now())));
    pending = waiting;
  }
  return ids.map((id) => outcomes.get(id)!);
}

type Candidate = ClaimRequest & { account: LineAccount; recipients: string[] };

async function attemptDeliveries(ids: string[], mayAttemptAgain: boolean): Promise<Map<string, DeliveryOutcome>> {
  const outcomes = new Map<string, DeliveryOutcome>();
  const rows = await readUnderRules(ids);
  const now = new Date();
  const skips: Skip[] = [];
  const unknown: string[] = [];
  let candidates: Candidate[] = [];
  for (const id of ids) {
    const row = rows.get(id);
    if (!row || !PENDING.has(row.status)) {
      outcomes.set(id, { status: "not-pending", current: row?.status ?? "missing" });
      continue;
    }
    if (row.claimedAt && now.getTime() - row.claimedAt.getTime() > RETRY_KEY_WINDOW_MS) {
      unknown.push(id);
      continue;
    }
    const verdict = judge(row);
    if ("refusal" in verdict) {
      const excluded = row.channel === "multicast" && verdict.refusal === "no-recipients" ? row.recipients.length : 0;
      skips.push({ id, reason: verdict.refusal, excluded });
      continue;
    }
    const account = await accounts.get(row.lineAccountId);
    if (!account) {
      skips.push({ id, reason: "account-disconnected", excluded: 0 });
      continue;
    }
    const cost = row.channel === "reply" ? 0 : verdict.recipients.length;
    candidates.push({ row, account, recipients: verdict.recipients, excluded: verdict.excluded, cost });
  }
  merge(outcomes, await skipDeliveries(skips));
  merge(outcomes, await markUnknowns(unknown));

  candidates = await withFreshQuota(candidates, now, outcomes);
  const granted = await withBudget(candidates, outcomes);
  const claimed = await claimDeliveries(granted, now);

  const again: string[] = [];
  const refused: Skip[] = [];
  const windowPassed: string[] = [];
  const reasons = await whyNotClaimed(granted.filter((c) => !claimed.has(c.row.id)));
  for (const [id, why] of reasons) {
    if (why.why === "not-pending") outcomes.set(id, { status: "not-pending", current: why.current });
    else if (why.why === "window-passed") windowPassed.push(id);
    else if (why.why === "quota") refused.push({ id, reason: why.reason, excluded: 0 });
    else if (mayAttemptAgain) again.push(id);
    else {
      const reason = why.why === "ledger-missing" ? "quota ledger missing" : "quota ledger changed during the claim";
      outcomes.set(id, { status: "retry", reason, error: new Error(reason) });
    }
  }
  merge(outcomes, await skipDeliveries(refused));
  merge(outcomes, await markUnknowns(windowPassed));
  if (again.length) {
    // The ledger went away (the account was removed and added again) or moved under the batch: read it again.
    for (const id of again) forgetFreshness(rows.get(id)!.lineAccountId);
    merge(outcomes, await attemptDeliveries(again, false));
  }

  const sending = granted.filter((c) => claimed.has(c.row.id));
  const answers = await inFlight(sending, REQUESTS_IN_FLIGHT, async (c): Promise<Accepted | { error: unknown }> => {
    try {
      return await requestLine(c.account, {
        channel: c.row.channel,
        recipients: c.recipients,
        messagesJson: c.row.messagesJson,
        retryKey: claimed.get(c.row.id)!.retryKey,
        replyToken: c.row.replyToken,
        aggregationUnit: c.row.aggregationUnit,
      });
    } catch (error) {
      return { error };
    }
  });
  const sent: { id: string; requestId: string | null }[] = [];
  await Promise.all(
    sending.map(async (c, index) => {
      const answer = answers[index];
      if ("error" in answer) {
        outcomes.set(c.row.id, await recordFailure(c.row, claimed.get(c.row.id)!.quotaCost, answer.error));
        return;
      }
      sent.push({ id: c.row.id, requestId: answer.requestId });
      outcomes.set(c.row.id, { status: "sent", alreadyAccepted: answer.alreadyAccepted, requestId: answer.requestId, excluded: c.excluded });
    }),
  );
  await markSent(sent);
  return outcomes;
}

/** Before paid first claims: each account's ledger exists and LINE's figures in it are recent (once per account). */
async function withFreshQuota(candidates: Candidate[], now: Date, outcomes: Map<string, DeliveryOutcome>): Promise<Candidate[]> {
  const failed = new Map<string, unknown>();
  const paidFirst = new Map(candidates.filter((c) => c.cost > 0 && c.row.claimedAt === null).map((c) => [c.account.id, c.account]));
  for (const account of paidFirst.values()) {
    try {
      await ensureFreshQuota(account, now);
    } catch (error) {
      failed.set(account.id, error);
    }
  }
  if (!failed.size) return candidates;
  return candidates.filter((c) => {
    const error = failed.get(c.account.id);
    if (!error || c.cost === 0 || c.row.claimedAt !== null) return true;
    outcomes.set(c.row.id, { status: "retry", reason: `quota: ${lineErrorMessage(error)}`, error });
    return false;
  });
}

/** Takes the batch's requests from each channel's budget at once; those beyond it wait (replies are not budgeted). */
async function withBudget(candidates: Candidate[], outcomes: Map<string, DeliveryOutcome>): Promise<Candidate[]> {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const key = c.row.channel === "reply" ? "reply" : `${c.account.id}:${c.row.channel}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const granted: Candidate[] = [];
  for (const [key, group] of groups) {
    if (key === "reply") {
      granted.push(...group);
      continue;
    }
    const channel = group[0].row.channel as "push" | "multicast";
    const slots = await takeSlots(group[0].account.id, channel, group.length);
    granted.push(...group.slice(0, slots.granted));
    for (const c of group.slice(slots.granted)) outcomes.set(c.row.id, { status: "throttled", until: slots.retryAt!, requested: false });
  }
  return granted;
}

/** `work` over the items with at most `limit` running at once; results in input order. */
async function inFlight<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

function merge(into: Map<string, DeliveryOutcome>, from: Map<string, DeliveryOutcome>) {
  for (const [id, outcome] of from) into.set(id, outcome);
}

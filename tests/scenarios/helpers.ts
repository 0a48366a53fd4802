// Shared set-up of the step scenario tests: a shop with a connected account on the LINE fake, friends, scenarios
// saved through the domain API, ticks of the engine at a chosen instant, and the pipeline sending what it queued.
import { db } from "~/db.server";
import { sendDeliveries } from "~/messaging/send.server";
import { processDueBatch, recoverQuotaHeld } from "~/scenarios/engine.server";
import { saveScenario } from "~/scenarios/scenarios.server";
import type { ScenarioInput, StepInput } from "~/scenarios/model";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";

export type Setup = Awaited<ReturnType<typeof setUp>>;

export async function setUp(options: { timeZone?: string } = {}) {
  const shop = (await createShop(db, { timeZone: options.timeZone ?? "Asia/Tokyo" })).shop;
  const { account, channel } = await connectedAccount(db, shop, { accessToken: true });
  return { shop, account, channel };
}

export function friendOf(setup: Setup, overrides: Partial<{ followStatus: string; displayName: string | null; shopifyCustomerId: string | null; operatorBlockedAt: Date | null }> = {}) {
  return db.friend.create({
    data: { shop: setup.shop, lineAccountId: setup.account.id, lineUserId: lineUserId(), followStatus: "following", displayName: "Aiko", ...overrides },
  });
}

export const text = (value: string) => [{ type: "text" as const, text: value }];

export function step(delay: StepInput["delay"], message: string, extra: Partial<StepInput> = {}): StepInput {
  return { delay, messages: text(message), ...extra };
}

export const after = (amount: number, unit: "minutes" | "hours" | "days" = "minutes", from: "previous" | "start" = "previous") =>
  ({ kind: "after", amount, unit, from }) as const;

export async function scenarioOf(setup: Setup, input: Partial<ScenarioInput> & { steps: StepInput[] }) {
  const saved = await saveScenario(setup.shop, null, {
    name: "Welcome",
    lineAccountId: setup.account.id,
    status: "on",
    trigger: { type: "manual" },
    quietHours: false,
    ...input,
  });
  if ("errors" in saved) throw new Error(JSON.stringify(saved.errors));
  return saved.scenario;
}

/** The pipeline sends what is due by `now` (the engine takes runs due within a few seconds, their deliveries due at the step's time). */
async function sendDue(now: Date) {
  const scheduled = await db.delivery.findMany({ where: { kind: "step", status: "scheduled", dueAt: { lte: now } }, select: { id: true } });
  if (scheduled.length) await sendDeliveries(scheduled.map((d) => d.id));
}

/** At `now`: what came due since the last tick is sent, the engine runs until no due run is left, what is due is sent. */
export async function tick(now: Date) {
  await sendDue(now);
  await recoverQuotaHeld(now);
  for (;;) {
    const result = await processDueBatch(now);
    if (result.claimed === 0) break;
  }
  await sendDue(now);
}

/** The texts each LINE user received by push, in order. */
export function received(setup: Setup): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  for (const d of lineFake().sent(setup.channel.channelId)) {
    if (d.kind !== "push") continue;
    const texts = (d.messages as { type: string; text?: string }[]).map((m) => m.text ?? m.type);
    byUser.set(d.to[0], [...(byUser.get(d.to[0]) ?? []), ...texts]);
  }
  return byUser;
}

export const textsOf = (setup: Setup, friend: { lineUserId: string }) => received(setup).get(friend.lineUserId) ?? [];

export const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

export function runsOf(scenarioId: string) {
  return db.scenarioRun.findMany({ where: { scenarioId }, orderBy: { createdAt: "asc" } });
}

// Real worker processes run the step engine's ticks (the job scheduler) and the sends; one is killed (SIGKILL) in
// the middle of a burst of due steps, with pushes held at LINE: the next worker finishes, and every friend gets
// every step exactly once (a push in flight is retried with its run step's retry key and LINE answers 409). On a
// busy machine a worker may also miss renewing its jobs' locks, so a job stalls a second time and BullMQ fails it:
// the delivery is then queued again, not failed (a failed one here was a step never sent).
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startScenarioForSegment } from "~/scenarios/scenarios.server";
import { lineFake } from "../support/line";
import { waitUntil } from "../support/worker";
import { workerProcesses } from "../support/worker-process";
import { after, received, scenarioOf, setUp, step } from "./helpers";

const worker = workerProcesses();
const FRIENDS = 1_500;

describe("a worker killed in the middle of a burst of due steps", () => {
  it("resumes on the next worker with no duplicate and no missing step", async () => {
    const setup = await setUp();
    await db.friend.createMany({
      data: Array.from({ length: FRIENDS }, (_, i) => ({ shop: setup.shop, lineAccountId: setup.account.id, lineUserId: `U${String(i).padStart(32, "0")}`, followStatus: "following" })),
    });
    const segment = await db.segment.create({ data: { shop: setup.shop, name: "everyone", definition: { match: "all", groups: [] } } });
    const scenario = await scenarioOf(setup, { steps: [step(after(0), "one"), step(after(0), "two")] });
    // 300 pushes a second; the first 60 pushes are held 3 s each by LINE before LINE takes them (a worker has 20
    // push jobs in flight at once).
    lineFake().delayNext(60, 3_000, { path: "/v2/bot/message/push" });
    const budget = { LINE_PUSH_PER_SECOND: "300" };
    const first = await worker.start(budget);
    expect(await startScenarioForSegment(setup.shop, scenario.id, segment.id)).toEqual({ started: FRIENDS });
    await waitUntil(() => Promise.resolve(lineFake().heldRequests() >= 10), 60_000);
    await worker.kill(first);

    await worker.start(budget);
    await waitUntil(async () => (await db.scenarioRun.count({ where: { scenarioId: scenario.id, status: "finished" } })) === FRIENDS, 150_000, 250);
    await waitUntil(async () => (await db.delivery.count({ where: { shop: setup.shop, kind: "step", status: { in: ["scheduled", "sending"] } } })) === 0, 120_000, 250);
    // The requests the killed worker left held at LINE are answered before LINE's record is read.
    await waitUntil(() => Promise.resolve(lineFake().heldRequests() === 0), 30_000);

    const byUser = received(setup);
    expect(byUser.size).toBe(FRIENDS);
    // Each step once. Not necessarily in order: a step whose job was with the killed worker waits for BullMQ to
    // find it stalled, while the next step (due the same second) may already go from the new worker.
    for (const texts of byUser.values()) expect([...texts].sort()).toEqual(["one", "two"]);
    const statuses = await db.delivery.groupBy({ by: ["status"], where: { shop: setup.shop, kind: "step" }, _count: { _all: true } });
    expect(statuses).toEqual([{ status: "sent", _count: { _all: FRIENDS * 2 } }]);
    expect(await db.scenarioRunStep.count({ where: { shop: setup.shop, status: "queued" } })).toBe(FRIENDS * 2);
    // Pushes on their way when the worker died were sent again with their keys: LINE took each once.
    expect(lineFake().requests.filter((r) => r.path === "/v2/bot/message/push" && r.status === 409).length).toBeGreaterThan(0);
  }, 300_000);
});

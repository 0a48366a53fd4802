// The per-channel push budget in Redis: LINE's rate limit is per channel, so is ours.
import { describe, expect, it } from "vitest";
import { pauseChannel, takePushSlot } from "~/line/push-budget.server";

describe("takePushSlot", () => {
  it("lets a channel push up to its limit in a second, then points at the next second; other channels are not counted", async () => {
    const now = Date.UTC(2026, 10, 21, 9, 0, 0, 250);
    const [a, b] = [`budget-a-${now}-${Math.random()}`, `budget-b-${now}-${Math.random()}`];
    expect(await takePushSlot(a, 2, now)).toBeNull();
    expect(await takePushSlot(a, 2, now + 100)).toBeNull();
    const wait = await takePushSlot(a, 2, now + 200);
    expect(wait!.getTime()).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 21, 9, 0, 1));
    expect(wait!.getTime()).toBeLessThan(Date.UTC(2026, 10, 21, 9, 0, 1, 200));
    expect(await takePushSlot(b, 2, now + 200)).toBeNull();
    expect(await takePushSlot(a, 2, now + 1_000)).toBeNull(); // a new second, a new budget
  });

  it("holds a channel paused after a 429 for the pause, and only that channel", async () => {
    const [a, b] = [`pause-a-${Math.random()}`, `pause-b-${Math.random()}`];
    // A pause far longer than any delay between these lines, so the check holds however busy the machine is.
    await pauseChannel(a, 600_000);
    const now = Date.now();
    const wait = await takePushSlot(a, 100, now);
    expect(wait!.getTime()).toBeGreaterThan(now);
    expect(wait!.getTime() - now).toBeLessThanOrEqual(600_000);
    expect(await takePushSlot(b, 100, now)).toBeNull();
  });
});

// Per-channel budgets in Redis, kept per (account, endpoint): LINE's limits are per channel and per endpoint, and
// so are ours; a 429 pauses that account's endpoint only.
import { beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { pauseEndpoint, takeSlot } from "~/messaging/budget.server";
import { recordDeliveries } from "~/messaging/deliveries.server";
import { sendDelivery } from "~/messaging/send.server";
import { textMessages } from "~/messaging/types";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";

describe("takeSlot", () => {
  it("lets a channel's endpoint send up to its limit in a second, then points at the next second; others are not counted", async () => {
    const now = Date.UTC(2026, 10, 21, 9, 0, 0, 250);
    const [a, b] = [`budget-a-${now}-${Math.random()}`, `budget-b-${now}-${Math.random()}`];
    expect(await takeSlot(a, "push", 2, now)).toBeNull();
    expect(await takeSlot(a, "push", 2, now + 100)).toBeNull();
    const wait = await takeSlot(a, "push", 2, now + 200);
    expect(wait!.getTime()).toBeGreaterThanOrEqual(Date.UTC(2026, 10, 21, 9, 0, 1));
    expect(wait!.getTime()).toBeLessThan(Date.UTC(2026, 10, 21, 9, 0, 1, 200));
    expect(await takeSlot(a, "multicast", 2, now + 200)).toBeNull(); // the same channel's other endpoint
    expect(await takeSlot(b, "push", 2, now + 200)).toBeNull(); // another channel
    expect(await takeSlot(a, "push", 2, now + 1_000)).toBeNull(); // a new second, a new budget
  });

  it("holds a channel's endpoint paused after a 429 for the pause, and only that one", async () => {
    const [a, b] = [`pause-a-${Math.random()}`, `pause-b-${Math.random()}`];
    // A pause far longer than any delay between these lines, so the check holds however busy the machine is.
    await pauseEndpoint(a, "multicast", 600_000);
    const now = Date.now();
    const wait = await takeSlot(a, "multicast", 100, now);
    expect(wait!.getTime()).toBeGreaterThan(now);
    expect(wait!.getTime() - now).toBeLessThanOrEqual(600_000);
    expect(await takeSlot(a, "push", 100, now)).toBeNull();
    expect(await takeSlot(b, "multicast", 100, now)).toBeNull();
  });
});

describe("a 429 from LINE", () => {
  beforeEach(() => lineFake().reset());

  async function account() {
    const { shop } = await createShop(db);
    const connected = await connectedAccount(db, shop);
    const friends = await Promise.all(
      [1, 2, 3].map(() => db.friend.create({ data: { shop, lineAccountId: connected.account.id, lineUserId: lineUserId(), followStatus: "following" } })),
    );
    const to = friends.map((f) => f.lineUserId);
    const record = async (channel: "push" | "multicast") =>
      (await recordDeliveries([{ shop, lineAccountId: connected.account.id, kind: "test", channel, sourceId: "s", recipients: channel === "push" ? to.slice(0, 1) : to, messages: textMessages(["x"]) }]))[0].id;
    return { ...connected, record };
  }

  it("on one account's multicast pauses only that: its push and another account's multicast go on", async () => {
    const [a, b] = [await account(), await account()];
    const throttledMulticast = await a.record("multicast");
    lineFake().failNext(1, { status: 429, path: "/v2/bot/message/multicast" });
    expect(await sendDelivery(throttledMulticast)).toMatchObject({ status: "throttled" });
    expect(await db.delivery.findUniqueOrThrow({ where: { id: throttledMulticast } })).toMatchObject({ status: "sending", errorStatus: 429 });

    // The pause holds a's next multicast back without asking LINE…
    expect(await sendDelivery(await a.record("multicast"))).toMatchObject({ status: "throttled" });
    // …while a's push and b's multicast are sent.
    expect(await sendDelivery(await a.record("push"))).toMatchObject({ status: "sent" });
    expect(await sendDelivery(await b.record("multicast"))).toMatchObject({ status: "sent" });
    // (A fault the fake injects answers before it reads the token, so only the path tells the 429 apart.)
    const sends = lineFake().requests.filter((r) => /push|multicast$/.test(r.path)).map((r) => [r.path, r.status]);
    expect(sends).toEqual([
      ["/v2/bot/message/multicast", 429],
      ["/v2/bot/message/push", 200],
      ["/v2/bot/message/multicast", 200],
    ]);
    expect(lineFake().sent().map((d) => [d.channelId, d.kind])).toEqual([
      [a.channel.channelId, "push"],
      [b.channel.channelId, "multicast"],
    ]);
  });
});

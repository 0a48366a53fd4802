// A delivery job that BullMQ fails because its lock lapsed twice (a worker killed, then a worker too busy to renew
// its locks, or killed again) got no answer from LINE: the delivery is queued again with its retry key, never
// marked failed. Failing it lost the message when no attempt had reached LINE (a step or a broadcast batch missing
// after a worker was killed on a loaded machine), and recorded "failed" when one had.
import { UnrecoverableError, type Job } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { createDeliveries } from "~/messaging/deliveries.server";
import { textMessages } from "~/messaging/types";
import { recordDeliveryFailure } from "../../jobs/processors/delivery";
import { deliveryJobId, deliveryQueue, type DeliveryJob } from "../../jobs/queues";
import { createShop, lineUserId } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { waitUntil, withWorkers } from "../support/worker";

afterEach(async () => {
  await deliveryQueue("push").obliterate({ force: true });
});

async function claimedPush(text: string) {
  const { shop } = await createShop(db);
  const { account, channel } = await connectedAccount(db, shop);
  const friend = await db.friend.create({ data: { shop, lineAccountId: account.id, lineUserId: lineUserId(), followStatus: "following" } });
  const [id] = await createDeliveries([
    { shop, lineAccountId: account.id, kind: "test", channel: "push", sourceId: "s", recipients: [friend.lineUserId], messages: textMessages([text]) },
  ]);
  // A worker claimed it and died before its request left; BullMQ then failed the job for stalling.
  await deliveryQueue("push").obliterate({ force: true });
  await db.delivery.update({ where: { id }, data: { status: "sending", claimedAt: new Date(), attempts: 1 } });
  const job = { data: { deliveryId: id }, finishedOn: Date.now(), attemptsMade: 1, queueName: "deliveries-push" } as unknown as Job<DeliveryJob>;
  return { id, job, channel };
}

describe("a delivery job failed by BullMQ", () => {
  it("for stalling: the delivery is queued again and sent once", async () => {
    const { id, job, channel } = await claimedPush("stalled");
    await recordDeliveryFailure(job, new UnrecoverableError("job stalled more than allowable limit"));
    expect(await db.delivery.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "sending" });
    expect(await deliveryQueue("push").getJobState(deliveryJobId(id))).not.toBe("unknown");

    await withWorkers(() => waitUntil(async () => (await db.delivery.findUniqueOrThrow({ where: { id } })).status === "sent", 30_000));
    expect(lineFake().sent(channel.channelId).map((d) => d.messages)).toEqual([[{ type: "text", text: "stalled" }]]);
  }, 60_000);

  it("for its own error after its attempts: the delivery is failed with the reason", async () => {
    const { id, job } = await claimedPush("gave up");
    await recordDeliveryFailure(job, new Error("socket hang up"));
    expect(await db.delivery.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: "failed", reason: "gave up after 1 attempts: socket hang up" });
  });
});

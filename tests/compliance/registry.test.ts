// Every table must have a compliance policy, and a table whose fields look like shopper data must
// say how it is redacted and exported. Adding a model without registering it fails here.
import { Prisma } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { redactCustomer } from "~/compliance/compliance.server";
import { dataPolicies, holdsShopperData } from "~/compliance/registry.server";
import { db } from "~/db.server";
import { createFriend, createLineAccount, createShop } from "../support/factories";

const SHOPPER_FIELD = /customer|email|phone|lineUserId|displayName|firstName|lastName|address|payload|profile|picture/i;
const models = Prisma.dmmf.datamodel.models;

describe("compliance registry", () => {
  it("has exactly one policy for every model in the schema", () => {
    const registered = dataPolicies.map((policy) => policy.model).sort();
    expect(registered).toEqual(models.map((model) => model.name).sort());
  });

  it("redacts and exports every model with shopper-like fields, unless it says why not", () => {
    for (const model of models) {
      const suspicious = model.fields.filter((field) => SHOPPER_FIELD.test(field.name)).map((field) => field.name);
      if (!suspicious.length) continue;
      const policy = dataPolicies.find((entry) => entry.model === model.name)!;
      const explained = !holdsShopperData(policy) && policy.noShopperData.length > 10;
      expect(holdsShopperData(policy) || explained, `${model.name} (${suspicious.join(", ")})`).toBe(true);
    }
  });

  it("deletes children before the tables they reference", async () => {
    // The foreign keys as PostgreSQL enforces them (the client's runtime DMMF carries no relation columns).
    const references = await db.$queryRaw<{ child: string; parent: string }[]>`
      SELECT c.relname::text AS child, p.relname::text AS parent
      FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
      WHERE k.contype = 'f' AND c.relnamespace = 'public'::regnamespace`;
    expect(references.length).toBeGreaterThan(10);
    const order = dataPolicies.map((policy) => policy.model as string);
    for (const { child, parent } of references) {
      expect(order.indexOf(child), `${child} before ${parent}`).toBeGreaterThanOrEqual(0);
      expect(order.indexOf(child), `${child} before ${parent}`).toBeLessThan(order.indexOf(parent));
    }
  });
});

// One row of every table holding shopper data, tied to one customer of one shop (through their friend, their
// customer id, their LINE user id or a payload naming them). A table added to the registry needs a seed here.
type Seeded = { shop: string; customerId: string; lineAccountId: string; friendId: string; lineUserId: string };
const seeds: Record<string, (s: Seeded) => Promise<unknown>> = {
  Friend: async () => {}, // the friend every other seed hangs off
  Message: (s) => messageOf(s),
  MessageContent: async (s) => {
    const message = await messageOf(s);
    await db.messageContent.create({ data: { messageId: message.id, shop: s.shop, lineAccountId: s.lineAccountId, status: "stored", contentType: "image/png", bytes: Buffer.from(s.customerId), size: 4 } });
  },
  Conversation: (s) => db.conversation.create({ data: { friendId: s.friendId, shop: s.shop, lineAccountId: s.lineAccountId, lastReadAt: new Date() } }),
  FriendTag: async (s) => {
    const tag = await db.tag.upsert({ where: { shop_name: { shop: s.shop, name: "VIP" } }, create: { shop: s.shop, name: "VIP" }, update: {} });
    await db.friendTag.create({ data: { shop: s.shop, friendId: s.friendId, tagId: tag.id } });
  },
  Checkout: (s) => checkoutOf(s),
  CartReminder: (s) => reminderOf(s),
  ReminderLink: async (s) => {
    const reminder = await reminderOf(s);
    await db.reminderLink.create({ data: { code: `rl${s.customerId}`, shop: s.shop, reminderId: reminder.id, targetUrl: `https://${s.shop}/cart`, kind: "recovery" } });
  },
  TrackingClick: async (s) => db.trackingClick.create({ data: { shop: s.shop, trackingLinkId: (await linkOf(s)).id, params: { gclid: s.customerId }, friendId: s.friendId } }),
  FriendSource: (s) => sourceOf(s),
  PostbackDelivery: async (s) =>
    db.postbackDelivery.create({ data: { shop: s.shop, friendSourceId: (await sourceOf(s)).id, url: `https://ads.example/cv?uid=${s.lineUserId}`, method: "GET" } }),
  CartLink: (s) => db.cartLink.create({ data: { shop: s.shop, lineAccountId: s.lineAccountId, friendId: s.friendId, cartToken: `cart-${s.customerId}` } }),
  LinkIntent: (s) =>
    db.linkIntent.create({ data: { id: `intent-${s.customerId}`, shop: s.shop, lineAccountId: s.lineAccountId, customerId: s.customerId, expiresAt: new Date() } }),
  Order: (s) => orderOf(s),
  LineEvent: (s) =>
    db.lineEvent.create({
      data: { shop: s.shop, lineAccountId: s.lineAccountId, webhookEventId: `ev-${s.customerId}`, type: "message", lineUserId: s.lineUserId, occurredAt: new Date(), payload: { text: "hi" } },
    }),
  WebhookReceipt: (s) =>
    db.webhookReceipt.create({
      data: { shop: s.shop, topic: "ORDERS_CREATE", dedupeKey: `o-${s.customerId}`, webhookId: `o-${s.customerId}`, payload: { customer: { id: Number(s.customerId) } } },
    }),
  Delivery: (s) =>
    db.delivery.create({
      data: { shop: s.shop, lineAccountId: s.lineAccountId, kind: "chat", channel: "push", sourceId: `m${s.customerId}`, recipients: [s.lineUserId], friendId: s.friendId, messages: [{ type: "text", text: "hi" }], dueAt: new Date() },
    }),
  Customer: (s) => customerOf(s),
  CustomerSpend: async (s) =>
    db.customerSpend.create({ data: { shop: s.shop, customerRef: (await customerOf(s)).id, currency: "JPY", totalSpent: 1200, orders: 1 } }),
  OrderLine: async (s) =>
    db.orderLine.create({ data: { shop: s.shop, orderRef: (await orderOf(s)).id, productId: "1", variantId: "2", title: "Tee", quantity: 1 } }),
  OrderAttribution: async (s) =>
    db.orderAttribution.create({
      data: { shop: s.shop, orderRef: (await orderOf(s)).id, friendId: s.friendId, kind: "broadcast", sourceId: "b1", rule: "send", touchedAt: new Date(), currency: "JPY", revenue: 1200 },
    }),
  LinkClick: (s) => db.linkClick.create({ data: { shop: s.shop, friendId: s.friendId, kind: "step", sourceId: "st1" } }),
  MessageLink: (s) =>
    db.messageLink.create({ data: { code: `ml${s.customerId}`, shop: s.shop, kind: "step", sourceId: "st1", friendId: s.friendId, targetUrl: `https://${s.shop}/` } }),
  ScenarioRun: (s) => runOf(s),
  ScenarioRunStep: async (s) =>
    db.scenarioRunStep.create({ data: { shop: s.shop, runId: (await runOf(s)).id, stepId: "st1", status: "sent", dueAt: new Date() } }),
  FriendRichMenu: (s) => db.friendRichMenu.create({ data: { friendId: s.friendId, shop: s.shop, lineAccountId: s.lineAccountId, reason: "default" } }),
  FormAnswer: async (s) =>
    db.formAnswer.create({ data: { shop: s.shop, formId: (await formOf(s)).id, lineAccountId: s.lineAccountId, friendId: s.friendId, values: { name: `Name ${s.customerId}` } } }),
  Notification: async (s) => {
    const member = await db.staffMember.create({ data: { shop: s.shop, name: "Staff" } });
    const channel = await db.staffChannel.create({ data: { shop: s.shop, staffMemberId: member.id, type: "slack", events: ["newMessage"] } });
    await db.notification.create({ data: { shop: s.shop, channelId: channel.id, event: "newMessage", payload: { type: "newMessage", friendId: s.friendId, messageId: "m1" } } });
  },
  CustomerDataExport: (s) => db.customerDataExport.create({ data: { shop: s.shop, customerId: s.customerId, dataRequestId: "1", data: {} } }),
};

// Parents several seeds share, created once per customer.
async function messageOf(s: Seeded) {
  const existing = await db.message.findFirst({ where: { friendId: s.friendId } });
  return existing ?? db.message.create({ data: { shop: s.shop, lineAccountId: s.lineAccountId, friendId: s.friendId, direction: "in", kind: "text", text: `hi from ${s.customerId}` } });
}


async function formOf(s: Seeded) {
  return (
    (await db.form.findFirst({ where: { shop: s.shop } })) ??
    db.form.create({ data: { shop: s.shop, lineAccountId: s.lineAccountId, title: "Survey", fields: [] } })
  );
}

async function customerOf(s: Seeded) {
  return (
    (await db.customer.findUnique({ where: { shop_customerId: { shop: s.shop, customerId: s.customerId } } })) ??
    db.customer.create({ data: { shop: s.shop, customerId: s.customerId, firstName: `First${s.customerId}`, hasEmail: true } })
  );
}

async function orderOf(s: Seeded) {
  const orderId = `o${s.customerId}`;
  return (
    (await db.order.findUnique({ where: { shop_orderId: { shop: s.shop, orderId } } })) ??
    db.order.create({ data: { shop: s.shop, orderId, customerId: s.customerId, currency: "JPY", totalPrice: 1200, processedAt: new Date() } })
  );
}

async function runOf(s: Seeded) {
  const scenario =
    (await db.scenario.findFirst({ where: { shop: s.shop, lineAccountId: s.lineAccountId } })) ??
    (await db.scenario.create({ data: { shop: s.shop, lineAccountId: s.lineAccountId, name: "Welcome", trigger: { type: "follow" } } }));
  return (
    (await db.scenarioRun.findFirst({ where: { scenarioId: scenario.id, friendId: s.friendId } })) ??
    db.scenarioRun.create({ data: { shop: s.shop, scenarioId: scenario.id, friendId: s.friendId, startedBy: "follow" } })
  );
}
async function checkoutOf(s: Seeded) {
  const token = `chk-${s.customerId}`;
  return (
    (await db.checkout.findUnique({ where: { shop_token: { shop: s.shop, token } } })) ??
    db.checkout.create({
      data: { shop: s.shop, token, customerId: s.customerId, currency: "JPY", totalPrice: 1200, lineItems: [], startedAt: new Date(), shopifyUpdatedAt: new Date() },
    })
  );
}

async function reminderOf(s: Seeded) {
  const checkout = await checkoutOf(s);
  return (
    (await db.cartReminder.findFirst({ where: { checkoutId: checkout.id } })) ??
    db.cartReminder.create({
      data: { shop: s.shop, lineAccountId: s.lineAccountId, checkoutId: checkout.id, friendId: s.friendId, matchedBy: "customer", dueAt: new Date(), retryKey: `rk-${s.customerId}` },
    })
  );
}

async function linkOf(s: Seeded) {
  const code = `tl${s.customerId}`;
  return (
    (await db.trackingLink.findUnique({ where: { code } })) ??
    db.trackingLink.create({ data: { shop: s.shop, lineAccountId: s.lineAccountId, code, name: "Ad", tagNames: [] } })
  );
}

async function sourceOf(s: Seeded) {
  const link = await linkOf(s);
  return (
    (await db.friendSource.findUnique({ where: { friendId_trackingLinkId: { friendId: s.friendId, trackingLinkId: link.id } } })) ??
    db.friendSource.create({ data: { shop: s.shop, friendId: s.friendId, trackingLinkId: link.id, params: {} } })
  );
}

describe("every policy over real rows", () => {
  const SHOP = "registry.myshopify.com";
  const holding = dataPolicies.filter(holdsShopperData);

  async function customer(customerId: string): Promise<Seeded> {
    const account = await db.lineAccount.findFirstOrThrow({ where: { shop: SHOP } });
    const friend = await createFriend(db, account, { shopifyCustomerId: customerId });
    const seeded = { shop: SHOP, customerId, lineAccountId: account.id, friendId: friend.id, lineUserId: friend.lineUserId };
    for (const policy of holding) await seeds[policy.model](seeded);
    return seeded;
  }

  const ref = (s: Seeded) => ({ shop: s.shop, customerId: s.customerId });
  const exportOf = (policy: (typeof holding)[number], s: Seeded) =>
    db.$transaction((tx) => policy.exportCustomer(tx, ref(s))) as Promise<unknown[]>;

  beforeAll(async () => {
    await createShop(db, { shop: SHOP });
    await createLineAccount(db, SHOP);
  });

  it("has a seed for every policy that holds shopper data", () => {
    expect(Object.keys(seeds).sort()).toEqual(holding.map((policy) => policy.model).sort());
  });

  it("exports the customer's row of every table, and not another customer's", async () => {
    const hanako = await customer("8001");
    const taro = await customer("8002");
    for (const policy of holding) {
      expect(await exportOf(policy, hanako), policy.model).toHaveLength(1);
      expect(await exportOf(policy, taro), policy.model).toHaveLength(1);
    }
  });

  it("redacts the customer's row of every table, and not another customer's", async () => {
    const hanako = await customer("8101");
    const taro = await customer("8102");
    await redactCustomer(ref(hanako));
    for (const policy of holding) {
      expect(await exportOf(policy, hanako), policy.model).toHaveLength(0);
      expect(await exportOf(policy, taro), policy.model).toHaveLength(1);
    }
    expect(await db.friend.findUnique({ where: { id: hanako.friendId } })).toBeNull();
  });
});

import { Prisma } from "@prisma/client";
import type { DataPolicy } from "./types";

/**
 * Receipts whose payload names the customer: checkouts, orders and the compliance topics carry `customer`;
 * customers/create|update|delete are the customer.
 */
function receiptsOf(customer: { shop: string; customerId: string; email?: string | null }) {
  return Prisma.sql`
    shop = ${customer.shop} AND payload IS NOT NULL AND (
      payload->'customer'->>'id' = ${customer.customerId}
      OR (topic IN ('CUSTOMERS_CREATE', 'CUSTOMERS_UPDATE', 'CUSTOMERS_DELETE') AND payload->>'id' = ${customer.customerId})
      OR (${customer.email ?? null}::text IS NOT NULL AND lower(payload->>'email') = lower(${customer.email ?? null}))
    )`;
}

/** The customer's friends (LINE users linked to the Shopify customer) across the shop's accounts. */
const customerFriends = (c: { shop: string; customerId: string }) => ({ shop: c.shop, shopifyCustomerId: c.customerId });

// Children before parents: shop/redact deletes in this order, and customers/redact runs in it too (so the
// friend rows that tie everything else to the customer go last).
export const dataPolicyList: DataPolicy[] = [
  {
    model: "Delivery",
    deleteShop: (tx, shop) => tx.delivery.deleteMany({ where: { shop } }),
    // A push or reply to one of the customer's friends goes; a multicast batch loses their LINE user ids only, so
    // the counts of a broadcast sent to many stay whole.
    redactCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true, lineUserId: true } });
      if (!friends.length) return;
      const userIds = friends.map((friend) => friend.lineUserId);
      await tx.delivery.deleteMany({ where: { shop: c.shop, friendId: { in: friends.map((friend) => friend.id) } } });
      await tx.$executeRaw`
        UPDATE "Delivery" SET recipients = ARRAY(SELECT r FROM unnest(recipients) r WHERE r <> ALL(${userIds}::text[]))
        WHERE shop = ${c.shop} AND recipients && ${userIds}::text[]`;
    },
    exportCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { lineUserId: true } });
      if (!friends.length) return [];
      return tx.delivery.findMany({
        where: { shop: c.shop, recipients: { hasSome: friends.map((friend) => friend.lineUserId) } },
        select: { kind: true, channel: true, status: true, messages: true, sentAt: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      });
    },
  },
  {
    model: "LineQuota",
    deleteShop: (tx, shop) => tx.lineQuota.deleteMany({ where: { shop } }),
    noShopperData: "the account's monthly message counts",
  },
  {
    model: "QuotaCheck",
    deleteShop: (tx, shop) => tx.quotaCheck.deleteMany({ where: { shop } }),
    noShopperData: "the account's daily quota figures and what staff were told",
  },
  {
    model: "SavedReply",
    deleteShop: (tx, shop) => tx.savedReply.deleteMany({ where: { shop } }),
    noShopperData: "reply templates staff wrote, about no one in particular",
  },
  {
    model: "MessageContent",
    deleteShop: (tx, shop) => tx.messageContent.deleteMany({ where: { shop } }),
    // Images a friend sent: theirs. Exported as type and size (the bytes themselves expire within days).
    redactCustomer: (tx, c) => tx.messageContent.deleteMany({ where: { shop: c.shop, message: { friend: customerFriends(c) } } }),
    exportCustomer: (tx, c) =>
      tx.messageContent.findMany({
        where: { shop: c.shop, message: { friend: customerFriends(c) } },
        select: { messageId: true, contentType: true, size: true, fetchedAt: true, expiresAt: true },
        orderBy: { createdAt: "asc" },
      }),
  },
  {
    model: "Conversation",
    deleteShop: (tx, shop) => tx.conversation.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.conversation.deleteMany({ where: { shop: c.shop, friend: customerFriends(c) } }),
    exportCustomer: (tx, c) =>
      tx.conversation.findMany({
        where: { shop: c.shop, friend: customerFriends(c) },
        select: { lastReadAt: true, assigneeName: true, assignedAt: true },
      }),
  },
  {
    model: "Message",
    deleteShop: (tx, shop) => tx.message.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.message.deleteMany({ where: { shop: c.shop, friend: customerFriends(c) } }),
    exportCustomer: (tx, c) =>
      tx.message.findMany({
        where: { shop: c.shop, friend: customerFriends(c) },
        select: { direction: true, kind: true, text: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      }),
  },
  {
    model: "FriendTag",
    deleteShop: (tx, shop) => tx.friendTag.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.friendTag.deleteMany({ where: { shop: c.shop, friend: customerFriends(c) } }),
    exportCustomer: (tx, c) =>
      tx.friendTag.findMany({
        where: { shop: c.shop, friend: customerFriends(c) },
        select: { tag: { select: { name: true } }, source: true, createdAt: true },
      }),
  },
  {
    model: "ReminderLink",
    deleteShop: (tx, shop) => tx.reminderLink.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) =>
      tx.reminderLink.deleteMany({
        where: { shop: c.shop, reminder: { OR: [{ friend: customerFriends(c) }, { checkout: { customerId: c.customerId } }] } },
      }),
    exportCustomer: (tx, c) =>
      tx.reminderLink.findMany({
        where: { shop: c.shop, reminder: { OR: [{ friend: customerFriends(c) }, { checkout: { customerId: c.customerId } }] } },
        select: { targetUrl: true, kind: true, clicks: true, createdAt: true },
      }),
  },
  {
    model: "CartReminder",
    deleteShop: (tx, shop) => tx.cartReminder.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) =>
      tx.cartReminder.deleteMany({
        where: { shop: c.shop, OR: [{ friend: customerFriends(c) }, { checkout: { customerId: c.customerId } }] },
      }),
    exportCustomer: (tx, c) =>
      tx.cartReminder.findMany({
        where: { shop: c.shop, OR: [{ friend: customerFriends(c) }, { checkout: { customerId: c.customerId } }] },
        select: { status: true, dueAt: true, sentAt: true, clickedAt: true, recoveredAt: true },
      }),
  },
  {
    model: "Checkout",
    deleteShop: (tx, shop) => tx.checkout.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.checkout.deleteMany({ where: { shop: c.shop, customerId: c.customerId } }),
    exportCustomer: (tx, c) =>
      tx.checkout.findMany({
        where: { shop: c.shop, customerId: c.customerId },
        select: { token: true, currency: true, totalPrice: true, lineItems: true, startedAt: true, completedAt: true },
      }),
  },
  {
    model: "ProductImage",
    deleteShop: (tx, shop) => tx.productImage.deleteMany({ where: { shop } }),
    noShopperData: "the shop's product images",
  },
  {
    model: "PostbackDelivery",
    deleteShop: (tx, shop) => tx.postbackDelivery.deleteMany({ where: { shop } }),
    // The delivered URL carries the customer's and LINE user's ids.
    redactCustomer: (tx, c) =>
      tx.postbackDelivery.deleteMany({ where: { shop: c.shop, friendSource: { friend: customerFriends(c) } } }),
    exportCustomer: (tx, c) =>
      tx.postbackDelivery.findMany({
        where: { shop: c.shop, friendSource: { friend: customerFriends(c) } },
        select: { url: true, status: true, sentAt: true },
      }),
  },
  {
    model: "FriendSource",
    deleteShop: (tx, shop) => tx.friendSource.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.friendSource.deleteMany({ where: { shop: c.shop, friend: customerFriends(c) } }),
    exportCustomer: (tx, c) =>
      tx.friendSource.findMany({
        where: { shop: c.shop, friend: customerFriends(c) },
        select: { trackingLink: { select: { name: true } }, params: true, createdAt: true },
      }),
  },
  {
    model: "TrackingClick",
    deleteShop: (tx, shop) => tx.trackingClick.deleteMany({ where: { shop } }),
    redactCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      await tx.trackingClick.deleteMany({ where: { shop: c.shop, friendId: { in: friends.map((f) => f.id) } } });
    },
    exportCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      return tx.trackingClick.findMany({
        where: { shop: c.shop, friendId: { in: friends.map((f) => f.id) } },
        select: { params: true, createdAt: true },
      });
    },
  },
  {
    model: "TrackingLink",
    deleteShop: (tx, shop) => tx.trackingLink.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's links and postback templates",
  },
  {
    model: "CartLink",
    deleteShop: (tx, shop) => tx.cartLink.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.cartLink.deleteMany({ where: { shop: c.shop, friend: customerFriends(c) } }),
    exportCustomer: (tx, c) =>
      tx.cartLink.findMany({ where: { shop: c.shop, friend: customerFriends(c) }, select: { cartToken: true, createdAt: true } }),
  },
  {
    model: "LinkIntent",
    deleteShop: (tx, shop) => tx.linkIntent.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.linkIntent.deleteMany({ where: { shop: c.shop, customerId: c.customerId } }),
    exportCustomer: (tx, c) =>
      tx.linkIntent.findMany({
        where: { shop: c.shop, customerId: c.customerId },
        select: { cartToken: true, returnPath: true, createdAt: true, consumedAt: true },
      }),
  },
  {
    model: "OrderAttribution",
    deleteShop: (tx, shop) => tx.orderAttribution.deleteMany({ where: { shop } }),
    redactCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      await tx.orderAttribution.deleteMany({
        where: { shop: c.shop, OR: [{ order: { customerId: c.customerId } }, { friendId: { in: friends.map((f) => f.id) } }] },
      });
    },
    exportCustomer: (tx, c) =>
      tx.orderAttribution.findMany({
        where: { shop: c.shop, order: { customerId: c.customerId } },
        select: { kind: true, sourceId: true, rule: true, touchedAt: true, currency: true, revenue: true, order: { select: { orderId: true } } },
      }),
  },
  {
    model: "OrderLine",
    deleteShop: (tx, shop) => tx.orderLine.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.orderLine.deleteMany({ where: { shop: c.shop, order: { customerId: c.customerId } } }),
    exportCustomer: (tx, c) =>
      tx.orderLine.findMany({
        where: { shop: c.shop, order: { customerId: c.customerId } },
        select: { productId: true, variantId: true, title: true, quantity: true, order: { select: { orderId: true } } },
      }),
  },
  {
    model: "CustomerSpend",
    deleteShop: (tx, shop) => tx.customerSpend.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.customerSpend.deleteMany({ where: { shop: c.shop, customer: { customerId: c.customerId } } }),
    exportCustomer: (tx, c) =>
      tx.customerSpend.findMany({
        where: { shop: c.shop, customer: { customerId: c.customerId } },
        select: { currency: true, totalSpent: true, orders: true },
      }),
  },
  {
    model: "Customer",
    deleteShop: (tx, shop) => tx.customer.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.customer.deleteMany({ where: { shop: c.shop, customerId: c.customerId } }),
    exportCustomer: (tx, c) =>
      tx.customer.findMany({
        where: { shop: c.shop, customerId: c.customerId },
        select: {
          firstName: true, lastName: true, displayName: true, hasEmail: true, hasPhone: true, tags: true,
          emailMarketing: true, smsMarketing: true, countryCode: true, provinceCode: true, ordersCount: true,
          firstOrderAt: true, lastOrderAt: true,
        },
      }),
  },
  {
    model: "CollectionProduct",
    deleteShop: (tx, shop) => tx.collectionProduct.deleteMany({ where: { shop } }),
    noShopperData: "which of the shop's products each collection holds",
  },
  {
    model: "LinkClick",
    deleteShop: (tx, shop) => tx.linkClick.deleteMany({ where: { shop } }),
    redactCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      await tx.linkClick.deleteMany({ where: { shop: c.shop, friendId: { in: friends.map((f) => f.id) } } });
    },
    exportCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      return tx.linkClick.findMany({
        where: { shop: c.shop, friendId: { in: friends.map((f) => f.id) } },
        select: { kind: true, sourceId: true, clickedAt: true },
        orderBy: { clickedAt: "asc" },
      });
    },
  },
  {
    model: "MessageLink",
    deleteShop: (tx, shop) => tx.messageLink.deleteMany({ where: { shop } }),
    redactCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      await tx.messageLink.deleteMany({ where: { shop: c.shop, friendId: { in: friends.map((f) => f.id) } } });
    },
    exportCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      return tx.messageLink.findMany({
        where: { shop: c.shop, friendId: { in: friends.map((f) => f.id) } },
        select: { kind: true, targetUrl: true, clicks: true, createdAt: true },
      });
    },
  },
  {
    model: "FormAnswer",
    deleteShop: (tx, shop) => tx.formAnswer.deleteMany({ where: { shop } }),
    redactCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      await tx.formAnswer.deleteMany({ where: { shop: c.shop, friendId: { in: friends.map((friend) => friend.id) } } });
    },
    exportCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      return tx.formAnswer.findMany({
        where: { shop: c.shop, friendId: { in: friends.map((friend) => friend.id) } },
        select: { form: { select: { title: true } }, values: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      });
    },
  },
  {
    model: "Form",
    deleteShop: (tx, shop) => tx.form.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's form definitions: questions, choices and texts; answers live in FormAnswer",
  },
  {
    model: "ScenarioRunStep",
    deleteShop: (tx, shop) => tx.scenarioRunStep.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.scenarioRunStep.deleteMany({ where: { shop: c.shop, run: { friend: customerFriends(c) } } }),
    exportCustomer: (tx, c) =>
      tx.scenarioRunStep.findMany({
        where: { shop: c.shop, run: { friend: customerFriends(c) } },
        select: { stepId: true, status: true, reason: true, dueAt: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      }),
  },
  {
    model: "ScenarioRun",
    deleteShop: (tx, shop) => tx.scenarioRun.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.scenarioRun.deleteMany({ where: { shop: c.shop, friend: customerFriends(c) } }),
    exportCustomer: (tx, c) =>
      tx.scenarioRun.findMany({
        where: { shop: c.shop, friend: customerFriends(c) },
        select: { scenarioId: true, status: true, endReason: true, startedBy: true, startedAt: true, endedAt: true },
        orderBy: { startedAt: "asc" },
      }),
  },
  {
    model: "ScenarioStep",
    deleteShop: (tx, shop) => tx.scenarioStep.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's step messages, delays, conditions and actions",
  },
  {
    model: "Scenario",
    deleteShop: (tx, shop) => tx.scenario.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's scenario settings; runs are in ScenarioRun",
  },
  {
    model: "FriendRichMenu",
    deleteShop: (tx, shop) => tx.friendRichMenu.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.friendRichMenu.deleteMany({ where: { shop: c.shop, friend: customerFriends(c) } }),
    exportCustomer: (tx, c) =>
      tx.friendRichMenu.findMany({
        where: { shop: c.shop, friend: customerFriends(c) },
        select: { richMenuId: true, reason: true, linkedAt: true },
      }),
  },
  {
    model: "RichMenuRule",
    deleteShop: (tx, shop) => tx.richMenuRule.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's tag-to-menu rules",
  },
  {
    model: "RichMenuAlias",
    deleteShop: (tx, shop) => tx.richMenuAlias.deleteMany({ where: { shop } }),
    noShopperData: "rich-menu aliases the app created at LINE",
  },
  {
    model: "RichMenuVersion",
    deleteShop: (tx, shop) => tx.richMenuVersion.deleteMany({ where: { shop } }),
    noShopperData: "LINE rich menus made from the merchant's menus, and publishing progress",
  },
  {
    model: "RichMenu",
    deleteShop: (tx, shop) => tx.richMenu.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's menus: image, areas and actions",
  },
  {
    model: "RichMenuLink",
    deleteShop: (tx, shop) => tx.richMenuLink.deleteMany({ where: { shop } }),
    noShopperData: "tracked links of the merchant's menu areas and their click totals, not tied to any friend",
  },
  {
    model: "ActionLink",
    deleteShop: (tx, shop) => tx.actionLink.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's short links and their click totals, not tied to any friend",
  },
  {
    model: "Notification",
    deleteShop: (tx, shop) => tx.notification.deleteMany({ where: { shop } }),
    // A new-message notification names the friend by id (payload.friendId); the others name forms, broadcasts and
    // accounts only.
    redactCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      if (!friends.length) return;
      await tx.$executeRaw`
        DELETE FROM "Notification" WHERE shop = ${c.shop} AND payload->>'friendId' = ANY(${friends.map((friend) => friend.id)}::text[])`;
    },
    exportCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { id: true } });
      if (!friends.length) return [];
      return tx.$queryRaw<unknown[]>`
        SELECT event, status, "createdAt", "sentAt" FROM "Notification"
        WHERE shop = ${c.shop} AND payload->>'friendId' = ANY(${friends.map((friend) => friend.id)}::text[])
        ORDER BY "createdAt"`;
    },
  },
  {
    model: "StaffChannel",
    deleteShop: (tx, shop) => tx.staffChannel.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's staff notification channels (addresses, encrypted tokens, staff LINE user ids)",
  },
  {
    model: "StaffMember",
    deleteShop: (tx, shop) => tx.staffMember.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's staff: names, e-mail addresses and notification settings, not shoppers",
  },
  {
    model: "Order",
    deleteShop: (tx, shop) => tx.order.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.order.deleteMany({ where: { shop: c.shop, customerId: c.customerId } }),
    exportCustomer: (tx, c) =>
      tx.order.findMany({
        where: { shop: c.shop, customerId: c.customerId },
        select: {
          orderId: true, name: true, currency: true, totalPrice: true, processedAt: true, financialStatus: true,
          fulfillmentStatus: true, cancelledAt: true, refunded: true, landingSite: true, utmSource: true, utmMedium: true,
          utmCampaign: true, discountCodes: true,
        },
      }),
  },
  {
    model: "LineEvent",
    deleteShop: (tx, shop) => tx.lineEvent.deleteMany({ where: { shop } }),
    // Raw webhook events carry the user's id and what they wrote.
    redactCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { lineAccountId: true, lineUserId: true } });
      for (const friend of friends) {
        await tx.lineEvent.deleteMany({ where: { lineAccountId: friend.lineAccountId, lineUserId: friend.lineUserId } });
      }
    },
    exportCustomer: async (tx, c) => {
      const friends = await tx.friend.findMany({ where: customerFriends(c), select: { lineAccountId: true, lineUserId: true } });
      if (!friends.length) return [];
      return tx.lineEvent.findMany({
        where: { OR: friends.map((f) => ({ lineAccountId: f.lineAccountId, lineUserId: f.lineUserId })) },
        select: { type: true, occurredAt: true, payload: true },
      });
    },
  },
  {
    model: "Friend",
    deleteShop: (tx, shop) => tx.friend.deleteMany({ where: { shop } }),
    // A friend linked to the customer is deleted; if they interact again they return as a new, unlinked friend.
    redactCustomer: (tx, c) => tx.friend.deleteMany({ where: customerFriends(c) }),
    exportCustomer: (tx, c) =>
      tx.friend.findMany({
        where: customerFriends(c),
        select: {
          lineUserId: true, displayName: true, pictureUrl: true, statusMessage: true, language: true,
          followStatus: true, followedAt: true, source: true, createdAt: true,
        },
      }),
  },
  {
    model: "Tag",
    deleteShop: (tx, shop) => tx.tag.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's tag names",
  },
  {
    model: "Segment",
    deleteShop: (tx, shop) => tx.segment.deleteMany({ where: { shop } }),
    // Conditions name accounts, tags, tracking links, dates and languages; which friends match is computed when
    // asked and never stored.
    noShopperData: "the merchant's saved conditions, which name no friend or customer",
  },
  {
    model: "GreetingMessage",
    deleteShop: (tx, shop) => tx.greetingMessage.deleteMany({ where: { shop } }),
    noShopperData: "merchant's message texts",
  },
  {
    model: "AutoReplyRule",
    deleteShop: (tx, shop) => tx.autoReplyRule.deleteMany({ where: { shop } }),
    noShopperData: "merchant's keyword rules and answers",
  },
  {
    model: "CartReminderSettings",
    deleteShop: (tx, shop) => tx.cartReminderSettings.deleteMany({ where: { shop } }),
    noShopperData: "merchant settings",
  },
  {
    model: "BroadcastLink",
    deleteShop: (tx, shop) => tx.broadcastLink.deleteMany({ where: { shop } }),
    noShopperData: "a broadcast's link targets and their click totals, not tied to any friend",
  },
  {
    model: "Broadcast",
    deleteShop: (tx, shop) => tx.broadcast.deleteMany({ where: { shop } }),
    // Who received it is in Delivery (redacted there); the broadcast holds the merchant's messages and counts.
    noShopperData: "the merchant's messages, audience rule (tag and segment ids) and counts; recipients live in Delivery",
  },
  {
    model: "FollowerImport",
    deleteShop: (tx, shop) => tx.followerImport.deleteMany({ where: { shop } }),
    noShopperData: "counts and LINE's error messages of the merchant's follower imports; no user ids",
  },
  {
    model: "LineAccount",
    deleteShop: (tx, shop) => tx.lineAccount.deleteMany({ where: { shop } }),
    noShopperData: "merchant's LINE channel",
  },
  {
    model: "WebhookReceipt",
    deleteShop: (tx, shop) => tx.webhookReceipt.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) =>
      tx.$executeRaw`UPDATE "WebhookReceipt" SET payload = NULL WHERE ${receiptsOf(c)}`,
    exportCustomer: (tx, c) =>
      tx.$queryRaw`SELECT topic, "receivedAt", payload FROM "WebhookReceipt"
        WHERE ${receiptsOf(c)} AND topic NOT IN ('CUSTOMERS_REDACT', 'CUSTOMERS_DATA_REQUEST')`,
  },
  {
    model: "CustomerDataExport",
    deleteShop: (tx, shop) => tx.customerDataExport.deleteMany({ where: { shop } }),
    redactCustomer: (tx, c) => tx.customerDataExport.deleteMany({ where: { shop: c.shop, customerId: c.customerId } }),
    // Which requests were answered before and when; their contents are in this answer anyway.
    exportCustomer: (tx, c) =>
      tx.customerDataExport.findMany({
        where: { shop: c.shop, customerId: c.customerId },
        select: { dataRequestId: true, createdAt: true },
        orderBy: { createdAt: "asc" },
      }),
  },
  {
    model: "Session",
    deleteShop: (tx, shop) => tx.session.deleteMany({ where: { shop } }),
    noShopperData: "staff sessions (names and emails of the merchant's staff, not shoppers)",
  },
  {
    model: "Shop",
    deleteShop: (tx, shop) => tx.shop.deleteMany({ where: { shop } }),
    noShopperData: "the merchant's shop",
  },
];

// Revenue per message: each order is attributed to at most one LINE message, the last touch before it, and the
// row says which message, which touch and which rule, so every revenue figure can be checked order by order.
//
//   click  a click on one of our tracked links by one of the buyer's friends (LinkClick) within the shop's click
//          window (Shop.attributionClickDays, 7 by default) before the order; the last click wins.
//   send   else a send to one of those friends (a push to the friend, or a multicast whose recipients hold the
//          friend's LINE user id) within the send window (Shop.attributionSendDays, 1 by default); the last send
//          wins. A cart reminder is about the very cart that was bought: its send window is its account's own
//          "recovered within N days" setting (CartReminderSettings.attributionDays, 7 by default).
//   utm    else the order's landing site carries our marker (line_m=b.<broadcast>, app/customers/marker.ts) or a broadcast's
//          utm_medium/utm_campaign: the shopper came through our link even when the buyer is not linked.
//
// The buyer's friends are the friends linked to the order's customer, and the friend a cart reminder for the
// order's checkout went to. Nothing after the order counts; a cancelled order is attributed to nothing; revenue is
// the total less refunds. Recomputing gives the same row (one per order), so any change to the order re-runs it.
import { Prisma } from "@prisma/client";
import { db } from "../db.server";
import { landingParams, MARKER_PARAM, parseMarker } from "./marker";

export const DEFAULT_CLICK_DAYS = 7;
export const DEFAULT_SEND_DAYS = 1;
const DEFAULT_CART_DAYS = 7;
const DAY = 86_400_000;

/** Deliveries that are not marketing messages: a chat answer or a test never earns revenue. */
const NOT_MARKETING = ["chat", "test", "broadcast-test", "auto-reply"];

export type AttributionRule = "click" | "send" | "utm";

type Touch = {
  kind: string;
  sourceId: string;
  deliveryId: string | null;
  friendId: string | null;
  rule: AttributionRule;
  touchedAt: Date;
};

type OrderRow = {
  id: string;
  shop: string;
  orderId: string;
  customerId: string | null;
  checkoutToken: string | null;
  currency: string;
  totalPrice: Prisma.Decimal;
  refunded: Prisma.Decimal;
  processedAt: Date;
  cancelledAt: Date | null;
  landingSite: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
};

/** Attributes the order `orderRef` (Order.id) of `shop`, replacing what was there; another shop's order: no-op. */
export async function attributeOrder(shop: string, orderRef: string): Promise<void> {
  const order = await db.order.findFirst({
    where: { id: orderRef, shop },
    select: {
      id: true, shop: true, orderId: true, customerId: true, checkoutToken: true, currency: true, totalPrice: true,
      refunded: true, processedAt: true, cancelledAt: true, landingSite: true, utmSource: true, utmMedium: true,
      utmCampaign: true,
    },
  });
  if (!order) return;
  const touch = order.cancelledAt ? null : await lastTouch(order);
  await store(order, touch);
}

async function lastTouch(order: OrderRow): Promise<Touch | null> {
  const settings = await db.shop.findUnique({ where: { shop: order.shop }, select: { attributionClickDays: true, attributionSendDays: true } });
  const clickDays = settings?.attributionClickDays ?? DEFAULT_CLICK_DAYS;
  const sendDays = settings?.attributionSendDays ?? DEFAULT_SEND_DAYS;
  const friends = await buyerFriends(order);
  if (friends.length) {
    const click = await lastClick(order, friends.map((f) => f.id), clickDays);
    if (click) return click;
    const send = await lastSend(order, friends, sendDays);
    if (send) return send;
  }
  return utmTouch(order, clickDays);
}

/** Friends linked to the order's customer, and those a cart reminder for the order's checkout went to. */
async function buyerFriends(order: OrderRow): Promise<{ id: string; lineUserId: string }[]> {
  const linked = order.customerId
    ? await db.friend.findMany({ where: { shop: order.shop, shopifyCustomerId: order.customerId }, select: { id: true, lineUserId: true } })
    : [];
  const reminded = order.checkoutToken
    ? await db.cartReminder.findMany({
        where: { shop: order.shop, checkout: { shop: order.shop, token: order.checkoutToken } },
        select: { friend: { select: { id: true, lineUserId: true } } },
      })
    : [];
  const byId = new Map([...linked, ...reminded.map((r) => r.friend)].map((f) => [f.id, f]));
  return [...byId.values()];
}

async function lastClick(order: OrderRow, friendIds: string[], clickDays: number): Promise<Touch | null> {
  const click = await db.linkClick.findFirst({
    where: {
      shop: order.shop,
      friendId: { in: friendIds },
      clickedAt: { lte: order.processedAt, gte: new Date(order.processedAt.getTime() - clickDays * DAY) },
    },
    orderBy: [{ clickedAt: "desc" }, { id: "desc" }],
  });
  if (!click) return null;
  return { kind: click.kind, sourceId: click.sourceId, deliveryId: click.deliveryId, friendId: click.friendId, rule: "click", touchedAt: click.clickedAt };
}

type SendRow = { id: string | null; kind: string; sourceId: string; friendId: string | null; recipients: string[]; sentAt: Date };

async function lastSend(order: OrderRow, friends: { id: string; lineUserId: string }[], sendDays: number): Promise<Touch | null> {
  const at = order.processedAt;
  const ids = friends.map((f) => f.id);
  const users = friends.map((f) => f.lineUserId);
  // Pushes through the friend's index; multicasts of the shop made in the window (a multicast is made when its
  // broadcast starts) whose frozen recipients hold one of the friend's LINE user ids.
  const earliest = new Date(at.getTime() - (sendDays + 1) * DAY);
  // Cart reminders are read from their own rows (sentAt is the send; older rows have no Delivery), with their
  // account's window; every other send from Delivery.
  const rows = await db.$queryRaw<SendRow[]>`
    (SELECT d.id, d.kind, d."sourceId", d."friendId", d.recipients, d."sentAt"
    FROM "Delivery" d
    WHERE d.shop = ${order.shop} AND d.status = 'sent' AND d.channel IN ('push', 'multicast')
      AND d.kind <> ALL(${[...NOT_MARKETING, "cart-reminder"]}::text[])
      AND (d."friendId" = ANY(${ids}::text[])
        OR (d.channel = 'multicast' AND d."createdAt" >= ${earliest} AND d.recipients && ${users}::text[]))
      AND d."sentAt" <= ${at} AND d."sentAt" >= ${new Date(at.getTime() - sendDays * DAY)}
    ORDER BY d."sentAt" DESC, d.id DESC
    LIMIT 1)
    UNION ALL
    (SELECT (SELECT d.id FROM "Delivery" d WHERE d.kind = 'cart-reminder' AND d."sourceId" = r.id ORDER BY d."createdAt" DESC LIMIT 1),
      'cart-reminder', r.id, r."friendId", ARRAY[]::text[], r."sentAt"
    FROM "CartReminder" r
    LEFT JOIN "CartReminderSettings" s ON s."lineAccountId" = r."lineAccountId"
    WHERE r.shop = ${order.shop} AND r."friendId" = ANY(${ids}::text[]) AND r.status = 'sent' AND r."sentAt" <= ${at}
      AND r."sentAt" >= ${at}::timestamp - make_interval(days => COALESCE(s."attributionDays", ${DEFAULT_CART_DAYS}::int))
    ORDER BY r."sentAt" DESC, r.id DESC
    LIMIT 1)
    ORDER BY "sentAt" DESC
    LIMIT 1`;
  const send = rows[0];
  if (!send) return null;
  const friendId = send.friendId ?? friends.find((f) => send.recipients.includes(f.lineUserId))?.id ?? null;
  return { kind: send.kind, sourceId: send.sourceId, deliveryId: send.id ?? null, friendId, rule: "send", touchedAt: send.sentAt };
}

/** Our marker in the landing site, else a broadcast's utm_medium + utm_campaign. The touch precedes the order. */
async function utmTouch(order: OrderRow, clickDays: number): Promise<Touch | null> {
  const params = landingParams(order.landingSite);
  const marker = parseMarker(params.get(MARKER_PARAM));
  if (marker) {
    const broadcast = await db.broadcast.findFirst({ where: { id: marker.id, shop: order.shop, startedAt: { lte: order.processedAt } } });
    if (broadcast?.startedAt) return { kind: "broadcast", sourceId: broadcast.id, deliveryId: null, friendId: null, rule: "utm", touchedAt: broadcast.startedAt };
  }
  const medium = params.get("utm_medium") ?? order.utmMedium;
  const campaign = params.get("utm_campaign") ?? order.utmCampaign;
  const source = params.get("utm_source") ?? order.utmSource;
  if (!campaign || !medium) return null;
  // A broadcast started within the click window whose own parameters are these (the latest such one).
  const broadcasts = await db.broadcast.findMany({
    where: { shop: order.shop, startedAt: { lte: order.processedAt, gte: new Date(order.processedAt.getTime() - clickDays * DAY) } },
    select: { id: true, utmParams: true, startedAt: true },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    take: 500,
  });
  const match = broadcasts.find((b) => {
    const own = new URLSearchParams(b.utmParams);
    return own.get("utm_campaign") === campaign && own.get("utm_medium") === medium && (!own.get("utm_source") || !source || own.get("utm_source") === source);
  });
  if (!match?.startedAt) return null;
  return { kind: "broadcast", sourceId: match.id, deliveryId: null, friendId: null, rule: "utm", touchedAt: match.startedAt };
}

/** One row per order (or none), and the cart reminder's recovered figures kept in step with it. */
async function store(order: OrderRow, touch: Touch | null) {
  const now = new Date();
  if (!touch) {
    await db.$transaction([
      db.orderAttribution.deleteMany({ where: { shop: order.shop, orderRef: order.id } }),
      clearRecovered(order, null, now),
    ]);
    return;
  }
  const net = order.totalPrice.minus(order.refunded);
  const revenue = net.isNegative() ? new Prisma.Decimal(0) : net;
  const data = {
    friendId: touch.friendId,
    kind: touch.kind,
    sourceId: touch.sourceId,
    deliveryId: touch.deliveryId,
    rule: touch.rule,
    touchedAt: touch.touchedAt,
    currency: order.currency,
    revenue,
  };
  const writes: Prisma.PrismaPromise<unknown>[] = [
    db.orderAttribution.upsert({ where: { orderRef: order.id }, create: { shop: order.shop, orderRef: order.id, ...data }, update: data }),
    clearRecovered(order, touch.kind === "cart-reminder" ? touch.sourceId : null, now),
  ];
  if (touch.kind === "cart-reminder") {
    writes.push(
      db.cartReminder.updateMany({
        where: { id: touch.sourceId, shop: order.shop, OR: [{ recoveredOrderId: null }, { recoveredOrderId: order.orderId }] },
        data: { recoveredAt: order.processedAt, recoveredOrderId: order.orderId, recoveredRevenue: revenue, recoveredCurrency: order.currency, updatedAt: now },
      }),
    );
  }
  await db.$transaction(writes);
}

/** Reminders that counted this order as recovered but are not (or no longer) its attribution. */
function clearRecovered(order: OrderRow, keepReminderId: string | null, now: Date) {
  return db.cartReminder.updateMany({
    where: { shop: order.shop, recoveredOrderId: order.orderId, ...(keepReminderId ? { id: { not: keepReminderId } } : {}) },
    data: { recoveredAt: null, recoveredOrderId: null, recoveredRevenue: null, recoveredCurrency: null, updatedAt: now },
  });
}

// What the worker does for each Shopify topic (names as the library normalises them: "APP_UNINSTALLED").
// A capability that subscribes to a topic adds its handler here.
import type { WebhookReceipt } from "@prisma/client";
import { customerFromPayload, dataRequestId, exportCustomerData, redactCustomer, redactShop } from "../compliance/compliance.server";
import { handleCheckoutWebhook } from "../abandoned-cart/checkouts.server";
import { recordOrder } from "../abandoned-cart/orders.server";
import { handleCustomerDelete, handleCustomerUpdate, handleOrderUpdate, handleRefund } from "../customers/webhooks.server";
import { markUninstalled, updateScopes } from "../shops/lifecycle.server";

export type WebhookHandler = (receipt: WebhookReceipt) => Promise<unknown>;

export const shopifyWebhookHandlers: Record<string, WebhookHandler> = {
  APP_UNINSTALLED: (r) => markUninstalled(r.shop, r.triggeredAt),
  APP_SCOPES_UPDATE: (r) => updateScopes(r.shop, r.payload),
  CUSTOMERS_DATA_REQUEST: (r) => exportCustomerData(customerFromPayload(r.shop, r.payload), dataRequestId(r.payload)),
  CUSTOMERS_REDACT: (r) => redactCustomer(customerFromPayload(r.shop, r.payload)),
  SHOP_REDACT: (r) => redactShop(r.shop),
  CHECKOUTS_CREATE: (r) => handleCheckoutWebhook(r.shop, r.payload),
  CHECKOUTS_UPDATE: (r) => handleCheckoutWebhook(r.shop, r.payload),
  ORDERS_CREATE: (r) => recordOrder(r.shop, r.payload),
  ORDERS_UPDATED: (r) => handleOrderUpdate(r.shop, r.payload),
  ORDERS_PAID: (r) => handleOrderUpdate(r.shop, r.payload),
  ORDERS_CANCELLED: (r) => handleOrderUpdate(r.shop, r.payload),
  REFUNDS_CREATE: (r) => handleRefund(r.shop, r.payload),
  CUSTOMERS_CREATE: (r) => handleCustomerUpdate(r.shop, r.payload),
  CUSTOMERS_UPDATE: (r) => handleCustomerUpdate(r.shop, r.payload),
  CUSTOMERS_DELETE: (r) => handleCustomerDelete(r.shop, r.payload),
};

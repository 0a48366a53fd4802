// Shopify customers and orders for the Admin API fake (GraphQL shape) and for webhooks (REST shape).
import type { FakeCustomer, FakeOrder } from "./shopify-admin-fake";

let sequence = 5_000_000;

export function fakeOrder(options: {
  id?: number;
  processedAt?: string;
  total?: string;
  currency?: string;
  lines?: number;
  refunded?: string;
  cancelled?: boolean;
  landingPage?: string;
}): FakeOrder {
  const id = options.id ?? (sequence += 1);
  const at = options.processedAt ?? new Date(Date.UTC(2026, 5, 1) + (id % 100_000) * 60_000).toISOString();
  return {
    id: `gid://shopify/Order/${id}`,
    name: `#${id}`,
    createdAt: at,
    processedAt: at,
    updatedAt: at,
    cancelledAt: options.cancelled ? at : null,
    displayFinancialStatus: options.refunded ? "PARTIALLY_REFUNDED" : "PAID",
    displayFulfillmentStatus: "FULFILLED",
    discountCodes: ["WELCOME10"],
    totalPriceSet: { presentmentMoney: { amount: options.total ?? "1000.0", currencyCode: options.currency ?? "JPY" } },
    refunds: options.refunded ? [{ id: `gid://shopify/Refund/${id}`, totalRefundedSet: { presentmentMoney: { amount: options.refunded } } }] : [],
    customerJourneySummary: { firstVisit: { landingPage: options.landingPage ?? "/products/sencha?utm_source=line&utm_medium=broadcast&utm_campaign=spring" } },
    lines: Array.from({ length: options.lines ?? 2 }, (_, index) => ({
      title: `Tea ${index + 1}`,
      quantity: index + 1,
      product: { id: `gid://shopify/Product/${800 + index}` },
      variant: { id: `gid://shopify/ProductVariant/${900 + index}` },
    })),
  };
}

export function fakeCustomer(customerId: string, orders: FakeOrder[], overrides: Partial<FakeCustomer> = {}): FakeCustomer {
  return {
    id: `gid://shopify/Customer/${customerId}`,
    firstName: "Hanako",
    lastName: "Yamada",
    displayName: "Hanako Yamada",
    defaultEmailAddress: { emailAddress: "hanako@example.com" },
    defaultPhoneNumber: null,
    tags: ["LINE", "vip"],
    emailMarketingConsent: { marketingState: "SUBSCRIBED" },
    smsMarketingConsent: { marketingState: "NOT_SUBSCRIBED" },
    defaultAddress: { countryCodeV2: "JP", provinceCode: "JP-13" },
    updatedAt: "2026-06-01T00:00:00Z",
    orders,
    ...overrides,
  };
}

/** An orders/* webhook body as Shopify sends it (REST JSON). */
export function orderPayload(options: {
  id: number;
  customerId?: string | null;
  total?: string;
  currency?: string;
  updatedAt: string;
  createdAt?: string;
  financialStatus?: string;
  fulfillmentStatus?: string | null;
  cancelledAt?: string | null;
  refunds?: { id: number; amount: string }[];
  checkoutToken?: string | null;
  lines?: { product_id: number; variant_id: number; title: string; quantity: number }[];
}) {
  const total = options.total ?? "3200.00";
  const currency = options.currency ?? "JPY";
  return {
    id: options.id,
    name: `#${options.id}`,
    created_at: options.createdAt ?? "2026-11-01T10:00:00+09:00",
    processed_at: options.createdAt ?? "2026-11-01T10:00:00+09:00",
    updated_at: options.updatedAt,
    cancelled_at: options.cancelledAt ?? null,
    financial_status: options.financialStatus ?? "paid",
    fulfillment_status: options.fulfillmentStatus ?? null,
    currency: "JPY",
    presentment_currency: currency,
    total_price: total,
    total_price_set: { shop_money: { amount: total, currency_code: "JPY" }, presentment_money: { amount: total, currency_code: currency } },
    customer: options.customerId === null ? null : { id: Number(options.customerId ?? 7001), email: "hanako@example.com" },
    checkout_token: options.checkoutToken ?? null,
    landing_site: "/products/sencha?utm_source=line&utm_medium=cart&utm_campaign=winter",
    discount_codes: [{ code: "WINTER", amount: "100.00", type: "fixed_amount" }],
    refunds: (options.refunds ?? []).map((refund) => ({
      id: refund.id,
      order_id: options.id,
      transactions: [{ kind: "refund", status: "success", amount: refund.amount, currency }],
    })),
    line_items: options.lines ?? [{ product_id: 801, variant_id: 901, title: "Sencha", quantity: 2 }],
  };
}

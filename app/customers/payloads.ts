// Shopify describes a customer and an order in two shapes: the webhooks' REST JSON (snake_case) and the Admin
// GraphQL API's nodes (the import, the bulk import). Both become one shape here, so one store writes them.
// Only what segments and the friend page use is taken: an e-mail or phone is reduced to whether it exists.

export type CustomerData = {
  customerId: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string | null;
  hasEmail: boolean;
  hasPhone: boolean;
  tags: string[];
  /** SUBSCRIBED, NOT_SUBSCRIBED, UNSUBSCRIBED, PENDING, … (GraphQL's CustomerEmailMarketingState spelling). */
  emailMarketing: string | null;
  smsMarketing: string | null;
  countryCode: string | null;
  provinceCode: string | null;
  updatedAt: Date | null;
};

export type OrderLineData = { productId: string | null; variantId: string | null; title: string; quantity: number };

export type OrderData = {
  orderId: string;
  name: string | null;
  customerId: string | null;
  checkoutToken: string | null;
  cartToken: string | null;
  /** The currency the shopper paid in (presentment) and the total in it. */
  currency: string;
  totalPrice: string;
  processedAt: Date;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: Date | null;
  /** Refund id → amount in `currency`. */
  refunds: Record<string, string>;
  landingSite: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  discountCodes: string[];
  updatedAt: Date | null;
  lines: OrderLineData[];
};

type Id = number | string | null | undefined;
type Money = { amount?: string | number | null; currency_code?: string | null };
type MoneySet = { shop_money?: Money | null; presentment_money?: Money | null } | null;

/** "gid://shopify/Order/123" or 123 → "123". */
export function numericId(id: Id): string | null {
  if (id === null || id === undefined || id === "") return null;
  const text = String(id);
  return text.startsWith("gid://") ? (text.split("/").pop() ?? null) : text;
}

const date = (value: string | null | undefined) => (value ? new Date(value) : null);
const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);
const upper = (value: unknown) => (typeof value === "string" && value ? value.toUpperCase() : null);

function joinedName(first: string | null, last: string | null) {
  return [first, last].filter(Boolean).join(" ") || null;
}

/** UTM parameters of a landing site ("/products/x?utm_source=line&…" or a full URL). */
export function landingUtm(landingSite: string | null): { utmSource: string | null; utmMedium: string | null; utmCampaign: string | null } {
  let params: URLSearchParams | null = null;
  try {
    params = landingSite ? new URL(landingSite, "https://shop.invalid").searchParams : null;
  } catch {
    params = null;
  }
  return {
    utmSource: text(params?.get("utm_source")),
    utmMedium: text(params?.get("utm_medium")),
    utmCampaign: text(params?.get("utm_campaign")),
  };
}

// ---------------------------------------------------------------- webhooks (REST JSON)

export type RestCustomer = {
  id?: Id;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  phone?: string | null;
  tags?: string | string[] | null;
  email_marketing_consent?: { state?: string | null } | null;
  sms_marketing_consent?: { state?: string | null } | null;
  default_address?: { country_code?: string | null; province_code?: string | null } | null;
  updated_at?: string | null;
};

export function customerFromRest(payload: RestCustomer): CustomerData | null {
  const customerId = numericId(payload.id);
  if (!customerId) return null;
  const firstName = text(payload.first_name);
  const lastName = text(payload.last_name);
  const tags = Array.isArray(payload.tags) ? payload.tags : (payload.tags ?? "").split(",");
  return {
    customerId,
    firstName,
    lastName,
    displayName: joinedName(firstName, lastName),
    hasEmail: Boolean(text(payload.email)),
    hasPhone: Boolean(text(payload.phone)),
    tags: tags.map((tag) => tag.trim()).filter(Boolean),
    emailMarketing: upper(payload.email_marketing_consent?.state),
    smsMarketing: upper(payload.sms_marketing_consent?.state),
    countryCode: text(payload.default_address?.country_code),
    provinceCode: text(payload.default_address?.province_code),
    updatedAt: date(payload.updated_at),
  };
}

type RestTransaction = { kind?: string; status?: string; amount?: string | number; amount_set?: MoneySet };
export type RestRefund = { id?: Id; order_id?: Id; transactions?: RestTransaction[] | null };

/** What a refund gave back, in the order's presentment currency: its successful refund transactions. */
export function refundAmount(refund: RestRefund): string {
  let cents = 0;
  for (const t of refund.transactions ?? []) {
    if (t.kind !== "refund" || (t.status && t.status !== "success")) continue;
    cents += Math.round(Number(t.amount_set?.presentment_money?.amount ?? t.amount ?? 0) * 10_000);
  }
  return (cents / 10_000).toFixed(4);
}

export type RestOrder = {
  id?: Id;
  name?: string | null;
  customer?: { id?: Id } | null;
  checkout_token?: string | null;
  cart_token?: string | null;
  currency?: string | null;
  presentment_currency?: string | null;
  total_price?: string | number | null;
  current_total_price?: string | number | null;
  total_price_set?: MoneySet;
  processed_at?: string | null;
  created_at?: string | null;
  updated_at?: string | null;
  cancelled_at?: string | null;
  financial_status?: string | null;
  fulfillment_status?: string | null;
  landing_site?: string | null;
  discount_codes?: { code?: string | null }[] | null;
  refunds?: RestRefund[] | null;
  line_items?: { product_id?: Id; variant_id?: Id; title?: string | null; quantity?: number | null }[] | null;
};

/**
 * The total as the shopper paid it: `total_price_set.presentment_money`. Without it, `total_price` is in the shop's
 * currency (`currency`), so it is labelled with that and not with `presentment_currency`.
 */
function restTotal(payload: RestOrder): { amount: string; currency: string } {
  const paid = payload.total_price_set?.presentment_money;
  if (paid?.amount !== undefined && paid.amount !== null && paid.currency_code) {
    return { amount: String(paid.amount), currency: paid.currency_code };
  }
  return {
    amount: String(payload.total_price ?? payload.current_total_price ?? "0"),
    currency: payload.currency || payload.presentment_currency || "JPY",
  };
}

export function orderFromRest(payload: RestOrder): OrderData | null {
  const orderId = numericId(payload.id);
  if (!orderId || !payload.created_at) return null;
  const total = restTotal(payload);
  const landingSite = text(payload.landing_site);
  const refunds: Record<string, string> = {};
  for (const refund of payload.refunds ?? []) {
    const id = numericId(refund.id);
    if (id) refunds[id] = refundAmount(refund);
  }
  return {
    orderId,
    name: payload.name ?? null,
    customerId: numericId(payload.customer?.id),
    checkoutToken: payload.checkout_token ?? null,
    cartToken: payload.cart_token ?? null,
    currency: total.currency,
    totalPrice: total.amount,
    processedAt: new Date(payload.processed_at ?? payload.created_at),
    financialStatus: payload.financial_status?.toLowerCase() ?? null,
    fulfillmentStatus: payload.fulfillment_status?.toLowerCase() ?? "unfulfilled",
    cancelledAt: date(payload.cancelled_at),
    refunds,
    landingSite,
    ...landingUtm(landingSite),
    discountCodes: (payload.discount_codes ?? []).map((d) => text(d.code)).filter((code): code is string => Boolean(code)),
    updatedAt: date(payload.updated_at),
    lines: (payload.line_items ?? []).map((line) => ({
      productId: numericId(line.product_id),
      variantId: numericId(line.variant_id),
      title: line.title ?? "",
      quantity: line.quantity ?? 0,
    })),
  };
}

// ---------------------------------------------------------------- Admin GraphQL API (import, bulk import)

export type GraphqlCustomer = {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  displayName?: string | null;
  defaultEmailAddress?: { emailAddress?: string | null } | null;
  defaultPhoneNumber?: { phoneNumber?: string | null } | null;
  tags?: string[] | null;
  emailMarketingConsent?: { marketingState?: string | null } | null;
  smsMarketingConsent?: { marketingState?: string | null } | null;
  defaultAddress?: { countryCodeV2?: string | null; provinceCode?: string | null } | null;
  updatedAt?: string | null;
};

export function customerFromGraphql(node: GraphqlCustomer): CustomerData {
  const firstName = text(node.firstName);
  const lastName = text(node.lastName);
  return {
    customerId: numericId(node.id)!,
    firstName,
    lastName,
    displayName: text(node.displayName) ?? joinedName(firstName, lastName),
    hasEmail: Boolean(text(node.defaultEmailAddress?.emailAddress)),
    hasPhone: Boolean(text(node.defaultPhoneNumber?.phoneNumber)),
    tags: node.tags ?? [],
    emailMarketing: upper(node.emailMarketingConsent?.marketingState),
    smsMarketing: upper(node.smsMarketingConsent?.marketingState),
    countryCode: text(node.defaultAddress?.countryCodeV2),
    provinceCode: text(node.defaultAddress?.provinceCode),
    updatedAt: date(node.updatedAt),
  };
}

type GraphqlMoney = { presentmentMoney?: { amount?: string | null; currencyCode?: string | null } | null } | null;

export type GraphqlLine = { title?: string | null; quantity?: number | null; product?: { id: string } | null; variant?: { id: string } | null };

export type GraphqlOrder = {
  id: string;
  name?: string | null;
  createdAt: string;
  processedAt?: string | null;
  updatedAt?: string | null;
  cancelledAt?: string | null;
  displayFinancialStatus?: string | null;
  displayFulfillmentStatus?: string | null;
  totalPriceSet?: GraphqlMoney;
  refunds?: { id: string; totalRefundedSet?: GraphqlMoney }[] | null;
  customerJourneySummary?: { firstVisit?: { landingPage?: string | null } | null } | null;
  discountCodes?: string[] | null;
};

// GraphQL's fulfillment statuses in the webhooks' spelling, so both sources store the same words.
const FULFILLMENT: Record<string, string> = { PARTIALLY_FULFILLED: "partial" };

export function orderFromGraphql(node: GraphqlOrder, customerId: string, lines: GraphqlLine[]): OrderData {
  const paid = node.totalPriceSet?.presentmentMoney;
  const landingSite = text(node.customerJourneySummary?.firstVisit?.landingPage);
  const refunds: Record<string, string> = {};
  for (const refund of node.refunds ?? []) {
    refunds[numericId(refund.id)!] = Number(refund.totalRefundedSet?.presentmentMoney?.amount ?? 0).toFixed(4);
  }
  const fulfillment = node.displayFulfillmentStatus ?? null;
  return {
    orderId: numericId(node.id)!,
    name: node.name ?? null,
    customerId,
    checkoutToken: null,
    cartToken: null,
    currency: paid?.currencyCode ?? "JPY",
    totalPrice: String(paid?.amount ?? "0"),
    processedAt: new Date(node.processedAt ?? node.createdAt),
    financialStatus: node.displayFinancialStatus?.toLowerCase() ?? null,
    fulfillmentStatus: fulfillment ? (FULFILLMENT[fulfillment] ?? fulfillment.toLowerCase()) : null,
    cancelledAt: date(node.cancelledAt),
    refunds,
    landingSite,
    ...landingUtm(landingSite),
    discountCodes: node.discountCodes ?? [],
    updatedAt: date(node.updatedAt),
    lines: lines.map((line) => ({
      productId: numericId(line.product?.id),
      variantId: numericId(line.variant?.id),
      title: line.title ?? "",
      quantity: line.quantity ?? 0,
    })),
  };
}

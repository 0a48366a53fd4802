// The Admin GraphQL documents of the customer import: only the fields the store keeps. Protected customer data:
// name (first, last, display), whether an e-mail and phone exist, and the default address's country and province.

/**
 * Orders per page and lines per order: the query's requested cost (2 + 20 × (7 + 10 × 3) plus the customer, about
 * 750) stays below Shopify's single-query limit of 1,000 and within a bucket of 1,000 points.
 */
export const ORDERS_PER_PAGE = 20;
export const LINES_PER_ORDER = 10;

const CUSTOMER_FIELDS = `
  id firstName lastName displayName tags updatedAt
  defaultEmailAddress { emailAddress }
  defaultPhoneNumber { phoneNumber }
  emailMarketingConsent { marketingState }
  smsMarketingConsent { marketingState }
  defaultAddress { countryCodeV2 provinceCode }`;

const ORDER_FIELDS = `
  id name createdAt processedAt updatedAt cancelledAt displayFinancialStatus displayFulfillmentStatus discountCodes
  totalPriceSet { presentmentMoney { amount currencyCode } }
  refunds { id totalRefundedSet { presentmentMoney { amount } } }
  customerJourneySummary { firstVisit { landingPage } }`;

const LINE_FIELDS = `title quantity product { id } variant { id }`;

export const CUSTOMER_ORDERS_QUERY = `#graphql
  query CustomerImport($id: ID!, $after: String) {
    customer(id: $id) {
      ${CUSTOMER_FIELDS}
      orders(first: ${ORDERS_PER_PAGE}, after: $after, sortKey: PROCESSED_AT) {
        pageInfo { hasNextPage endCursor }
        nodes {
          ${ORDER_FIELDS}
          lineItems(first: ${LINES_PER_ORDER}) { pageInfo { hasNextPage endCursor } nodes { ${LINE_FIELDS} } }
        }
      }
    }
  }`;

/** The rest of an order's lines, when it has more than one page holds. */
export const ORDER_LINES_QUERY = `#graphql
  query OrderLines($id: ID!, $after: String) {
    order(id: $id) {
      lineItems(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { ${LINE_FIELDS} } }
    }
  }`;

/** The bulk query over a list of customers: JSONL lines of customers, their orders and the orders' lines. */
export function bulkCustomersQuery(customerIds: string[]) {
  const search = customerIds.map((id) => `id:${id}`).join(" OR ");
  return `{
  customers(query: ${JSON.stringify(search)}) {
    edges { node {
      ${CUSTOMER_FIELDS}
      orders { edges { node {
        ${ORDER_FIELDS}
        lineItems { edges { node { ${LINE_FIELDS} } } }
      } } }
    } }
  }
}`;
}

export const BULK_RUN_MUTATION = `#graphql
  mutation CustomersBulkImport($query: String!) {
    bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } }
  }`;

export const BULK_STATUS_QUERY = `#graphql
  query CustomersBulkImportStatus {
    currentBulkOperation(type: QUERY) { id status errorCode objectCount url }
  }`;

export const TAGS_ADD_MUTATION = `#graphql
  mutation MirrorTagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
  }`;

export const TAGS_REMOVE_MUTATION = `#graphql
  mutation MirrorTagsRemove($id: ID!, $tags: [String!]!) {
    tagsRemove(id: $id, tags: $tags) { userErrors { field message } }
  }`;

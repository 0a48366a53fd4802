// Linked customers get a "LINE" tag in Shopify, so merchants can build Shopify segments and discounts on it.
type GraphQL = (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response>;

export const LINE_CUSTOMER_TAG = "LINE";

const TAGS_ADD = `#graphql
  mutation TagLinkedCustomer($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) { userErrors { field message } }
  }`;

export async function tagCustomer(customerId: string, graphql: GraphQL) {
  const response = await graphql(TAGS_ADD, {
    variables: { id: `gid://shopify/Customer/${customerId}`, tags: [LINE_CUSTOMER_TAG] },
  });
  const { data } = (await response.json()) as { data?: { tagsAdd?: { userErrors: { message: string }[] } } };
  const errors = data?.tagsAdd?.userErrors ?? [];
  if (errors.length) throw new Error(`tagsAdd: ${errors.map((e) => e.message).join("; ")}`);
}

import type { Prisma } from "@prisma/client";

/** The customer named by a customers/redact or customers/data_request webhook. */
export type CustomerRef = {
  shop: string;
  customerId: string;
  email?: string | null;
  phone?: string | null;
};

type Tx = Prisma.TransactionClient;

/**
 * What the app does with one table when Shopify asks. Every Prisma model has exactly one policy
 * (tests/compliance/registry.test.ts checks this against the schema).
 */
export type DataPolicy = {
  model: Prisma.ModelName;
  /** shop/redact: remove every row of the shop. Runs in one transaction, in registry order. */
  deleteShop: (tx: Tx, shop: string) => Promise<unknown>;
} & (
  | {
      /** customers/redact: delete or anonymise every row tied to the customer. */
      redactCustomer: (tx: Tx, customer: CustomerRef) => Promise<unknown>;
      /** customers/data_request: the rows tied to the customer, as plain JSON. */
      exportCustomer: (tx: Tx, customer: CustomerRef) => Promise<unknown>;
    }
  | {
      /** Why this table holds no shopper data even though a field name may suggest it. */
      noShopperData: string;
    }
);

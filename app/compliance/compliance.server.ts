// The mandatory compliance webhooks, done for real over every registered table.
import type { Prisma } from "@prisma/client";
import { db } from "../db.server";
import { PermanentError } from "../errors";
import { dataPolicies, holdsShopperData } from "./registry.server";
import type { CustomerRef } from "./types";

type CustomerPayload = {
  customer?: { id?: number | string; email?: string | null; phone?: string | null };
  data_request?: { id?: number | string };
};

export function customerFromPayload(shop: string, payload: unknown): CustomerRef {
  const customer = (payload as CustomerPayload | null)?.customer;
  if (customer?.id === undefined || customer.id === null) throw new PermanentError("payload has no customer.id");
  return { shop, customerId: String(customer.id), email: customer.email, phone: customer.phone };
}

export async function redactCustomer(customer: CustomerRef) {
  await db.$transaction(async (tx) => {
    for (const policy of dataPolicies.filter(holdsShopperData)) await policy.redactCustomer(tx, customer);
  });
}

export async function exportCustomerData(customer: CustomerRef, dataRequestId?: string) {
  const data: Record<string, unknown> = {};
  await db.$transaction(async (tx) => {
    for (const policy of dataPolicies.filter(holdsShopperData)) {
      data[policy.model] = await policy.exportCustomer(tx, customer);
    }
  });
  return db.customerDataExport.create({
    data: {
      shop: customer.shop,
      customerId: customer.customerId,
      dataRequestId,
      data: JSON.parse(JSON.stringify(data)) as Prisma.InputJsonValue,
    },
  });
}

export async function redactShop(shop: string) {
  await db.$transaction(async (tx) => {
    for (const policy of dataPolicies) await policy.deleteShop(tx, shop);
  });
}

export function dataRequestId(payload: unknown) {
  const id = (payload as CustomerPayload | null)?.data_request?.id;
  return id === undefined ? undefined : String(id);
}

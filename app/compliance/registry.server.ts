// The compliance registry: one policy per table. A capability that adds a table adds its policy here.
import { dataPolicyList } from "./policies.server";
import type { DataPolicy } from "./types";

export const dataPolicies: DataPolicy[] = [...dataPolicyList];

export function holdsShopperData(policy: DataPolicy): policy is Extract<DataPolicy, { redactCustomer: unknown }> {
  return "redactCustomer" in policy;
}

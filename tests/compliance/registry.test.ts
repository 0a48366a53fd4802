// Every table must have a compliance policy, and a table whose fields look like shopper data must
// say how it is redacted and exported. Adding a model without registering it fails here.
import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { dataPolicies, holdsShopperData } from "~/compliance/registry.server";

const SHOPPER_FIELD = /customer|email|phone|lineUserId|displayName|firstName|lastName|address|payload|profile|picture/i;
const models = Prisma.dmmf.datamodel.models;

describe("compliance registry", () => {
  it("has exactly one policy for every model in the schema", () => {
    const registered = dataPolicies.map((policy) => policy.model).sort();
    expect(registered).toEqual(models.map((model) => model.name).sort());
  });

  it("redacts and exports every model with shopper-like fields, unless it says why not", () => {
    for (const model of models) {
      const suspicious = model.fields.filter((field) => SHOPPER_FIELD.test(field.name)).map((field) => field.name);
      if (!suspicious.length) continue;
      const policy = dataPolicies.find((entry) => entry.model === model.name)!;
      const explained = !holdsShopperData(policy) && policy.noShopperData.length > 10;
      expect(holdsShopperData(policy) || explained, `${model.name} (${suspicious.join(", ")})`).toBe(true);
    }
  });

  it("deletes children before the tables they reference", () => {
    const order = dataPolicies.map((policy) => policy.model);
    for (const model of models) {
      for (const field of model.fields.filter((f) => f.relationFromFields?.length)) {
        expect(order.indexOf(model.name as Prisma.ModelName), `${model.name} before ${field.type}`).toBeLessThan(
          order.indexOf(field.type as Prisma.ModelName),
        );
      }
    }
  });
});

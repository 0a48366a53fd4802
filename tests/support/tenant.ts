// What one shop holds, table by table, to prove that another shop's request changed none of it.
import { Prisma, type PrismaClient } from "@prisma/client";

type Where = Record<string, unknown>;
type Delegate = { findMany(args: { where: Where; orderBy?: Record<string, "asc">[]; select?: Record<string, true> }): Promise<Record<string, unknown>[]> };

const lowerFirst = (name: string) => name[0].toLowerCase() + name.slice(1);
const models = Prisma.dmmf.datamodel.models;
const hasShop = (name: string) => models.some((model) => model.name === name && model.fields.some((field) => field.name === "shop"));

/**
 * Every model with a `shop` column: the fields that order its rows (its primary key), and its foreign keys to
 * other such models, so that a row pointing at the shop's account, friend or tag counts as the shop's whatever
 * its own `shop` column says.
 */
const tenantModels = models
  .filter((model) => hasShop(model.name))
  .map((model) => ({
    name: model.name,
    delegate: lowerFirst(model.name),
    key: model.primaryKey?.fields ?? model.fields.filter((field) => field.isId).map((field) => field.name),
    references: model.fields
      .filter((field) => field.kind === "object" && field.relationFromFields?.length === 1 && hasShop(field.type))
      .map((field) => ({ column: field.relationFromFields![0], parent: field.type })),
  }));

const delegateOf = (db: PrismaClient, name: string) => (db as unknown as Record<string, Delegate>)[name];

/**
 * Every row that belongs to `shop`, in primary-key order, keyed by model name: rows whose `shop` is the shop,
 * and rows of any shop that point at one of the shop's rows.
 */
export async function snapshotShop(db: PrismaClient, shop: string): Promise<Record<string, unknown[]>> {
  const ids = new Map<string, string[]>();
  for (const model of tenantModels.filter((m) => m.key.length === 1)) {
    const rows = await delegateOf(db, model.delegate).findMany({ where: { shop }, select: { [model.key[0]]: true } });
    ids.set(model.name, rows.map((row) => String(row[model.key[0]])));
  }
  const tables = await Promise.all(
    tenantModels.map(async (model) => {
      const where = {
        OR: [{ shop }, ...model.references.map((ref) => ({ [ref.column]: { in: ids.get(ref.parent) ?? [] } }))],
      };
      const orderBy = model.key.map((field) => ({ [field]: "asc" as const }));
      return [model.name, await delegateOf(db, model.delegate).findMany({ where, orderBy })] as const;
    }),
  );
  return Object.fromEntries(tables);
}

/** Names of the tenant tables in which `shop` has no row: a snapshot that misses a table proves nothing there. */
export async function emptyTables(db: PrismaClient, shop: string) {
  const snapshot = await snapshotShop(db, shop);
  return Object.entries(snapshot)
    .filter(([, rows]) => rows.length === 0)
    .map(([name]) => name);
}

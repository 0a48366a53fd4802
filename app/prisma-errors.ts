import { Prisma } from "@prisma/client";

/**
 * A write whose `where` or nested `connect` matched no row. Writes keyed by an id from the browser carry the shop
 * in their filter, so for them this means "not this shop's" as much as "gone".
 */
export function isNotFound(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}

/** The write's result, or null when it matched no row (see isNotFound). */
export async function unlessNotFound<T>(write: Promise<T>): Promise<T | null> {
  try {
    return await write;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** The row exists after all: a unique key (P2002), or a one-to-one relation already taken when connecting (P2014). */
function isCreatedMeanwhile(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && (error.code === "P2002" || error.code === "P2014");
}

/**
 * An upsert whose `where` carries more than its unique key (the shop) is a read then an update or a create, not one
 * INSERT … ON CONFLICT: when a concurrent request created the row in between, the second try updates it.
 */
export async function upsertOnce<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (error) {
    if (!isCreatedMeanwhile(error)) throw error;
    return upsert();
  }
}

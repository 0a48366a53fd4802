// Shopify sessions in our database with their tokens encrypted at rest, under the same key ring as every other
// secret (crypto.server.ts). The Prisma storage does the reading and writing; this wrapper seals the tokens on the
// way in and opens them on the way out. Rows written before encryption (plain tokens) still load, and are sealed,
// like rows under a retired key, the first time they are read.
import type { PrismaClient } from "@prisma/client";
import { Session } from "@shopify/shopify-api";
import type { PrismaSessionStorageInterface } from "@shopify/shopify-app-session-storage-prisma";
import { decryptSecret, encryptSecret, isEncryptedSecret, needsRotation } from "./crypto.server";
import { env, type EncryptionKey } from "./env.server";

function withTokens(session: Session, map: (token: string) => string): Session {
  const { accessToken, refreshToken } = session;
  return new Session({
    ...session.toObject(),
    accessToken: accessToken ? map(accessToken) : accessToken,
    refreshToken: refreshToken ? map(refreshToken) : refreshToken,
  });
}

/** The Prisma session storage, with `accessToken` and `refreshToken` encrypted in the `Session` table. */
export function encryptedSessionStorage(
  inner: PrismaSessionStorageInterface,
  db: PrismaClient,
  keys: EncryptionKey[] = env.encryptionKeys,
): PrismaSessionStorageInterface {
  const seal = (session: Session) => withTokens(session, (token) => encryptSecret(token, keys));
  const open = (session: Session) =>
    withTokens(session, (token) => (isEncryptedSecret(token) ? decryptSecret(token, keys) : token));
  const stale = (token: string | undefined) => Boolean(token && (!isEncryptedSecret(token) || needsRotation(token, keys)));

  /** Seals a row read in an old form, unless it changed since it was read (a token stored meanwhile wins). */
  async function reseal(stored: Session, session: Session) {
    if (!stale(stored.accessToken) && !stale(stored.refreshToken)) return;
    const sealed = seal(session);
    await db.session.updateMany({
      where: { id: stored.id, accessToken: stored.accessToken ?? "", refreshToken: stored.refreshToken ?? null },
      data: { accessToken: sealed.accessToken ?? "", refreshToken: sealed.refreshToken ?? null },
    });
  }

  return {
    storeSession: (session) => inner.storeSession(seal(session)),
    async loadSession(id) {
      const stored = await inner.loadSession(id);
      if (!stored) return undefined;
      const session = open(stored);
      await reseal(stored, session);
      return session;
    },
    deleteSession: (id) => inner.deleteSession(id),
    deleteSessions: (ids) => inner.deleteSessions(ids),
    findSessionsByShop: async (shop) => (await inner.findSessionsByShop(shop)).map(open),
    isReady: () => inner.isReady(),
  };
}

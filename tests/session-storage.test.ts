// Shopify sessions at rest: the access and refresh tokens in the `Session` table are ciphertext, and every form a
// row may be found in (plain from before encryption, under a retired key) still loads.
import { randomBytes } from "node:crypto";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { beforeEach, describe, expect, it } from "vitest";
import { encryptSecret, isEncryptedSecret } from "~/crypto.server";
import { db } from "~/db.server";
import { encryptedSessionStorage } from "~/session-storage.server";
import { sessionStorage } from "~/shopify.server";
import { offlineSession, TEST_SHOP_DOMAIN } from "./support/shopify";

const TOKEN = "shpat_0123456789abcdef0123456789abcdef";
const REFRESH = "shprt_fedcba9876543210";
const key = (id: string) => ({ id, key: randomBytes(32) });

const rawRow = (id: string) => db.session.findUniqueOrThrow({ where: { id }, select: { accessToken: true, refreshToken: true } });

beforeEach(async () => {
  await db.session.deleteMany();
});

describe("the app's session storage", () => {
  it("stores the access and refresh tokens encrypted and loads them back", async () => {
    const session = offlineSession();
    session.accessToken = TOKEN;
    session.refreshToken = REFRESH;
    await sessionStorage.storeSession(session);

    const raw = await rawRow(session.id);
    expect(raw.accessToken).not.toContain(TOKEN);
    expect(raw.refreshToken).not.toContain(REFRESH);
    expect(isEncryptedSecret(raw.accessToken)).toBe(true);

    const loaded = await sessionStorage.loadSession(session.id);
    expect(loaded?.accessToken).toBe(TOKEN);
    expect(loaded?.refreshToken).toBe(REFRESH);
    expect(loaded?.equals(session)).toBe(true);
    expect((await sessionStorage.findSessionsByShop(TEST_SHOP_DOMAIN)).map((s) => s.accessToken)).toEqual([TOKEN]);
  });

  it("loads a row stored in plain text before encryption, and encrypts it on that read", async () => {
    await db.session.create({ data: { id: `offline_${TEST_SHOP_DOMAIN}`, shop: TEST_SHOP_DOMAIN, state: "", accessToken: TOKEN, scope: "read_orders" } });
    expect((await sessionStorage.findSessionsByShop(TEST_SHOP_DOMAIN))[0].accessToken).toBe(TOKEN);

    expect((await sessionStorage.loadSession(`offline_${TEST_SHOP_DOMAIN}`))?.accessToken).toBe(TOKEN);
    const raw = await rawRow(`offline_${TEST_SHOP_DOMAIN}`);
    expect(isEncryptedSecret(raw.accessToken)).toBe(true);
    expect((await sessionStorage.loadSession(`offline_${TEST_SHOP_DOMAIN}`))?.accessToken).toBe(TOKEN);
  });
});

describe("encryptedSessionStorage", () => {
  it("re-encrypts a row under a retired key with the current one when read", async () => {
    const [current, retired] = [key("k2"), key("k1")];
    await db.session.create({
      data: { id: "offline_rotate.myshopify.com", shop: "rotate.myshopify.com", state: "", accessToken: encryptSecret(TOKEN, [retired]) },
    });
    const storage = encryptedSessionStorage(new PrismaSessionStorage(db), db, [current, retired]);
    expect((await storage.loadSession("offline_rotate.myshopify.com"))?.accessToken).toBe(TOKEN);
    expect((await rawRow("offline_rotate.myshopify.com")).accessToken).toMatch(/^v1\.k2\./);
  });

  it("never overwrites a session stored between its read and its re-encryption", async () => {
    const id = `offline_${TEST_SHOP_DOMAIN}`;
    await db.session.create({ data: { id, shop: TEST_SHOP_DOMAIN, state: "", accessToken: TOKEN } });
    const prisma = new PrismaSessionStorage(db);
    const storage = encryptedSessionStorage(
      {
        isReady: () => prisma.isReady(),
        storeSession: (session) => prisma.storeSession(session),
        deleteSession: (sessionId) => prisma.deleteSession(sessionId),
        deleteSessions: (ids) => prisma.deleteSessions(ids),
        findSessionsByShop: (shop) => prisma.findSessionsByShop(shop),
        // Token exchange stores a new token just after this read.
        loadSession: async (sessionId) => {
          const read = await prisma.loadSession(sessionId);
          await sessionStorage.storeSession(Object.assign(offlineSession(), { accessToken: "shpat_newer" }));
          return read;
        },
      },
      db,
    );
    expect((await storage.loadSession(id))?.accessToken).toBe(TOKEN);
    expect((await sessionStorage.loadSession(id))?.accessToken).toBe("shpat_newer");
  });
});

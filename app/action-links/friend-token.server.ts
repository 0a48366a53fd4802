// Per-recipient action links: a link pushed to one friend carries `?f=<friend id>.<MAC>`, the MAC an HMAC of the
// link's code and the friend id under a key derived from the server's encryption key. Changing the friend id, or
// moving the token to another link, breaks the MAC; nobody without the server's key can make one. Every key in
// ENCRYPTION_KEY verifies, so links already in chats keep working through a key rotation.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { db } from "../db.server";
import { env, type EncryptionKey } from "../env.server";

const MAC_LENGTH = 22; // base64url characters: 132 bits
const FRIEND_ID = /^[a-z0-9]{20,40}$/;

const derived = new Map<string, Buffer>();
function macKey(key: EncryptionKey): Buffer {
  let out = derived.get(key.id);
  if (!out) {
    out = Buffer.from(hkdfSync("sha256", key.key, Buffer.alloc(0), "action-link friend token v1", 32));
    derived.set(key.id, out);
  }
  return out;
}

function mac(key: EncryptionKey, code: string, friendId: string): string {
  return createHmac("sha256", macKey(key)).update(`${code}\n${friendId}`).digest("base64url").slice(0, MAC_LENGTH);
}

export function friendToken(code: string, friendId: string, keys: EncryptionKey[] = env.encryptionKeys): string {
  return `${friendId}.${mac(keys[0], code, friendId)}`;
}

/** The friend id the token vouches for on this link, or null for anything forged, truncated or for another link. */
export function verifyFriendToken(code: string, token: string | null, keys: EncryptionKey[] = env.encryptionKeys): string | null {
  if (!token || token.length > 100) return null;
  const [friendId, given, ...rest] = token.split(".");
  if (rest.length || !friendId || !given || !FRIEND_ID.test(friendId) || given.length !== MAC_LENGTH) return null;
  const givenBytes = Buffer.from(given);
  for (const key of keys) {
    const expected = Buffer.from(mac(key, code, friendId));
    if (expected.length === givenBytes.length && timingSafeEqual(expected, givenBytes)) return friendId;
  }
  return null;
}

const LINK = /\/t\/([A-Za-z0-9_-]{11})(?![A-Za-z0-9_-])(\?[^\s#]*)?/g;

/**
 * A text sent to one friend with this shop's action links made personal: each `<app>/t/<code>` of an action link of
 * the shop gets the friend's token, so the tap needs no login. Other links are left as they are.
 */
export async function personalizeActionLinks(shop: string, text: string, friendId: string, appUrl = env.SHOPIFY_APP_URL): Promise<string> {
  const base = appUrl.replace(/\/$/, "");
  if (!text.includes(`${base}/t/`)) return text;
  const codes = [...text.matchAll(LINK)].map((match) => match[1]!);
  const links = await db.actionLink.findMany({ where: { shop, code: { in: codes }, archivedAt: null }, select: { code: true } });
  const ours = new Set(links.map((link) => link.code));
  const personal = text.replace(new RegExp(`${base.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}${LINK.source}`, "g"), (whole, code: string, query: string | undefined) => {
    if (!ours.has(code) || (query && /[?&]f=/.test(query))) return whole;
    const token = encodeURIComponent(friendToken(code, friendId));
    return `${whole}${query ? "&" : "?"}f=${token}`;
  });
  // LINE's 5,000 characters for a text: a text the tokens would push over it goes as it was (the links then log in).
  return personal.length <= 5000 ? personal : text;
}

// Per-recipient action links: a link pushed to one friend carries `?f=<friend id>.<MAC>`, the MAC an HMAC of the
// link's code and the friend id under a key derived from the server's encryption key. Changing the friend id, or
// moving the token to another link, breaks the MAC; nobody without the server's key can make one. Every key in
// ENCRYPTION_KEY verifies, so links already in chats keep working through a key rotation.
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
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

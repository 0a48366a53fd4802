// Secrets at rest: AES-256-GCM under ENCRYPTION_KEY. The stored form names its key, so keys can rotate:
// the first configured key encrypts, every configured key decrypts.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { env, type EncryptionKey } from "./env.server";

const VERSION = "v1";
const IV_BYTES = 12;

export function encryptSecret(plaintext: string, keys: EncryptionKey[] = env.encryptionKeys): string {
  const { id, key } = keys[0];
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, id, iv.toString("base64url"), tag.toString("base64url"), ciphertext.toString("base64url")].join(".");
}

export function decryptSecret(stored: string, keys: EncryptionKey[] = env.encryptionKeys): string {
  const [version, id, iv, tag, ciphertext] = stored.split(".");
  if (version !== VERSION || !ciphertext) throw new Error("not an encrypted secret");
  const entry = keys.find((candidate) => candidate.id === id);
  if (!entry) throw new Error(`encryption key "${id}" is not configured`);
  const decipher = createDecipheriv("aes-256-gcm", entry.key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
}

/** True for the form `encryptSecret` writes; false for a plain value stored before encryption. */
export function isEncryptedSecret(stored: string) {
  const parts = stored.split(".");
  return parts.length === 5 && parts[0] === VERSION;
}

/** What the browser may see of a secret. */
export function lastFour(secret: string) {
  return secret.slice(-4);
}

/** True when the stored secret was encrypted under an older key and should be re-encrypted. */
export function needsRotation(stored: string, keys: EncryptionKey[] = env.encryptionKeys) {
  return stored.split(".")[1] !== keys[0].id;
}

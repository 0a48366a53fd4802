// Channel access tokens: the merchant's long-lived token when given, otherwise stateless tokens (15 minutes,
// unlimited in number, issued from channel ID + secret) cached in memory and in Redis below their lifetime.
// Issuing one is a LINE call, so the caller (client.server.ts, the one LINE client) hands in the issuer.
import { decryptSecret, encryptSecret } from "../crypto.server";
import { env } from "../env.server";
import { producerConnection } from "../redis.server";

export type TokenSource = {
  id: string;
  channelId: string;
  /** Encrypted. */
  channelSecret: string;
  /** Encrypted long-lived token, if the merchant gave one. */
  accessToken: string | null;
};

// Stateless tokens live 15 minutes; stop using one well before it expires.
const CACHE_MS = 12 * 60_000;
const memory = new Map<string, { token: string; expiresAt: number }>();

const redisKey = (accountId: string) => `${env.QUEUE_PREFIX}:line-token:${accountId}`;

export type IssueToken = (channelId: string, channelSecret: string) => Promise<string>;

// Long-lived tokens decrypted once per process (a due burst asks for the same one for every push).
const decrypted = new Map<string, string>();

function longLivedToken(encrypted: string): string {
  let token = decrypted.get(encrypted);
  if (token === undefined) {
    if (decrypted.size >= 1_000) decrypted.clear();
    token = decryptSecret(encrypted);
    decrypted.set(encrypted, token);
  }
  return token;
}

export async function cachedAccessToken(account: TokenSource, issue: IssueToken): Promise<string> {
  if (account.accessToken) return longLivedToken(account.accessToken);
  const cached = memory.get(account.id);
  if (cached && cached.expiresAt > Date.now()) return cached.token;

  const shared = await producerConnection()
    .get(redisKey(account.id))
    .catch(() => null); // Redis down: issuing another token is always allowed
  if (shared) {
    const [expiresAt, encrypted] = shared.split("|");
    if (Number(expiresAt) > Date.now()) {
      const token = decryptSecret(encrypted);
      memory.set(account.id, { token, expiresAt: Number(expiresAt) });
      return token;
    }
  }

  const token = await issue(account.channelId, decryptSecret(account.channelSecret));
  const expiresAt = Date.now() + CACHE_MS;
  memory.set(account.id, { token, expiresAt });
  await producerConnection()
    .set(redisKey(account.id), `${expiresAt}|${encryptSecret(token)}`, "PX", CACHE_MS)
    .catch(() => undefined);
  return token;
}

/** After LINE answered 401: the cached token is dead (or the long-lived one was revoked). */
export async function forgetToken(accountId: string) {
  memory.delete(accountId);
  await producerConnection()
    .del(redisKey(accountId))
    .catch(() => undefined);
}

/**
 * A per-process memo of `load(key)`, each value kept `ttlMs`: for rows read on every event or send (an account, its
 * settings) that change rarely. A change made in another process is seen within `ttlMs`; `forget` drops a key at once.
 */
export function expiringCache<T>(ttlMs: number, load: (key: string) => Promise<T>) {
  const entries = new Map<string, { value: T; expiresAt: number }>();
  return {
    async get(key: string): Promise<T> {
      const cached = entries.get(key);
      if (cached && cached.expiresAt > Date.now()) return cached.value;
      const value = await load(key);
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
      return value;
    },
    forget(key: string) {
      entries.delete(key);
    },
  };
}

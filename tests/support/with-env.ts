// Runs code against app modules loaded afresh with other settings (a Redis or database address that is down), then
// closes what those modules opened and restores the settings and the test's own modules.
import { vi } from "vitest";

export async function withEnv<T>(overrides: Record<string, string>, run: () => Promise<T>): Promise<T> {
  const previous = Object.fromEntries(Object.keys(overrides).map((key) => [key, process.env[key]]));
  const client = globalThis.prismaGlobal; // db.server.ts reuses it across module reloads
  globalThis.prismaGlobal = undefined;
  Object.assign(process.env, overrides);
  vi.resetModules();
  try {
    return await run();
  } finally {
    await (await import("~/redis.server")).closeRedis();
    await (await import("~/db.server")).db.$disconnect();
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    globalThis.prismaGlobal = client;
    vi.resetModules();
  }
}

import { describe, expect, it } from "vitest";
import { parseEncryptionKeys, parseEnv } from "~/env.server";

const KEY = Buffer.alloc(32, 1).toString("base64");
const production = {
  NODE_ENV: "production",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  ENCRYPTION_KEY: KEY,
} as const;

describe("parseEnv", () => {
  it("applies the documented defaults", () => {
    const env = parseEnv({ ...production });
    expect(env).toMatchObject({
      PORT: 3000,
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/line_crm",
      REDIS_URL: "redis://127.0.0.1:6379",
      LINE_API_BASE_URL: "https://api.line.me",
      LINE_DATA_API_BASE_URL: "https://api-data.line.me",
      LIFF_URL_BASE: "https://liff.line.me",
      isProduction: true,
    });
    expect(env.encryptionKeys).toEqual([{ id: "k1", key: Buffer.alloc(32, 1) }]);
  });

  it("names the missing secret in production", () => {
    const { SHOPIFY_API_SECRET: _omitted, ...rest } = production;
    expect(() => parseEnv(rest)).toThrow(/SHOPIFY_API_SECRET/);
  });

  it("uses development defaults outside production", () => {
    const env = parseEnv({ NODE_ENV: "development", ENCRYPTION_KEY: KEY });
    expect(env.SHOPIFY_API_KEY).toBe("local-dev-api-key");
    expect(env.SHOPIFY_APP_URL).toBe("http://localhost:3000");
    expect(env.isProduction).toBe(false);
  });

  it("names the field that is wrong", () => {
    expect(() => parseEnv({ ...production, PORT: "eighty" })).toThrow(/PORT/);
    expect(() => parseEnv({ ...production, REDIS_URL: "not a url" })).toThrow(/REDIS_URL/);
    expect(() => parseEnv({ ...production, ENCRYPTION_KEY: Buffer.alloc(16).toString("base64") })).toThrow(
      /ENCRYPTION_KEY .*32 bytes/,
    );
  });
});

describe("parseEncryptionKeys", () => {
  it("reads key ids for rotation, the first one current", () => {
    const other = Buffer.alloc(32, 2).toString("base64");
    expect(parseEncryptionKeys(`2026a:${KEY},2025b:${other}`).map((k) => k.id)).toEqual(["2026a", "2025b"]);
  });
});

import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, needsRotation } from "~/crypto.server";

const key = (id: string, fill: number) => ({ id, key: Buffer.alloc(32, fill) });

describe("secrets at rest", () => {
  it("round-trips, never stores the plaintext, and differs every time", () => {
    const secret = "0123456789abcdef0123456789abcdef";
    const a = encryptSecret(secret);
    const b = encryptSecret(secret);
    expect(a).not.toContain(secret);
    expect(a).not.toBe(b);
    expect(decryptSecret(a)).toBe(secret);
  });

  it("decrypts with an older key after rotation and says it needs re-encrypting", () => {
    const old = [key("2025", 1)];
    const rotated = [key("2026", 2), key("2025", 1)];
    const stored = encryptSecret("s3cret", old);
    expect(decryptSecret(stored, rotated)).toBe("s3cret");
    expect(needsRotation(stored, rotated)).toBe(true);
    expect(needsRotation(encryptSecret("s3cret", rotated), rotated)).toBe(false);
    expect(() => decryptSecret(stored, [key("2026", 2)])).toThrow(/"2025" is not configured/);
  });

  it("refuses a tampered ciphertext", () => {
    const stored = encryptSecret("s3cret");
    const parts = stored.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join("."))).toThrow();
  });
});

// The LINE Login verify call goes through the one LINE client: given up on at the timeout, it is aborted (its
// connection closed), and the LIFF page hears "LINE unavailable", not a rejected token.
import { expect, it, vi } from "vitest";
import { env } from "~/env.server";
import { verifyIdToken } from "~/storefront/id-token.server";
import { lineFake } from "../support/line";
import { silentServer } from "../support/silent-server";
import { waitUntil } from "../support/worker";

const silent = silentServer();

it("aborts the verify call at the client's timeout, closes its connection and logs it like any LINE call", async () => {
  const { LINE_API_BASE_URL: base, LINE_TIMEOUT_MS: timeout, LOG_LEVEL: level } = env;
  const written: string[] = [];
  const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => written.push(String(chunk)) > 0);
  Object.assign(env, { LINE_API_BASE_URL: silent.url, LINE_TIMEOUT_MS: 200, LOG_LEVEL: "warn" });
  try {
    await expect(verifyIdToken("some-id-token", "2000000001")).resolves.toEqual({ error: "line-unavailable" });
  } finally {
    Object.assign(env, { LINE_API_BASE_URL: base, LINE_TIMEOUT_MS: timeout, LOG_LEVEL: level });
    stderr.mockRestore();
  }
  const logged = written.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(logged).toContainEqual(expect.objectContaining({ message: "LINE call failed", errorName: "LineTimeoutError" }));
  expect(silent.seen).toBe(1);
  await waitUntil(async () => silent.open.size === 0);
});

it("verifies through the same client against LINE", async () => {
  lineFake().addChannel({ channelId: "1000000077", channelSecret: "s", loginChannelId: "2000000077" });
  const sub = `U${"7".repeat(32)}`;
  const idToken = lineFake().issueIdToken({ loginChannelId: "2000000077", sub });
  await expect(verifyIdToken(idToken, "2000000077")).resolves.toMatchObject({ token: { sub, aud: "2000000077" } });
  await expect(verifyIdToken(idToken, "2000000078")).resolves.toEqual({ error: "id-token-rejected", detail: "Invalid IdToken Audience." });
  lineFake().failNext(1, { status: 500, path: "/oauth2/v2.1/verify" });
  await expect(verifyIdToken(idToken, "2000000077")).resolves.toEqual({ error: "line-unavailable" });
});

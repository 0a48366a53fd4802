// LINE Login ID tokens are verified by LINE itself (POST /oauth2/v2.1/verify with our LINE Login channel as the
// audience). The user id we link is the token's `sub`, never an id the browser sent.
import { HTTPFetchError } from "@line/bot-sdk";
import { z } from "zod";
import { callLinePlatform } from "../line/client.server";

const verified = z.object({
  iss: z.string(),
  sub: z.string().regex(/^U[0-9a-f]{32}$/),
  aud: z.string(),
  exp: z.number(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

export type VerifiedIdToken = z.infer<typeof verified>;

/** LINE's reason for refusing a token ("IdToken expired.", …): OAuth errors carry it in error_description. */
function refusal(error: HTTPFetchError): string | undefined {
  try {
    return (JSON.parse(error.body) as { error_description?: string }).error_description;
  } catch {
    return undefined;
  }
}

export async function verifyIdToken(
  idToken: string,
  loginChannelId: string,
): Promise<{ token: VerifiedIdToken } | { error: "id-token-rejected" | "line-unavailable"; detail?: string }> {
  let body: unknown;
  try {
    body = await callLinePlatform(({ login }) => login.verifyIdToken(idToken, loginChannelId));
  } catch (error) {
    // LINE refused this token (4xx); anything else (5xx, 429, a timeout, no network) says nothing about the token.
    if (error instanceof HTTPFetchError && error.status < 500 && error.status !== 429) {
      return { error: "id-token-rejected", detail: refusal(error) };
    }
    return { error: "line-unavailable" };
  }
  const parsed = verified.safeParse(body);
  // LINE checked the audience; checking it again costs nothing and guards against a misrouted answer.
  if (!parsed.success || parsed.data.aud !== loginChannelId || parsed.data.exp * 1000 < Date.now()) {
    return { error: "id-token-rejected", detail: "unexpected verification result" };
  }
  return { token: parsed.data };
}

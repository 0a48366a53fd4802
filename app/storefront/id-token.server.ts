// LINE Login ID tokens are verified by LINE itself (POST /oauth2/v2.1/verify with our LINE Login channel as the
// audience). The user id we link is the token's `sub`, never an id the browser sent.
import { z } from "zod";
import { env } from "../env.server";

const verified = z.object({
  iss: z.string(),
  sub: z.string().regex(/^U[0-9a-f]{32}$/),
  aud: z.string(),
  exp: z.number(),
  name: z.string().optional(),
  picture: z.string().optional(),
});

export type VerifiedIdToken = z.infer<typeof verified>;

export async function verifyIdToken(
  idToken: string,
  loginChannelId: string,
): Promise<{ token: VerifiedIdToken } | { error: "id-token-rejected" | "line-unavailable"; detail?: string }> {
  let response: Response;
  try {
    response = await fetch(new URL("/oauth2/v2.1/verify", env.LINE_API_BASE_URL), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ id_token: idToken, client_id: loginChannelId }),
      signal: AbortSignal.timeout(5_000),
    });
  } catch {
    return { error: "line-unavailable" };
  }
  if (response.status >= 500) return { error: "line-unavailable" };
  const body = (await response.json().catch(() => ({}))) as { error_description?: string };
  if (!response.ok) return { error: "id-token-rejected", detail: body.error_description };
  const parsed = verified.safeParse(body);
  // LINE checked the audience; checking it again costs nothing and guards against a misrouted answer.
  if (!parsed.success || parsed.data.aud !== loginChannelId || parsed.data.exp * 1000 < Date.now()) {
    return { error: "id-token-rejected", detail: "unexpected verification result" };
  }
  return { token: parsed.data };
}

// POST /liff/:accountId/link — the LIFF page sends the raw ID token and the intent id; nothing else is trusted.
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "../db.server";
import { clientKey } from "../storefront/client-address.server";
import { linkShopper } from "../storefront/link.server";
import { withinLimit } from "../storefront/rate-limit.server";

const body = z.object({ intent: z.string().min(10).max(100), idToken: z.string().min(10).max(5_000) });

const STATUS = {
  "account-unavailable": 404,
  "id-token-rejected": 401,
  "line-unavailable": 503,
  "intent-unknown": 404,
  "intent-expired": 410,
  "intent-used": 409,
  "rate-limited": 429,
} as const;

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return json({ linked: false, error: "method-not-allowed" }, { status: 405 });
  const accountId = params.accountId ?? "";
  // Per address first: a request refused here never reaches the account's budget (linkShopper), so one address
  // flooding cannot use up what the account's other shoppers need.
  if (!(await withinLimit("liff-link-ip", clientKey(context), 20, 60))) {
    return json({ linked: false, error: "rate-limited" }, { status: 429 });
  }

  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return json({ linked: false, error: "bad-request" }, { status: 400 });
  const account = await db.lineAccount.findUnique({ where: { id: accountId } });
  if (!account) return json({ linked: false, error: "account-unavailable" }, { status: 404 });

  const result = await linkShopper(account, parsed.data.intent, parsed.data.idToken);
  return json(result, { status: result.linked ? 200 : STATUS[result.error] });
};

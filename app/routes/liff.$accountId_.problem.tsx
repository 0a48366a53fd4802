// POST /liff/:accountId/problem — the LIFF page reports a problem only the merchant can fix (a code from
// app/storefront/liff-problems.ts, with the token its loader gave it). Stored on the account for the admin home's
// alerts; the shopper only ever sees a friendly message.
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { clientKey } from "../storefront/client-address.server";
import { isLiffProblem } from "../storefront/liff-problems";
import { recordLiffProblem } from "../storefront/liff-problems.server";
import { withinLimit } from "../storefront/rate-limit.server";

export const action = async ({ request, params, context }: ActionFunctionArgs) => {
  if (request.method !== "POST") return json({ recorded: false, error: "method-not-allowed" }, { status: 405 });
  if (!(await withinLimit("liff-problem-ip", clientKey(context), 10, 60))) {
    return json({ recorded: false, error: "rate-limited" }, { status: 429 });
  }
  const body = (await request.json().catch(() => null)) as { code?: unknown; token?: unknown } | null;
  const token = typeof body?.token === "string" && body.token.length <= 100 ? body.token : null;
  if (!token || !isLiffProblem(body?.code)) return json({ recorded: false, error: "bad-request" }, { status: 400 });
  if (!(await recordLiffProblem(params.accountId ?? "", token, body.code))) {
    return json({ recorded: false, error: "account-unavailable" }, { status: 404 });
  }
  return json({ recorded: true });
};

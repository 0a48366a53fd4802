// POST /liff/:accountId/problem: the LIFF page reports what only the merchant can fix. A code from the fixed list
// with the account's token is stored (once: the same code again changes nothing); an unknown code is 400; another
// shop's account, or an unknown one, is 404; a later successful LIFF login clears it.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { action } from "~/routes/liff.$accountId_.problem";
import { LIFF_PROBLEMS, problemFor } from "~/storefront/liff-problems";
import { clearLiffProblem, liffProblemToken } from "~/storefront/liff-problems.server";
import { errorState } from "~/storefront/liff-flow";
import { createIntent } from "~/storefront/intents.server";
import { linkShopper } from "~/storefront/link.server";
import { createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";

const SHOP = "liff-problem-shop.myshopify.com";
const OTHER = "liff-problem-other.myshopify.com";
let address = 0;

async function report(accountId: string, body: unknown, clientAddress = `198.51.100.${(address++ % 200) + 1}`) {
  const request = new Request(`https://app.example/liff/${accountId}/problem`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const response = await action({ request, params: { accountId }, context: { clientAddress } } as never);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

let mine: { id: string; shop: string };
let theirs: { id: string; shop: string };

beforeAll(async () => {
  await createShop(db, { shop: SHOP });
  await createShop(db, { shop: OTHER });
  mine = (await connectedAccount(db, SHOP, { loginChannelId: "2000000011", liffId: "2000000011-AaBbCc" })).account;
  theirs = (await connectedAccount(db, OTHER, { loginChannelId: "2000000012", liffId: "2000000012-DdEeFf" })).account;
});

beforeEach(async () => {
  await db.lineAccount.updateMany({ data: { liffProblem: null, liffProblemAt: null } });
});

const problemOf = async (id: string) => db.lineAccount.findUniqueOrThrow({ where: { id }, select: { liffProblem: true, liffProblemAt: true } });

describe("POST /liff/:accountId/problem", () => {
  it.each(LIFF_PROBLEMS.map((code) => [code]))("stores %s on the account", async (code) => {
    const answer = await report(mine.id, { code, token: liffProblemToken(mine) });
    expect(answer).toEqual({ status: 200, body: { recorded: true } });
    expect(await problemOf(mine.id)).toEqual({ liffProblem: code, liffProblemAt: expect.any(Date) });
    expect((await problemOf(theirs.id)).liffProblem).toBeNull();
  });

  it("is idempotent: the same code again keeps when it was first seen", async () => {
    await report(mine.id, { code: "openid-scope", token: liffProblemToken(mine) });
    const first = await problemOf(mine.id);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await report(mine.id, { code: "openid-scope", token: liffProblemToken(mine) })).status).toBe(200);
    expect(await problemOf(mine.id)).toEqual(first);
  });

  it("answers 400 for a code not on the list, or no token, and stores nothing", async () => {
    for (const body of [
      { code: "Uncaught TypeError: x is undefined", token: liffProblemToken(mine) },
      { code: "", token: liffProblemToken(mine) },
      { code: "openid-scope" },
      null,
    ]) {
      expect((await report(mine.id, body)).status).toBe(400);
    }
    expect((await problemOf(mine.id)).liffProblem).toBeNull();
  });

  it("answers 404 for another shop's account (its token is not this one's) and for an unknown account", async () => {
    expect((await report(theirs.id, { code: "openid-scope", token: liffProblemToken(mine) })).status).toBe(404);
    expect((await report(theirs.id, { code: "openid-scope", token: liffProblemToken({ id: theirs.id, shop: SHOP }) })).status).toBe(404);
    expect((await report("no-such-account", { code: "openid-scope", token: liffProblemToken(mine) })).status).toBe(404);
    expect((await problemOf(theirs.id)).liffProblem).toBeNull();
  });

  it("limits one address to 10 reports a minute", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await report(mine.id, { code: "liff-init-failed", token: liffProblemToken(mine) }, "203.0.113.9")).status);
    expect(statuses.slice(0, 10).every((status) => status === 200)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it("only accepts POST", async () => {
    const request = new Request(`https://app.example/liff/${mine.id}/problem`, { method: "PUT", body: "{}" });
    expect((await action({ request, params: { accountId: mine.id }, context: {} } as never)).status).toBe(405);
  });
});

describe("clearing", () => {
  it("a successful LIFF login clears the account's problem, and only that account's", async () => {
    await report(mine.id, { code: "openid-scope", token: liffProblemToken(mine) });
    await report(theirs.id, { code: "liff-init-failed", token: liffProblemToken(theirs) });
    await clearLiffProblem(mine);
    expect(await problemOf(mine.id)).toEqual({ liffProblem: null, liffProblemAt: null });
    expect((await problemOf(theirs.id)).liffProblem).toBe("liff-init-failed");
  });

  it("through the real link: a failed verify keeps it, a shopper linked through LIFF clears it", async () => {
    await report(mine.id, { code: "openid-scope", token: liffProblemToken(mine) });
    const account = await db.lineAccount.findUniqueOrThrow({ where: { id: mine.id } });
    const first = await createIntent({ shop: SHOP, lineAccountId: mine.id, customerId: "7005550001" });
    const rejected = await linkShopper(account, first.id, "not-a-token-from-line");
    expect(rejected).toEqual({ linked: false, error: "id-token-rejected" });
    expect((await problemOf(mine.id)).liffProblem).toBe("openid-scope");
    const idToken = lineFake().issueIdToken({ loginChannelId: "2000000011", sub: `U${"5".repeat(32)}`, name: "花子" });
    expect(await linkShopper(account, first.id, idToken)).toMatchObject({ linked: true });
    expect(await problemOf(mine.id)).toEqual({ liffProblem: null, liffProblemAt: null });
  });
});

describe("which page errors are the merchant's", () => {
  it("maps the flow's errors to codes, and the shopper's own troubles to none", () => {
    expect(problemFor(errorState("no-id-token"))).toBe("openid-scope");
    expect(problemFor(errorState("init-failed", "INIT_FAILED: Invalid LIFF ID"))).toBe("liff-id-mismatch");
    expect(problemFor(errorState("init-failed", "INIT_FAILED: endpoint URL mismatch"))).toBe("liff-init-failed");
    expect(problemFor(errorState("login-failed", "invalid_scope: openid is required"))).toBe("login-channel");
    expect(problemFor(errorState("login-failed", "server_error: Something broke"))).toBeNull();
    for (const error of ["login-cancelled", "storage-blocked", "network", "intent-expired", "rate-limited", "unexpected"] as const) {
      expect(problemFor(errorState(error))).toBeNull();
    }
    expect(problemFor({ kind: "working" })).toBeNull();
  });
});

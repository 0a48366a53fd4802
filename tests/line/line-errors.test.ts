// LINE's error answers become one i18n key each (in Japanese and English) plus LINE's own words. Every case is a
// real answer from the LINE fake through the one client, not a hand-made error object.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { messages, translate } from "~/i18n/messages";
import { callLine, callLineWithToken, issueStatelessToken } from "~/line/client.server";
import { lineErrorText, lineUnavailable, type LineErrorText } from "~/line/line-errors.server";
import { createShop } from "../support/factories";
import { connectedAccount, lineFake } from "../support/line";
import { LINE_RATE_LIMITS, type FakeChannel } from "../support/line-fake";
import type { LineAccount } from "@prisma/client";

const SHOP = "line-errors.myshopify.com";
const someone = `U${"1".repeat(32)}`;
let account: LineAccount;
let channel: FakeChannel;

async function textOf(call: Promise<unknown>): Promise<LineErrorText> {
  try {
    await call;
  } catch (error) {
    return lineErrorText(error);
  }
  throw new Error("expected the call to fail");
}

const push = (text = "hello", retryKey?: string) =>
  callLine(account, ({ messaging }) => messaging.pushMessage({ to: someone, messages: [{ type: "text", text }] }, retryKey));

beforeAll(async () => {
  await createShop(db, { shop: SHOP });
  ({ account, channel } = await connectedAccount(db, SHOP, { accessToken: true }));
});

beforeEach(() => {
  lineFake().reset();
  lineFake().setRateLimits(LINE_RATE_LIMITS);
  channel.quota = { type: "none" };
  channel.followersForbidden = false;
});

afterAll(() => {
  lineFake().setRateLimits(LINE_RATE_LIMITS);
});

describe("400", () => {
  it("a body with errors: LINE's count and each property in the detail", async () => {
    expect(await textOf(push("x".repeat(5001)))).toEqual({
      key: "line.error.invalidBody",
      detail: "400 The request body has 1 error(s) messages[0].text: Length must be between 1 and 5000",
    });
  });

  it("a spent reply token", async () => {
    const text = await textOf(callLine(account, ({ messaging }) => messaging.replyMessage({ replyToken: "spent", messages: [{ type: "text", text: "hi" }] })));
    expect(text).toEqual({ key: "line.error.replyToken", detail: "400 Invalid reply token" });
  });

  it("a wrong channel secret when issuing a token", async () => {
    expect(await textOf(issueStatelessToken(account.channelId, "0".repeat(32)))).toEqual({
      key: "line.error.credentials",
      detail: "400 invalid client_id or client_secret",
    });
  });
});

it("401 for a token LINE does not accept", async () => {
  const text = await textOf(callLineWithToken("not-a-token", ({ messaging }) => messaging.getBotInfo()));
  expect(text.key).toBe("line.error.unauthorized");
  expect(text.detail).toMatch(/^401 Authentication failed/);
});

it("403 for what the plan does not allow", async () => {
  channel.followersForbidden = true;
  expect(await textOf(callLine(account, ({ messaging }) => messaging.getFollowers()))).toEqual({
    key: "line.error.forbidden",
    detail: "403 Access to this API is not available for your account",
  });
});

it("404 for an unknown user", async () => {
  expect((await textOf(callLine(account, ({ messaging }) => messaging.getProfile(someone)))).key).toBe("line.error.notFound");
});

it("409 for a retry key LINE already accepted", async () => {
  const key = crypto.randomUUID();
  await push("once", key);
  expect(await textOf(push("once", key))).toEqual({ key: "line.error.alreadyAccepted", detail: "409 The retry key is already accepted" });
});

describe("429, told apart by LINE's message", () => {
  it("the rate limit", async () => {
    lineFake().setRateLimits({ push: 1 });
    await push();
    expect(await textOf(push())).toEqual({ key: "line.error.rateLimited", detail: "429 The API rate limit has been exceeded. Try again later." });
  });

  it("the monthly limit", async () => {
    channel.quota = { type: "limited", value: 0 };
    expect(await textOf(push())).toEqual({ key: "line.error.monthlyLimit", detail: "429 You have reached your monthly limit." });
  });

  it("any other limit", async () => {
    lineFake().failNext(1, { status: 429, path: "/v2/bot/message/push", body: { message: "Another limit was exceeded" } });
    expect(await textOf(push())).toEqual({ key: "line.error.tooManyRequests", detail: "429 Another limit was exceeded" });
  });
});

describe("LINE unavailable", () => {
  it("a 5xx", async () => {
    lineFake().failNext(1, { status: 503, path: "/v2/bot/message/push" });
    const text = await textOf(push());
    expect(text).toEqual({ key: "line.error.unavailable", detail: "503 Service unavailable" });
    expect(lineUnavailable(text)).toBe(true);
  });

  it("no answer in time", async () => {
    lineFake().delayNext(1, 500, { path: "/v2/bot/info" });
    const text = await textOf(callLine(account, ({ messaging }) => messaging.getBotInfo(), 100));
    expect(text).toEqual({ key: "line.error.timeout", detail: null });
    expect(lineUnavailable(text)).toBe(true);
  });

  it("no connection", async () => {
    const base = env.LINE_API_BASE_URL;
    env.LINE_API_BASE_URL = "http://127.0.0.1:1";
    try {
      expect(await textOf(callLine(account, ({ messaging }) => messaging.getBotInfo()))).toEqual({ key: "line.error.network", detail: null });
    } finally {
      env.LINE_API_BASE_URL = base;
    }
  });
});

it("has Japanese and English words for every key", () => {
  const keys = Object.keys(messages.en).filter((key) => key.startsWith("line.error."));
  expect(keys.length).toBeGreaterThan(10);
  for (const key of keys as (keyof typeof messages.en)[]) {
    expect(translate("ja", key)).not.toBe(translate("en", key));
    expect(translate("ja", key)).toMatch(/[ぁ-んァ-ン一-龯]/);
  }
});

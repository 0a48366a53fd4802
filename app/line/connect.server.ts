// Proving a channel's credentials with LINE, and registering and testing our webhook URL there.
import { HTTPFetchError, messagingApi } from "@line/bot-sdk";
import type { LineAccount } from "@prisma/client";
import { db } from "../db.server";
import type { FieldErrors } from "./account-input";
import { callLine, callLineWithToken, issueStatelessToken, lineErrorMessage } from "./client.server";
import { lineErrorText, lineUnavailable } from "./line-errors.server";

type BotFields = {
  botUserId: string;
  botBasicId: string;
  botDisplayName: string;
  botPictureUrl: string | null;
  chatMode: string | null;
};

async function botInfo(channelAccessToken: string) {
  return callLineWithToken(channelAccessToken, ({ messaging }) => messaging.getBotInfo());
}

function status(error: unknown) {
  return error instanceof HTTPFetchError ? error.status : undefined;
}

type Refusal = { errors: FieldErrors; detail?: string };

/** Any other failure: "LINE did not answer" when it did not, otherwise LINE's reason in the merchant's words. */
function otherFailure(error: unknown): Refusal {
  const text = lineErrorText(error);
  if (lineUnavailable(text)) return { errors: { form: "accounts.error.lineUnavailable" } };
  return { errors: { form: text.key }, ...(text.detail ? { detail: text.detail } : {}) };
}

/**
 * Issues a stateless token from channel ID + secret (LINE answers 400 when they do not match) and reads the
 * bot info with it; a long-lived token, when given, must work and belong to the same bot.
 */
export async function proveCredentials(
  channelId: string,
  channelSecret: string,
  accessToken?: string,
): Promise<{ bot: BotFields } | Refusal> {
  let token: string;
  try {
    token = await issueStatelessToken(channelId, channelSecret);
  } catch (error) {
    if (status(error) === 400 || status(error) === 401) return { errors: { channelSecret: "accounts.error.credentialsRejected" } };
    return otherFailure(error);
  }
  try {
    const bot = await botInfo(token);
    if (accessToken) {
      let tokenBot: messagingApi.BotInfoResponse;
      try {
        tokenBot = await botInfo(accessToken);
      } catch (error) {
        if (status(error) === 401) return { errors: { accessToken: "accounts.error.tokenRejected" } };
        throw error;
      }
      if (tokenBot.userId !== bot.userId) return { errors: { accessToken: "accounts.error.tokenOtherChannel" } };
    }
    return {
      bot: {
        botUserId: bot.userId,
        botBasicId: bot.basicId,
        botDisplayName: bot.displayName,
        botPictureUrl: bot.pictureUrl ?? null,
        chatMode: bot.chatMode ?? null,
      },
    };
  } catch (error) {
    return otherFailure(error);
  }
}

/** Sets the channel's webhook URL to ours and runs LINE's webhook test; the outcome is stored and shown. */
export async function registerWebhook(account: LineAccount, endpoint: string): Promise<LineAccount> {
  let result: { webhookRegisteredAt: Date | null; webhookTestOk: boolean; webhookTestDetail: string };
  try {
    await callLine(account, ({ messaging }) => messaging.setWebhookEndpoint({ endpoint }));
    const test = await callLine(account, ({ messaging }) => messaging.testWebhookEndpoint({ endpoint }));
    result = {
      webhookRegisteredAt: new Date(),
      webhookTestOk: test.success ?? false,
      webhookTestDetail: test.success ? `${test.statusCode}` : [test.statusCode, test.reason, test.detail].filter(Boolean).join(" "),
    };
  } catch (error) {
    result = { webhookRegisteredAt: null, webhookTestOk: false, webhookTestDetail: lineErrorMessage(error) };
  }
  return db.lineAccount.update({ where: { id: account.id, shop: account.shop }, data: { webhookUrl: endpoint, ...result } });
}

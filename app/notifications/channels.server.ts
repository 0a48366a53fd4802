// Sending one text to one staff channel. E-mail goes through nodemailer (SMTP from env.server.ts); Chatwork and
// Slack through an HTTPS POST that passes the SSRF guard (app/sources/safe-url.server.ts); LINE through the send
// pipeline (kind "notification"). Each returns nothing on success and throws a SendFailure otherwise.
import http from "node:http";
import https from "node:https";
import nodemailer, { type Transporter } from "nodemailer";
import { decryptSecret } from "../crypto.server";
import { env } from "../env.server";
import { createDeliveries } from "../messaging/deliveries.server";
import { retryKeyFor } from "../messaging/retry-key";
import { isAllowlisted, publicOnlyLookup, refuseUrl } from "../sources/safe-url.server";

const HTTP_TIMEOUT_MS = 10_000;

/** A failed send: retry says whether another attempt may succeed (network, 5xx, 429) or not (4xx, bad config). */
export class SendFailure extends Error {
  override name = "SendFailure";
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

export type ChannelRow = {
  id: string;
  shop: string;
  type: string;
  target: string;
  secret: string | null;
  lineAccountId: string | null;
};

export type Outgoing = { subject: string; text: string; sourceId: string };

let transport: Transporter | null = null;
function mailer() {
  transport ??= nodemailer.createTransport({
    host: env.SMTP_HOST,
    port: env.SMTP_PORT,
    secure: env.SMTP_SECURE,
    auth: env.SMTP_USER ? { user: env.SMTP_USER, pass: env.SMTP_PASSWORD } : undefined,
    connectionTimeout: HTTP_TIMEOUT_MS,
    greetingTimeout: HTTP_TIMEOUT_MS,
    socketTimeout: HTTP_TIMEOUT_MS,
  });
  return transport;
}

/** Closes pooled SMTP connections (worker shutdown, tests). */
export function closeMailer() {
  transport?.close();
  transport = null;
}

async function sendEmail(channel: ChannelRow, message: Outgoing) {
  if (!env.SMTP_HOST) throw new SendFailure("smtp-not-configured", false);
  try {
    await mailer().sendMail({ from: env.SMTP_FROM, to: channel.target, subject: message.subject, text: message.text });
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    // 5xx SMTP replies are permanent (unknown mailbox, refused); 4xx and connection failures are worth another try.
    throw new SendFailure(`smtp: ${(error as Error).message}`.slice(0, 500), !(code && code >= 500));
  }
}

/** One POST through the SSRF guard; 2xx is success. */
export function postSafely(rawUrl: string, headers: Record<string, string>, body: string): Promise<void> {
  const refusal = refuseUrl(rawUrl);
  if (refusal) return Promise.reject(new SendFailure(refusal, false));
  const url = new URL(rawUrl);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      url,
      {
        method: "POST",
        lookup: publicOnlyLookup(isAllowlisted(rawUrl)) as never,
        timeout: HTTP_TIMEOUT_MS,
        headers: { "user-agent": "line-crm-notifications/1", "content-length": Buffer.byteLength(body), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.length < 8 && chunks.push(chunk));
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve();
          const detail = Buffer.concat(chunks).toString("utf8").slice(0, 200);
          reject(new SendFailure(`HTTP ${status}${detail ? `: ${detail}` : ""}`, status === 408 || status === 429 || status >= 500));
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${HTTP_TIMEOUT_MS} ms`)));
    request.on("error", (error) => reject(new SendFailure(error.message, error.name !== "PrivateAddressError")));
    request.end(body);
  });
}

async function sendChatwork(channel: ChannelRow, message: Outgoing) {
  if (!channel.secret || !/^\d+$/.test(channel.target)) throw new SendFailure("chatwork-not-configured", false);
  const url = `${env.CHATWORK_API_BASE_URL.replace(/\/$/, "")}/v2/rooms/${channel.target}/messages`;
  const body = new URLSearchParams({ body: message.text, self_unread: "1" }).toString();
  await postSafely(url, { "x-chatworktoken": decryptSecret(channel.secret), "content-type": "application/x-www-form-urlencoded" }, body);
}

async function sendSlack(channel: ChannelRow, message: Outgoing) {
  if (!channel.secret) throw new SendFailure("slack-not-configured", false);
  await postSafely(decryptSecret(channel.secret), { "content-type": "application/json" }, JSON.stringify({ text: message.text }));
}

/** A push from the shop's own account to the staff member's LINE: counted against the quota like any push. */
async function sendLine(channel: ChannelRow, message: Outgoing) {
  if (!channel.lineAccountId || !channel.target) throw new SendFailure("line-not-linked", false);
  await createDeliveries([
    {
      shop: channel.shop,
      lineAccountId: channel.lineAccountId,
      kind: "notification",
      channel: "push",
      sourceId: message.sourceId,
      recipients: [channel.target],
      messages: [{ type: "text", text: message.text.slice(0, 5_000) }],
      // One delivery per notification, however often the job runs (a repeat insert returns the row there).
      retryKey: retryKeyFor(`notification:${message.sourceId}`),
    },
  ]);
}

export async function sendToChannel(channel: ChannelRow, message: Outgoing) {
  switch (channel.type) {
    case "email":
      return sendEmail(channel, message);
    case "chatwork":
      return sendChatwork(channel, message);
    case "slack":
      return sendSlack(channel, message);
    case "line":
      return sendLine(channel, message);
    default:
      throw new SendFailure(`unknown channel type ${channel.type}`, false);
  }
}

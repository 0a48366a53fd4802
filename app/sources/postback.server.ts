// Conversion postbacks: the merchant's URL template filled in for one friend source, sent by a job.
import http from "node:http";
import https from "node:https";
import type { Friend, TrackingClick, TrackingLink } from "@prisma/client";
import { isAllowlisted, publicOnlyLookup, refuseUrl } from "./safe-url.server";

export const POSTBACK_TIMEOUT_MS = 5_000;

type Context = {
  link: Pick<TrackingLink, "code" | "landingPageUrl">;
  friend: Pick<Friend, "lineUserId" | "shopifyCustomerId">;
  click: Pick<TrackingClick, "id" | "params"> | null;
  now?: Date;
};

// Ad networks name their click ids differently; {click_id} takes the first one present.
const CLICK_ID_PARAMS = ["click_id", "clickid", "gclid", "fbclid", "ttclid", "yclid", "ldtag_cl", "twclid", "msclkid"];

/** Where a URL connects, and as whom: scheme, credentials, host and port as the WHATWG parser reads them. */
function authority(raw: string): string | null {
  try {
    const url = new URL(raw);
    return `${url.protocol}//${url.username}:${url.password}@${url.host}`;
  } catch {
    return null;
  }
}

/**
 * Whether filling in the template left its server as written. Parsed, not matched with a pattern: the parser reads
 * `https:\\{x}/` and `https:/{x}/` as the host "{x}", so a click's query would choose where we connect.
 */
export function keepsAuthority(template: string, expanded: string): boolean {
  const before = authority(template);
  return before !== null && !/[{}]|%7b|%7d/i.test(before) && authority(expanded) === before;
}

/**
 * Fills {now}, {customer_id}, {line_user_id}, {lp_url}, {url_id}, {click_id} and any {query_param}; URL-encoded.
 * A template whose server part holds a variable (saved before that was refused) is returned unfilled, and
 * sendPostback refuses it.
 */
export function expandTemplate(template: string, context: Context): string {
  const params = (context.click?.params ?? {}) as Record<string, string>;
  const values: Record<string, string> = {
    ...params,
    now: String(Math.floor((context.now ?? new Date()).getTime() / 1000)),
    customer_id: context.friend.shopifyCustomerId ?? "",
    line_user_id: context.friend.lineUserId,
    lp_url: context.link.landingPageUrl ?? "",
    url_id: context.link.code,
    click_id: CLICK_ID_PARAMS.map((name) => params[name]).find(Boolean) ?? context.click?.id ?? "",
  };
  const expanded = template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ""));
  return keepsAuthority(template, expanded) ? expanded : template;
}

export type PostbackOutcome = { status: number } | { error: string; retry: boolean };

/** One attempt. 2xx is delivered; 408, 429 and 5xx and network failures may be retried; other 4xx may not. */
export async function sendPostback(rawUrl: string, method: "GET" | "POST"): Promise<PostbackOutcome> {
  const refusal = refuseUrl(rawUrl);
  if (refusal) return { error: refusal, retry: false };
  const url = new URL(rawUrl);
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const request = client.request(
      url,
      {
        method,
        lookup: publicOnlyLookup(isAllowlisted(rawUrl)) as never,
        timeout: POSTBACK_TIMEOUT_MS,
        headers: { "user-agent": "line-crm-postback/1", ...(method === "POST" ? { "content-length": "0" } : {}) },
      },
      (response) => {
        response.resume();
        const status = response.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve({ status });
        else resolve({ error: `HTTP ${status}`, retry: status === 408 || status === 429 || status >= 500 });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${POSTBACK_TIMEOUT_MS} ms`)));
    request.on("error", (error) =>
      resolve({ error: error.message, retry: error.name !== "PrivateAddressError" }),
    );
    request.end();
  });
}

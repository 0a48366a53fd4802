// LINE's own check of message objects before a broadcast is saved: POST /v2/bot/message/validate/{push,multicast,
// reply}. They check everything a send would (sizes, URLs, Flex layout) without sending or costing quota.
import { HTTPFetchError } from "@line/bot-sdk";
import type { LineMessage } from "./build";
import { callLine } from "../line/client.server";
import type { TokenSource } from "../line/tokens.server";

export type ValidationChannel = "push" | "multicast" | "reply";

type Detail = { message?: string; property?: string };

const PARTS: [RegExp, (match: RegExpExecArray) => string][] = [
  [/^contents\.contents\[(\d+)\]/, (m) => `card ${Number(m[1]) + 1}`],
  [/^contents/, () => "card"],
  [/^hero\.(url|action\.uri)/, (m) => (m[1] === "url" ? "image" : "image link")],
  [/^footer\.contents\[\d+\]\.action\.uri/, () => "button link"],
  [/^footer\.contents\[\d+\]\.action\.label/, () => "button label"],
  [/^body\.contents\[0\]\.text/, () => "title"],
  [/^originalContentUrl/, () => "image URL"],
  [/^previewImageUrl/, () => "preview image URL"],
  [/^altText/, () => "notification text"],
  [/^text/, () => "text"],
];

/** "messages[1].contents.contents[2].hero.url" → "Message 2, card 3, image". */
export function describeProperty(property: string | undefined): string {
  const match = /^messages\[(\d+)\]\.?(.*)$/.exec(property ?? "");
  if (!match) return property ? property : "Messages";
  const words = [`Message ${Number(match[1]) + 1}`];
  let rest = match[2];
  while (rest) {
    const part = PARTS.find(([pattern]) => pattern.test(rest));
    if (!part) {
      words.push(rest);
      break;
    }
    const found = part[0].exec(rest) as RegExpExecArray;
    words.push(part[1](found));
    rest = rest.slice(found[0].length).replace(/^\./, "");
  }
  return words.join(", ");
}

/** LINE's 400 answer as sentences; null when the failure is not LINE refusing the messages. */
export function lineValidationErrors(error: unknown): string[] | null {
  if (!(error instanceof HTTPFetchError) || error.status !== 400) return null;
  try {
    const body = JSON.parse(error.body) as { message?: string; details?: Detail[] };
    if (body.details?.length) return body.details.map((d) => `${describeProperty(d.property)}: ${d.message ?? "invalid"}`);
    return [body.message ?? "LINE refused the messages"];
  } catch {
    return ["LINE refused the messages"];
  }
}

/**
 * [] when LINE would accept `messages` on `channel`, else LINE's reasons in words ("Message 1, text: Length must be
 * between 0 and 5000"). Other failures (LINE unreachable, a revoked token) are thrown: nothing was checked.
 */
export async function validateWithLine(account: TokenSource, messages: LineMessage[], channel: ValidationChannel): Promise<string[]> {
  try {
    await callLine(account, ({ messaging }) => {
      const request = { messages };
      if (channel === "push") return messaging.validatePush(request);
      if (channel === "multicast") return messaging.validateMulticast(request);
      return messaging.validateReply(request);
    });
    return [];
  } catch (error) {
    const errors = lineValidationErrors(error);
    if (errors) return errors;
    throw error;
  }
}

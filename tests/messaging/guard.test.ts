// Every push, multicast, reply, broadcast and narrowcast in the product goes through the send pipeline
// (app/messaging): a module elsewhere that calls LINE's sending endpoints fails this test.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOTS = ["app", "jobs"];
const ALLOWED = path.join("app", "messaging") + path.sep;
// The SDK's methods (and their WithHttpInfo variants) and the endpoints' paths, for a raw fetch.
const SENDING = [
  /\.\s*(pushMessage|multicast|replyMessage|broadcast|narrowcast)(WithHttpInfo)?\s*\(/,
  /\/v2\/bot\/message\/(push|multicast|reply|broadcast|narrowcast)\b/,
];

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sources(file);
    return /\.(ts|tsx|js|mjs)$/.test(name) ? [file] : [];
  });
}

export function offenders(files: string[], read: (file: string) => string = (file) => readFileSync(file, "utf8")) {
  return files.filter((file) => !file.startsWith(ALLOWED) && SENDING.some((pattern) => pattern.test(read(file))));
}

describe("the send pipeline is the only sender", () => {
  it("no module outside app/messaging calls LINE's push, multicast, reply, broadcast or narrowcast", () => {
    const files = ROOTS.flatMap(sources);
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((file) => file.startsWith(ALLOWED))).toBe(true);
    expect(offenders(files)).toEqual([]);
  });

  it("would catch such a call", () => {
    const calls = {
      "app/chat/x.server.ts": "await callLine(account, ({ messaging }) => messaging.pushMessage({ to, messages }, key));",
      "jobs/processors/y.ts": "clients.messaging\n  .multicastWithHttpInfo({ to, messages })",
      "app/z.server.ts": 'await fetch(`${base}/v2/bot/message/broadcast`, { method: "POST" })',
      "app/messaging/line-request.server.ts": "messaging.replyMessageWithHttpInfo({ replyToken, messages })",
    } as Record<string, string>;
    expect(offenders(Object.keys(calls), (file) => calls[file])).toEqual(["app/chat/x.server.ts", "jobs/processors/y.ts", "app/z.server.ts"]);
  });
});

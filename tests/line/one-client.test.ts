// Every call to LINE goes through app/line/client.server.ts, so every call has its timeout, its abort, its error
// mapping and its log line. This reads the sources of app/ and jobs/ and fails on a module that builds a LINE SDK
// client, fetches from a LINE API host, or reads LINE's API base URLs anywhere else.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "../..");
const THE_CLIENT = "app/line/client.server.ts";
const LINE_BASE = /\bLINE_(?:DATA_)?API_BASE_URL\b|\bapi(?:-data)?\.line\.me\b/;

function sources(): { path: string; text: string }[] {
  return ["app", "jobs"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => /\.tsx?$/.test(file))
      .map((file) => relative(ROOT, join(ROOT, dir, file)))
      .map((path) => ({ path, text: readFileSync(join(ROOT, path), "utf8") })),
  );
}

/** Local names a module imports from @line/bot-sdk (`import { messagingApi, HTTPFetchError as E }` → both). */
function sdkNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/import\s+(?!type\b)([^;]*?)\s+from\s+["']@line\/bot-sdk["']/g)) {
    const clause = match[1] ?? "";
    const star = /\*\s+as\s+(\w+)/.exec(clause);
    if (star?.[1]) names.push(star[1]);
    const braces = /\{([^}]*)\}/.exec(clause);
    for (const part of braces?.[1]?.split(",") ?? []) {
      if (/^\s*type\s/.test(part)) continue;
      const local = part.trim().split(/\s+as\s+/).pop();
      if (local) names.push(local);
    }
  }
  return names;
}

/** Why a module breaks the rule, or null. */
function violation(path: string, text: string): string | null {
  if (path === THE_CLIENT) return null;
  if (/import\(\s*["']@line\/bot-sdk["']\s*\)/.test(text)) return "imports @line/bot-sdk at run time";
  for (const name of sdkNames(text)) {
    if (new RegExp(`\\bnew\\s+${name}\\b`).test(text) || new RegExp(`\\b${name}(?:\\.\\w+)*\\.from\\w*\\(`).test(text)) {
      return `constructs a LINE SDK client (${name})`;
    }
  }
  const fetches = /\bfetch\s*\(/.test(text);
  if (fetches && LINE_BASE.test(text)) return "fetches from a LINE API host";
  if (path !== "app/env.server.ts" && LINE_BASE.test(text)) return "reads a LINE API base URL";
  return null;
}

it("leaves every LINE call to app/line/client.server.ts", () => {
  const found = sources()
    .map(({ path, text }) => ({ path, why: violation(path, text) }))
    .filter((entry) => entry.why !== null);
  expect(found).toEqual([]);
});

it("recognises the ways around it", () => {
  const cases: Record<string, string> = {
    sdkClient: `import { messagingApi } from "@line/bot-sdk";\nconst c = new messagingApi.MessagingApiClient({ channelAccessToken });`,
    renamed: `import { channelAccessToken as cat } from "@line/bot-sdk";\nnew cat.ChannelAccessTokenClient({});`,
    star: `import * as line from "@line/bot-sdk";\nconst c = new line.messagingApi.MessagingApiClient({});`,
    liff: `import { liff } from "@line/bot-sdk";\nconst c = new liff.LiffClient({ channelAccessToken });`,
    factory: `import { LineBotClient } from "@line/bot-sdk";\nLineBotClient.fromChannelAccessToken({ channelAccessToken });`,
    rawFetch: `const r = await fetch(new URL("/oauth2/v2.1/verify", env.LINE_API_BASE_URL), { method: "POST" });`,
    rawHost: `await fetch("https://api-data.line.me/v2/bot/message/1/content");`,
    baseElsewhere: `export const verifyUrl = new URL("/oauth2/v2.1/verify", env.LINE_API_BASE_URL);`,
  };
  for (const [name, text] of Object.entries(cases)) expect(violation("app/x.server.ts", text), name).not.toBeNull();
  const fine = `import { HTTPFetchError, messagingApi, validateSignature } from "@line/bot-sdk";\ntype B = messagingApi.BotInfoResponse;\nawait fetch("/liff/1/link");`;
  expect(violation("app/x.server.ts", fine)).toBeNull();
});

// The greeting: text messages sent by reply when someone adds a LINE account as a friend (or unblocks it).
// One per account. Error values are i18n keys (app/i18n/greeting.ts).
import { z } from "zod";
import { db, sql } from "../db.server";
import { unlessNotFound, upsertOnce } from "../prisma-errors";

export type GreetingErrors = Record<string, string>;
export type Greeting = { lineAccountId: string; enabled: boolean; messages: string[]; updatedAt: Date };

/** LINE's limits: 1–5 messages per reply, 5000 characters per text message. */
export const GREETING_MAX_MESSAGES = 5;
export const GREETING_MAX_LENGTH = 5000;

const inputSchema = z.object({
  enabled: z.boolean(),
  messages: z
    .array(
      z
        .string()
        .trim()
        .min(1, "greeting.error.messageRequired")
        .max(GREETING_MAX_LENGTH, "greeting.error.messageTooLong"),
    )
    .min(1, "greeting.error.messageCount")
    .max(GREETING_MAX_MESSAGES, "greeting.error.messageCount"),
});

/** Field names as the page uses them: "messages" for the list, "messages.2" for the third message. */
function fieldErrors(error: z.ZodError): GreetingErrors {
  const errors: GreetingErrors = {};
  for (const issue of error.issues) errors[issue.path.length ? issue.path.join(".") : "form"] ??= issue.message;
  return errors;
}

function toGreeting(row: { lineAccountId: string; enabled: boolean; messages: unknown; updatedAt: Date }): Greeting {
  const messages = Array.isArray(row.messages) ? row.messages.filter((m): m is string => typeof m === "string") : [];
  return { lineAccountId: row.lineAccountId, enabled: row.enabled, messages, updatedAt: row.updatedAt };
}

export async function getGreeting(lineAccountId: string): Promise<Greeting | null> {
  const row = await db.greetingMessage.findUnique({ where: { lineAccountId } });
  return row ? toGreeting(row) : null;
}

export async function saveGreeting(
  shop: string,
  lineAccountId: string,
  input: { enabled: boolean; messages: string[] },
): Promise<{ greeting: Greeting } | { errors: GreetingErrors }> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) return { errors: fieldErrors(parsed.error) };
  const data = { enabled: parsed.data.enabled, messages: parsed.data.messages };
  // Both branches are the shop's: another shop's account id matches no row to update and no account to connect.
  const row = await unlessNotFound(
    upsertOnce(() =>
      db.greetingMessage.upsert({
        where: { lineAccountId, shop },
        create: { shop, ...data, lineAccount: { connect: { id: lineAccountId, shop } } },
        update: data,
      }),
    ),
  );
  return row ? { greeting: toGreeting(row) } : { errors: { form: "greeting.error.account" } };
}

/** What to send on a follow event, or null when the greeting is off or was never set. */
export async function greetingToSend(lineAccountId: string): Promise<string[] | null> {
  // Raw: this runs for every follow event (the worker's hot path, tests/bench/README.md).
  const [row] = await sql<Parameters<typeof toGreeting>[0]>`
    SELECT "lineAccountId", enabled, messages, "updatedAt" FROM "GreetingMessage" WHERE "lineAccountId" = ${lineAccountId}`;
  const greeting = row ? toGreeting(row) : null;
  if (!greeting?.enabled || greeting.messages.length === 0) return null;
  return greeting.messages;
}

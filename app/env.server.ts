// Configuration, validated once. Feature code imports `env`, never process.env.
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const LOCAL_ENV_FILE = path.resolve(".env.local");
const DEV_ONLY = {
  SHOPIFY_API_KEY: "local-dev-api-key",
  SHOPIFY_API_SECRET: "local-dev-api-secret",
  SHOPIFY_APP_URL: "http://localhost:3000",
} as const;

const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, "base64").length === 32, "must be 32 bytes, base64-encoded");

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /**
   * How many reverse proxies in front of the web process append to X-Forwarded-For. 0: the client is the socket's
   * peer and the header is ignored; N: the Nth address from the right of the header (what the outermost proxy saw).
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  DATABASE_URL: z.url().default("postgresql://postgres@127.0.0.1:5432/line_crm"),
  /**
   * Whether `sql` (app/db.server.ts) prepares its statements by name. Turn off behind a connection pooler that cannot
   * keep prepared statements (PgBouncer before 1.21 in transaction mode).
   */
  DATABASE_PREPARED_STATEMENTS: z.enum(["true", "false"]).default("true").transform((value) => value === "true"),
  /** Opening a connection (or waiting for a free one in the pool) longer than this fails the request. */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  /**
   * PostgreSQL cancels a statement running longer than this (0: no limit); the client gives up on an answer a
   * little later (`DATABASE_QUERY_TIMEOUT_MS`) when the server itself stops answering.
   */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  DATABASE_QUERY_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** PostgreSQL ends a session left idle inside a transaction longer than this, releasing its locks (0: never). */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  REDIS_URL: z.url().default("redis://127.0.0.1:6379"),
  /** A Redis command of the web process (enqueue, rate limit) unanswered this long fails; workers' blocking reads have none. */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(100).default(2_000),
  /** Prefix of every BullMQ key; lets tests and several environments share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default("line-crm"),
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.url(),
  SCOPES: z.string().default("read_orders,read_customers,write_customers,read_products,write_files,write_app_proxy"),
  /** AES-256-GCM key for secrets at rest (`kid1:base64,kid2:base64` to rotate; the first one encrypts). */
  ENCRYPTION_KEY: z.string().min(1),
  LINE_API_BASE_URL: z.url().default("https://api.line.me"),
  LINE_DATA_API_BASE_URL: z.url().default("https://api-data.line.me"),
  LIFF_URL_BASE: z.url().default("https://liff.line.me"),
  /**
   * Development only: the web process serves the local demo's LINE sandbox (app/demo/) on this port of 127.0.0.1;
   * 0 turns it off. Without a configured Shopify app (no SHOPIFY_API_KEY) it defaults to PORT + 1, with both LINE
   * base URLs pointing at it, so `npm start` runs the demo with no LINE account. Never started in production.
   */
  LINE_SANDBOX_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** How long one LINE API call may take before it is aborted (and, for a send, its outcome is unknown). */
  LINE_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  /** Requests a second per LINE channel, shared by every worker: below LINE's 2,000 push and 200 multicast. */
  LINE_PUSH_PER_SECOND: z.coerce.number().int().min(1).max(2_000).default(1_800),
  LINE_MULTICAST_PER_SECOND: z.coerce.number().int().min(1).max(200).default(180),
  /** Test-only: host:port pairs a conversion postback may reach over http or on a private address. */
  POSTBACK_ALLOW_HOSTS: z
    .string()
    .default("")
    .transform((value) => value.split(",").map((host) => host.trim()).filter(Boolean)),
  /**
   * Outgoing mail for staff notifications (app/notifications/channels.server.ts). Without SMTP_HOST, e-mail
   * notifications fail with "smtp-not-configured" (recorded on each notification) and the other channels still work.
   */
  SMTP_HOST: z.string().default(""),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  /** true: TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
  SMTP_USER: z.string().default(""),
  SMTP_PASSWORD: z.string().default(""),
  SMTP_FROM: z.string().default("LINE CRM <no-reply@localhost>"),
  /** Chatwork's API (tests point it at a fake on loopback, listed in POSTBACK_ALLOW_HOSTS). */
  CHATWORK_API_BASE_URL: z.url().default("https://api.chatwork.com"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(20),
  /** How long a job stays locked to a worker that stops renewing it (a crashed one), and how often that is checked. */
  WORKER_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  SHUTDOWN_DEADLINE_MS: z.coerce.number().int().min(100).default(10_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof schema> & { encryptionKeys: EncryptionKey[]; isProduction: boolean };
export type EncryptionKey = { id: string; key: Buffer };

function loadEnvFiles() {
  // Files never override the real environment; .env.local (machine-local, generated) wins over .env.
  for (const file of [LOCAL_ENV_FILE, path.resolve(".env")]) {
    if (existsSync(file)) process.loadEnvFile(file);
  }
}

/** A local encryption key, generated once and kept in .env.local so data stays readable across restarts. */
function ensureLocalEncryptionKey(source: NodeJS.ProcessEnv) {
  if (source.ENCRYPTION_KEY) return;
  const key = randomBytes(32).toString("base64");
  // `npm start` runs this in its setup step, before web and worker start side by side.
  appendFileSync(LOCAL_ENV_FILE, `ENCRYPTION_KEY=${key}\n`, { mode: 0o600 });
  source.ENCRYPTION_KEY = key;
  console.warn(`Generated a local ENCRYPTION_KEY in ${LOCAL_ENV_FILE} (development only).`);
}

export function parseEncryptionKeys(value: string): EncryptionKey[] {
  const entries = value.split(",").map((entry) => entry.trim()).filter(Boolean);
  return entries.map((entry, index) => {
    const [id, material] = entry.includes(":") ? entry.split(":", 2) : [`k${index + 1}`, entry];
    const parsed = base64Key.safeParse(material);
    if (!parsed.success) throw new Error(`Invalid environment: ENCRYPTION_KEY (${id}) ${parsed.error.issues[0]?.message}`);
    return { id, key: Buffer.from(material, "base64") };
  });
}

/** No Shopify app configured in development: LINE is the local demo's sandbox (app/demo/sandbox.server.ts). */
function localDemoDefaults(source: NodeJS.ProcessEnv): Record<string, string> {
  if (source.SHOPIFY_API_KEY) return {};
  const port = String((Number(source.PORT) || 3000) + 1);
  const sandbox = `http://127.0.0.1:${port}`;
  return { LINE_SANDBOX_PORT: port, LINE_API_BASE_URL: sandbox, LINE_DATA_API_BASE_URL: sandbox };
}

export function parseEnv(source: NodeJS.ProcessEnv): Env {
  const isProduction = source.NODE_ENV === "production";
  const withDefaults = isProduction ? source : { ...DEV_ONLY, ...localDemoDefaults(source), ...source };
  if (!isProduction) ensureLocalEncryptionKey(withDefaults);
  const result = schema.safeParse(withDefaults);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment:\n  ${fields.join("\n  ")}`);
  }
  return { ...result.data, isProduction, encryptionKeys: parseEncryptionKeys(result.data.ENCRYPTION_KEY) };
}

loadEnvFiles();
export const env: Env = parseEnv(process.env);

import path from "node:path";
import { defineConfig } from "prisma/config";
import { env } from "./app/env.server";
import { migrationAdapter } from "./prisma/migrate-adapter";

// The CLI reads the app's own validated configuration (and its .env files), so both agree on DATABASE_URL.
process.env.DATABASE_URL = env.DATABASE_URL;

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { seed: "tsx prisma/seed.ts" },
  // Migrations run through the Wasm schema engine and this adapter: no engine binary is downloaded.
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => migrationAdapter(env.DATABASE_URL),
});

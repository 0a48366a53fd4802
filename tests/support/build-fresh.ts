// Whether the Remix build is newer than everything it is built from, so a test run can skip rebuilding it.
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

// app/ imports jobs/ (queues), so both end up in the server build.
const SOURCES = ["app", "jobs", "remix.config.js", "package-lock.json"];
const OUTPUTS = ["build/index.js", "public/build"];

function newest(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(file).reduce((latest, name) => Math.max(latest, newest(path.join(file, name))), stat.mtimeMs);
}

export function buildIsFresh(root = process.cwd()): boolean {
  const outputs = OUTPUTS.map((output) => path.join(root, output));
  if (!outputs.every((output) => existsSync(output))) return false;
  const built = statSync(outputs[0]).mtimeMs;
  const sources = SOURCES.map((source) => path.join(root, source)).filter((source) => existsSync(source));
  return sources.every((source) => newest(source) < built);
}

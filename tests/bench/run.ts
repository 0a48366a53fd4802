// `npm run bench -- <name>`: runs the exported `run()` of tests/bench/<name>.ts. Benchmarks are never part of
// `npm test`; each one sets up what it needs and prints a JSON object as its last line.
import { readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const NOT_BENCHMARKS = ["run.ts", "support.ts"]; // this runner and the benchmarks' shared helpers

function available(): string[] {
  return readdirSync(here)
    .filter((file) => file.endsWith(".ts") && !NOT_BENCHMARKS.includes(file) && !file.endsWith(".test.ts") && !file.endsWith(".d.ts"))
    .map((file) => file.slice(0, -3))
    .sort();
}

function usage(message: string): never {
  console.error(`${message}\nusage: npm run bench -- <name>\navailable: ${available().join(", ") || "(none)"}`);
  process.exit(1);
}

async function main() {
  // Children are started as `tsx …` from PATH; through npm that resolves to the `node` devDependency (22).
  if (Number(process.versions.node.split(".")[0]) < 22) usage(`Node ${process.version}: run benchmarks through npm run bench`);
  const name = process.argv[2];
  if (!name) usage("no benchmark named");
  if (!available().includes(name)) usage(`unknown benchmark "${name}"`);
  const module = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as { run?: () => Promise<unknown> };
  if (typeof module.run !== "function") usage(`tests/bench/${name}.ts exports no run()`);
  await module.run();
}

main().then(
  // Benchmarks may leave handles (pools, sockets) behind; the figures are printed, so leave now (with the
  // exit code a benchmark set, e.g. 1 when it found lost or duplicated work).
  () => process.exit(),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);

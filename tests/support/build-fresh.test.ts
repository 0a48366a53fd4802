import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildIsFresh } from "./build-fresh";

function checkout() {
  const root = mkdtempSync(path.join(tmpdir(), "build-fresh-"));
  const write = (file: string, at: number) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), "x");
    // A directory's time changes when a file is added or removed in it; the ones written here date from `at` too.
    for (let part = file; part !== "."; part = path.dirname(part)) utimesSync(path.join(root, part), at, at);
  };
  return { root, write };
}

describe("buildIsFresh", () => {
  it("is true only when the build is newer than every file under app/ and jobs/ and the Remix config", () => {
    const { root, write } = checkout();
    write("app/routes/deep/page.tsx", 1_000);
    write("jobs/queues.ts", 1_000);
    write("remix.config.js", 1_000);
    expect(buildIsFresh(root)).toBe(false); // never built

    write("build/index.js", 2_000);
    write("public/build/entry.client.js", 2_000);
    expect(buildIsFresh(root)).toBe(true);

    write("app/routes/deep/page.tsx", 3_000);
    expect(buildIsFresh(root)).toBe(false);
    write("build/index.js", 4_000);
    expect(buildIsFresh(root)).toBe(true);
    write("jobs/queues.ts", 5_000);
    expect(buildIsFresh(root)).toBe(false);
    write("build/index.js", 6_000);
    write("remix.config.js", 7_000);
    expect(buildIsFresh(root)).toBe(false);
  });
});

// Types and code flow from domain modules into routes, never back: a component or domain module that imports a
// route module makes an import circle (the route imports the component).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const APP = path.resolve("app");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return /\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** The module specifiers a file imports or re-exports from (static and dynamic). */
function specifiers(source: string): string[] {
  const found = [...source.matchAll(/(?:import|export)\s[^;]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g)];
  return found.map((match) => match[1] ?? match[2]);
}

describe("module boundaries", () => {
  it("no module outside app/routes imports a route module", () => {
    const offenders = sourceFiles(APP)
      .filter((file) => !file.startsWith(path.join(APP, "routes") + path.sep))
      .flatMap((file) =>
        specifiers(readFileSync(file, "utf8"))
          .filter((spec) => {
            const target = spec.startsWith("~/") ? path.join(APP, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(file), spec) : null;
            return target !== null && target.startsWith(path.join(APP, "routes") + path.sep);
          })
          .map((spec) => `${path.relative(APP, file)} → ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it("the settings pages' routes hold loader, action and a composed page (≤ 150 lines)", () => {
    for (const route of ["app.abandoned-cart.tsx", "app.auto-replies.tsx", "app.greeting.tsx"]) {
      const lines = readFileSync(path.join(APP, "routes", route), "utf8").split("\n").length;
      expect(lines, route).toBeLessThanOrEqual(150);
    }
  });
});

/**
 * The layering docs/architecture.md describes, held by a test so it cannot bend silently: which
 * folders may import which, and how long a product file may grow before it must say why it stays whole.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

function productFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** `src/verify/run.ts` → `verify`; `src/errors.ts` → `errors.ts`. */
const concernOf = (file: string) => relative(src, file).split("/")[0] as string;

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^"']*?from\s*["']([^"']+)["']/g)].map((m) => m[1] as string);
  return specifiers.filter((s) => s.startsWith(".")).map((s) => resolve(dirname(file), s).replace(/\.js$/, ".ts"));
}

const files = productFiles(src);

describe("the layering", () => {
  it("verify imports nothing from migrate, and migrate nothing from verify", () => {
    const crossings = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => {
          const [from, to] = [concernOf(file), concernOf(target)];
          return (from === "verify" && to === "migrate") || (from === "migrate" && to === "verify");
        })
        .map((target) => `${relative(root, file)} → ${relative(root, target)}`),
    );
    expect(crossings).toEqual([]);
  });

  it("only the entry points (cli, actions) import from src/cli", () => {
    const crossings = files.flatMap((file) =>
      importsOf(file)
        .filter((target) => concernOf(target) === "cli" && !["cli", "actions"].includes(concernOf(file)))
        .map((target) => `${relative(root, file)} → ${relative(root, target)}`),
    );
    expect(crossings).toEqual([]);
  });

  it("the plan is pure: it reads no client, store, file or clock", () => {
    const allowed = new Set(["plan", "zephyr", "qtest", "config"]);
    const impure = files
      .filter((file) => concernOf(file) === "plan")
      .flatMap((file) => {
        const text = readFileSync(file, "utf8");
        const local = importsOf(file).filter((target) => !allowed.has(concernOf(target)));
        const clients = importsOf(file).filter((target) => /\/client\.ts$/.test(target));
        const io = /from "node:(fs|http|net|child_process)/.test(text) || /\bnew Date\(\)|Date\.now\(\)/.test(text);
        return [...local, ...clients, ...(io ? ["node I/O or the clock"] : [])].map((what) => `${relative(root, file)}: ${what}`);
      });
    expect(impure).toEqual([]);
  });

  it("no product file over 450 lines unless its first comment says why it stays whole", () => {
    const long = files.filter((file) => {
      const text = readFileSync(file, "utf8");
      if (text.split("\n").length <= 450) return false;
      const head = text.slice(0, 1500);
      return !/stays? whole/i.test(head);
    });
    expect(long.map((file) => relative(root, file))).toEqual([]);
  });
});

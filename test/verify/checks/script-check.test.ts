import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../../src/errors.js";
import type { VerificationReport } from "../../../src/report/verification-report.js";
import { messageLines, runCli } from "../../support/cli.js";

/**
 * Script checks: a TypeScript module's findings land in the same report and gate as the built-in
 * kinds', through `ztoq verify --checks FILE` — the CLI imports the .ts module as it is.
 */

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

const CHECK = `
// The part of the helpers this check uses (docs/script-checks.md has them all).
interface ScriptCheckApi {
  options: Record<string, unknown>;
  describe(sides: { source?: string; target?: string }): void;
  missing(key: string): void;
  extra(key: string): void;
  compare(key: string, source: unknown, target: unknown): void;
  fail(key: string, rule: string, values?: { expected?: unknown; actual?: unknown }): void;
}

interface Order { id: number; total: number; lines: { sku: string; qty: number }[] }

export default async function check(t: ScriptCheckApi): Promise<void> {
  const before: Order[] = JSON.parse(t.options.before as string);
  const after: Order[] = JSON.parse(t.options.after as string);
  t.describe({ source: "orders before", target: "orders after" });
  const byId = new Map(after.map((o) => [o.id, o]));
  for (const order of before) {
    const moved = byId.get(order.id);
    if (!moved) t.missing(\`order=\${order.id}\`);
    else t.compare(\`order=\${order.id}\`, order, moved);
    byId.delete(order.id);
  }
  for (const id of byId.keys()) t.extra(\`order=\${id}\`);
  // A business rule the data itself must satisfy on the new side.
  for (const order of after) {
    const sum = order.lines.reduce((n, line) => n + line.qty, 0);
    if (sum <= 0) t.fail(\`order=\${order.id}\`, "lines.qty sum > 0", { expected: "> 0", actual: sum });
  }
}
`;

async function checksDir(before: unknown[], after: unknown[], extra = ""): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), "ztoq-script-check-"));
  dirs.push(dir);
  await writeFile(join(dir, "orders-check.ts"), CHECK);
  const file = join(dir, "checks.yml");
  await writeFile(
    file,
    `checks:
  - name: orders
    kind: script
    module: ./orders-check.ts
    options:
      before: '${JSON.stringify(before)}'
      after: '${JSON.stringify(after)}'
${extra}`,
  );
  return { dir, file };
}

const order = (id: number, total: number, qty = 1) => ({ id, total, lines: [{ sku: `s${id}`, qty }] });

describe("a script check", () => {
  it("passes when the script finds nothing, with what it compared counted", async () => {
    const orders = [order(1, 10), order(2, 20)];
    const { dir, file } = await checksDir(orders, orders);
    const result = await runCli(["verify", "--checks", file, "--report", join(dir, "report.json")], {});
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as VerificationReport;
    expect(report.status).toBe("passed");
    expect(report.checks[0]).toMatchObject({
      name: "orders",
      kind: "script",
      verdict: "passed",
      matched: 2,
      source: { description: "orders before", count: 2 },
      target: { description: "orders after", count: 2 },
    });
    expect(report.cost.requests).toBeNull();
    expect(result.stdout).toContain("### ✅ orders (script): orders before → orders after");
  });

  it("fails the gate with each finding counted and named by key and path", async () => {
    const { dir, file } = await checksDir(
      [order(1, 10), order(2, 20), order(3, 30)],
      [order(1, 11), order(3, 30, 0), order(4, 40)],
    );
    const result = await runCli(["verify", "--checks", file, "--report", join(dir, "report.json")], {});
    expect(result.code).toBe(ExitCode.failed);
    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as VerificationReport;
    const check = report.checks[0];
    if (check?.kind !== "script") throw new Error("expected the script check");
    expect({ missing: check.missingInTarget, extra: check.extraInTarget, changed: check.changed }).toEqual({
      missing: 1,
      extra: 1,
      // order 1's total, order 3's quantity (a difference), and order 3's rule: one changed entry each.
      changed: 3,
    });
    const keyed = check.samples.map((s) => [s.key, s.problem, s.differences.map((d) => d.path)]);
    expect(keyed).toEqual(
      expect.arrayContaining([
        ["order=2", "missing", []],
        ["order=4", "extra", []],
        ["order=1", "changed", ["total"]],
        ["order=3", "changed", ["lines[0].qty"]],
        ["order=3", "changed", ["lines.qty sum > 0"]],
      ]),
    );
    expect(report.totals).toMatchObject({ missing: 1, extra: 1, changed: 3 });
  });

  it("honours its own thresholds", async () => {
    const { dir, file } = await checksDir([order(1, 10)], [order(1, 11)], "    failOn: changed>1\n");
    const result = await runCli(["verify", "--checks", file, "--report", join(dir, "report.json")], {});
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    const report = JSON.parse(await readFile(join(dir, "report.json"), "utf8")) as VerificationReport;
    expect(report.checks[0]).toMatchObject({
      verdict: "passed",
      changed: 1,
      failOn: "missing>0,extra>0,changed>1,duplicated>0,misplaced>0",
    });
  });
});

describe("a checks file that is wrong", () => {
  const cases: [string, string, RegExp][] = [
    ["missing", "", /checks file .*nope\.yml: not found/],
    ["not YAML", "checks: [\n", /invalid YAML at line/],
    ["unknown kind", "checks:\n  - name: a\n    kind: ftp\n", /checks\.0\.kind: expected one of/],
    [
      "duplicate names",
      "checks:\n  - { name: a, kind: script, module: x.ts }\n  - { name: a, kind: script, module: y.ts }\n",
      /checks\.1\.name: 'a' names another check too/,
    ],
    [
      "bad threshold",
      "checks:\n  - { name: a, kind: script, module: x.ts, failOn: 'changed>>2' }\n",
      /check 'a' failOn: 'changed>>2' is not a threshold/,
    ],
    [
      "missing module",
      "checks:\n  - { name: a, kind: script, module: ./absent.ts }\n",
      /check 'a': module \.\/absent\.ts not found/,
    ],
  ];
  for (const [what, text, message] of cases) {
    it(`${what}: exit 2, one line`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "ztoq-checks-file-"));
      dirs.push(dir);
      const file = join(dir, what === "missing" ? "nope.yml" : "checks.yml");
      if (what !== "missing") await writeFile(file, text);
      const result = await runCli(["verify", "--checks", file, "--report", join(dir, "report.json")], {});
      expect(result.code).toBe(ExitCode.badInput);
      const lines = messageLines(result.stderr);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(message);
    });
  }
});

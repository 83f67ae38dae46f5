import { readFile, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verificationReportSchema } from "../../src/report/verification-report.js";
import { parseWorkflowCommands } from "../support/action-runner.js";
import { describeRun, MIGRATE_ACTION, onlyArtifact, type Stage, type StepRun, startStage, VERIFY_ACTION } from "./harness.js";

/**
 * The verify action with a checks file: the migration check, a sql check (run by the bundle's worker
 * thread, dist/sql-worker.js) and a script check in one report — its outputs, annotations, job summary,
 * artifact and sticky pull-request comment cover every kind.
 */
const SCRIPT = `
export default async function check(t) {
  t.describe({ source: "ledger v1", target: "ledger v2" });
  t.compare("account=1", { balance: 10 }, { balance: 10 });
  t.compare("account=2", { balance: 20 }, { balance: 25 });
  t.missing("account=3");
}
`;

describe("the verify action with a checks file", () => {
  let stage: Stage;
  let run: StepRun;
  const owner = "ztoq-org";
  const repo = "ztoq-demo";

  beforeAll(async () => {
    stage = await startStage({ generate: 20, seed: 3 });
    const migrated = await stage.run(MIGRATE_ACTION);
    expect(migrated.exitCode, describeRun(migrated)).toBe(0);
    await writeFile(join(stage.workspace, "ledger-check.mjs"), SCRIPT);
    for (const [file, note] of [
      ["old.db", "paid"],
      ["new.db", "refunded"],
    ] as const) {
      const db = new DatabaseSync(join(stage.workspace, file));
      db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO orders VALUES (1, 'open'), (2, '${note}')`);
      db.close();
    }
    await writeFile(
      join(stage.workspace, "checks.yml"),
      "checks:\n  - name: migration\n    kind: zephyr-qtest\n" +
        "  - name: orders\n    kind: sql\n    source: sqlite:old.db\n    target: sqlite:new.db\n    table: orders\n    key: id\n" +
        "  - name: ledger\n    kind: script\n    module: ./ledger-check.mjs\n",
    );
    run = await stage.run(VERIFY_ACTION, {
      inputs: { checks: "checks.yml", comment: "always" },
      eventName: "pull_request",
      eventPayload: { number: 21, pull_request: { number: 21 } },
    });
  }, 120_000);
  afterAll(async () => {
    await stage?.close();
  });

  it("fails the gate on the sql and script checks, with outputs summed over every check", async () => {
    expect(run.exitCode, describeRun(run)).toBe(1);
    expect(run.outputs.result).toBe("failed");
    const report = verificationReportSchema.parse(
      JSON.parse(await readFile(resolve(stage.workspace, run.outputs["report-path"] ?? ""), "utf8")),
    );
    expect(report.checks.map((c) => [c.name, c.kind, c.verdict])).toEqual([
      ["migration", "zephyr-qtest", "passed"],
      ["orders", "sql", "failed"],
      ["ledger", "script", "failed"],
    ]);
    expect({ missing: run.outputs.missing, mismatches: run.outputs.mismatches }).toEqual({ missing: "1", mismatches: "2" });
  });

  it("annotates each check's findings by check and key", () => {
    const errors = parseWorkflowCommands(run).filter((c) => c.command === "error");
    const titles = errors.map((e) => e.properties.title);
    expect(errors.find((e) => e.properties.title === "ZTOQ verify: orders (sql) id=2 changed")?.message).toBe(
      'note: "paid" ≠ "refunded"',
    );
    expect(titles).toContain("ZTOQ verify: ledger (script) account=2 changed");
    expect(titles).toContain("ZTOQ verify: ledger (script) account=3 missing");
    expect(errors.find((e) => e.properties.title?.endsWith("account=2 changed"))?.message).toBe("balance: 20 ≠ 25");
  });

  it("writes every check to the summary, the artifact and one pull-request comment", () => {
    expect(run.summary).toContain("### ✅ migration: ");
    expect(run.summary).toContain("### ❌ orders (sql): sqlite:old.db table orders → sqlite:new.db table orders");
    expect(run.summary).toContain("### ❌ ledger (script): ledger v1 → ledger v2");
    const { files } = onlyArtifact(run);
    expect([...files.keys()].sort()).toEqual([".ztoq/reports/verification-report.json", ".ztoq/reports/verification-report.md"]);
    const comments = stage.github.commentsOn(owner, repo, 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("ledger (script)");
    expect(comments[0]?.body).toContain("orders (sql)");
  });
});

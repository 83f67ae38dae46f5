import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MigrationReport, migrationReportSchema } from "../../src/report/migration-report.js";
import { type VerificationReport, verificationReportSchema } from "../../src/report/verification-report.js";
import { workflowCommands } from "../support/action-runner.js";
import {
  clearTextLeaks,
  describeRun,
  MIGRATE_ACTION,
  onlyArtifact,
  type Stage,
  type StepRun,
  startStage,
  targetCounts,
  VERIFY_ACTION,
} from "./harness.js";

/**
 * The migrate action, then the verify action on the same workspace and state, each run as the runner
 * runs it (child process, INPUT_* variables, GITHUB_OUTPUT, step summary, artifact upload), against
 * the mocks. The tests in this file run in order and share the stage: migrate, verify, PR comments.
 */
describe("the migrate action, then the verify action", () => {
  let stage: Stage;
  let before: Record<string, number>;
  let migrateRun: StepRun;
  let report: MigrationReport;

  beforeAll(async () => {
    stage = await startStage({ generate: 40, seed: 7 });
    before = targetCounts(stage.mocks);
    migrateRun = await stage.run(MIGRATE_ACTION);
    const reportPath = migrateRun.outputs["report-path"];
    if (reportPath)
      report = migrationReportSchema.parse(JSON.parse(await readFile(resolve(stage.workspace, reportPath), "utf8")));
  }, 90_000);
  afterAll(async () => {
    await stage?.close();
  });

  describe("migrate", () => {
    it("exits 0 with status=succeeded, failed=0 and the report path", () => {
      expect(migrateRun.exitCode, describeRun(migrateRun)).toBe(0);
      expect(migrateRun.outputs.status).toBe("succeeded");
      expect(migrateRun.outputs.failed).toBe("0");
      expect(existsSync(resolve(stage.workspace, migrateRun.outputs["report-path"] ?? "missing"))).toBe(true);
      expect(report.status).toBe("succeeded");
      expect(workflowCommands(migrateRun, "error")).toEqual([]);
    });

    it("outputs created = the sum of created entities = what the report and the qTest mock hold", () => {
      const created = Number(migrateRun.outputs.created);
      expect(created).toBeGreaterThan(0);
      expect(created).toBe(report.totals.created);
      expect(report.entities.reduce((sum, e) => sum + e.created, 0)).toBe(created);
      const after = targetCounts(stage.mocks);
      const grown = Object.fromEntries(Object.entries(after).map(([type, n]) => [type, n - (before[type] ?? 0)]));
      expect(grown).toEqual(Object.fromEntries(report.entities.map((e) => [e.type, e.created])));
      expect(Object.values(grown).reduce((sum, n) => sum + n, 0)).toBe(created);
      expect(migrateRun.outputs.updated).toBe(String(report.totals.updated));
      expect(migrateRun.outputs.unchanged).toBe(String(report.totals.unchanged));
    });

    it("writes the migration table to the step summary", () => {
      const t = report.totals;
      expect(migrateRun.summary).toContain("ZTOQ migration: succeeded");
      expect(migrateRun.summary).toContain(
        "| Entity | Created | Updated | Unchanged | Failed | Skipped | Disappeared | Pruned |",
      );
      expect(migrateRun.summary).toContain(`| **Total** | ${t.created} | ${t.updated} | ${t.unchanged} | ${t.failed} |`);
      expect(migrateRun.summary).toContain(`/actions/runs/${migrateRun.env.GITHUB_RUN_ID}/artifacts/`);
    });

    it("uploads one artifact: both reports, as on disk, and the SQLite state file", async () => {
      const { artifact, files } = onlyArtifact(migrateRun);
      expect(artifact.name).toBe("ztoq-migration");
      expect(migrateRun.outputs["artifact-id"]).toBe(String(artifact.id));
      expect([...files.keys()].sort()).toEqual([
        ".ztoq/reports/migration-report.json",
        ".ztoq/reports/migration-report.md",
        ".ztoq/state.db",
      ]);

      const onDisk = await readFile(resolve(stage.workspace, migrateRun.outputs["report-path"] ?? ""), "utf8");
      expect(JSON.parse(files.get(".ztoq/reports/migration-report.json")?.toString("utf8") ?? "")).toEqual(JSON.parse(onDisk));
      expect(files.get(".ztoq/reports/migration-report.md")?.toString("utf8")).toBe(
        await readFile(join(stage.workspace, ".ztoq/reports/migration-report.md"), "utf8"),
      );

      const state = files.get(".ztoq/state.db") ?? Buffer.alloc(0);
      expect(state.subarray(0, 16).toString("latin1")).toBe("SQLite format 3\0");
      expect(state.equals(await readFile(join(stage.workspace, ".ztoq", "state.db")))).toBe(true);
      // The zipped file alone (no -wal beside it) holds the run: the action closed the store first.
      const copy = await mkdtemp(join(tmpdir(), "ztoq-state-copy-"));
      try {
        await writeFile(join(copy, "state.db"), state);
        const db = new DatabaseSync(join(copy, "state.db"), { readOnly: true });
        try {
          const entities = db.prepare("SELECT count(*) AS n FROM entities").get() as { n: number };
          const runs = db.prepare("SELECT id FROM runs").all() as { id: string }[];
          expect(entities.n).toBeGreaterThanOrEqual(report.totals.created);
          expect(runs.map((r) => r.id)).toEqual([report.run.id]);
        } finally {
          db.close();
        }
      } finally {
        await rm(copy, { recursive: true, force: true });
      }
    });

    it("masks the tokens and never prints them in clear", () => {
      for (const secret of [stage.mocks.zephyr.token, stage.mocks.qtest.token]) {
        expect(migrateRun.lines).toContain(`::add-mask::${secret}`);
        expect(clearTextLeaks(migrateRun, secret)).toEqual([]);
      }
    });
  });

  describe("verify, after it", () => {
    let run: StepRun;
    let verification: VerificationReport;

    beforeAll(async () => {
      run = await stage.run(VERIFY_ACTION);
      const path = run.outputs["report-path"];
      if (path) verification = verificationReportSchema.parse(JSON.parse(await readFile(resolve(stage.workspace, path), "utf8")));
    }, 60_000);

    it("exits 0 with result=passed and nothing missing, extra or mismatched", () => {
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs).toMatchObject({ result: "passed", missing: "0", extra: "0", mismatches: "0" });
      expect(existsSync(resolve(stage.workspace, run.outputs["report-path"] ?? "missing"))).toBe(true);
      expect(run.outputs["artifact-id"]).toMatch(/^\d+$/);
      expect(verification.status).toBe("passed");
      expect(workflowCommands(run, "error")).toEqual([]);
      expect(run.summary).toContain("ZTOQ verification: passed");
    });

    it("uploads the verification report and its Markdown twin as one artifact", async () => {
      const { artifact, files } = onlyArtifact(run);
      expect(artifact.name).toBe("ztoq-verification");
      expect(run.outputs["artifact-id"]).toBe(String(artifact.id));
      expect([...files.keys()].sort()).toEqual([
        ".ztoq/reports/verification-report.json",
        ".ztoq/reports/verification-report.md",
      ]);
      const onDisk = await readFile(resolve(stage.workspace, run.outputs["report-path"] ?? ""), "utf8");
      expect(JSON.parse(files.get(".ztoq/reports/verification-report.json")?.toString("utf8") ?? "")).toEqual(JSON.parse(onDisk));
    });

    it("does not comment outside a pull request", () => {
      expect(stage.github.requests).toEqual([]);
    });

    it("masks the tokens and never prints them in clear", () => {
      for (const secret of [stage.mocks.zephyr.token, stage.mocks.qtest.token]) {
        expect(run.lines).toContain(`::add-mask::${secret}`);
        expect(clearTextLeaks(run, secret)).toEqual([]);
      }
    });
  });

  describe("verify on a pull request", () => {
    const owner = "ztoq-org";
    const repo = "ztoq-demo";
    const prEvent = (number: number) => ({
      eventName: "pull_request",
      eventPayload: { number, pull_request: { number } },
    });

    it("comment: always, run twice → exactly one comment, updated by the second run", async () => {
      const first = await stage.run(VERIFY_ACTION, { ...prEvent(12), inputs: { comment: "always" } });
      expect(first.exitCode, describeRun(first)).toBe(0);
      const afterFirst = stage.github.commentsOn(owner, repo, 12);
      expect(afterFirst).toHaveLength(1);
      const id = afterFirst[0]?.id;
      expect(afterFirst[0]?.body).toContain("ZTOQ verification: passed");
      expect(afterFirst[0]?.body).toContain(`/actions/runs/${first.env.GITHUB_RUN_ID}/artifacts/`);

      const second = await stage.run(VERIFY_ACTION, { ...prEvent(12), inputs: { comment: "always" } });
      expect(second.exitCode, describeRun(second)).toBe(0);
      const afterSecond = stage.github.commentsOn(owner, repo, 12);
      expect(afterSecond).toHaveLength(1);
      expect(afterSecond[0]?.id).toBe(id);
      // The body is the second run's: it links the second run's artifact.
      expect(afterSecond[0]?.body).toContain(`/actions/runs/${second.env.GITHUB_RUN_ID}/artifacts/`);
      expect(afterSecond[0]?.body).not.toContain(`/actions/runs/${first.env.GITHUB_RUN_ID}/`);
      expect(afterSecond[0]?.body).toContain(second.summary.trim());
      expect(stage.github.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
      expect(stage.github.requests.filter((r) => r.method === "POST")).toHaveLength(1);
    }, 60_000);

    it("comment: never → no comment, no GitHub API call", async () => {
      const requests = stage.github.requests.length;
      const run = await stage.run(VERIFY_ACTION, { ...prEvent(13), inputs: { comment: "never" } });
      expect(run.exitCode, describeRun(run)).toBe(0);
      expect(run.outputs.result).toBe("passed");
      expect(stage.github.commentsOn(owner, repo, 13)).toEqual([]);
      expect(stage.github.requests.length).toBe(requests);
    }, 60_000);

    it("a read-only token (403) → the step still passes, with a warning about pull-requests: write", async () => {
      stage.github.readOnly = true;
      try {
        const run = await stage.run(VERIFY_ACTION, { ...prEvent(14), inputs: { comment: "always" } });
        expect(run.exitCode, describeRun(run)).toBe(0);
        expect(run.outputs.result).toBe("passed");
        const warnings = workflowCommands(run, "warning");
        expect(
          warnings.some((w) => w.includes("pull-requests: write") && w.includes("403")),
          warnings.join("\n"),
        ).toBe(true);
        expect(workflowCommands(run, "error")).toEqual([]);
        expect(stage.github.commentsOn(owner, repo, 14)).toEqual([]);
      } finally {
        stage.github.readOnly = false;
      }
    }, 60_000);
  });

  describe("migrate again, on the same workspace and state", () => {
    it.each(["full", "incremental"])(
      "mode: %s → nothing created, nothing updated, the target unchanged",
      async (mode) => {
        const counts = stage.mocks.qtest.store.counts();
        const again = await stage.run(MIGRATE_ACTION, { inputs: { mode } });
        expect(again.exitCode, describeRun(again)).toBe(0);
        expect(again.outputs).toMatchObject({ status: "succeeded", created: "0", updated: "0", failed: "0" });
        expect(stage.mocks.qtest.store.counts()).toEqual(counts);
        const { files } = onlyArtifact(again);
        expect([...files.keys()].sort()).toEqual([
          ".ztoq/reports/migration-report.json",
          ".ztoq/reports/migration-report.md",
          ".ztoq/state.db",
        ]);
      },
      60_000,
    );
  });
});

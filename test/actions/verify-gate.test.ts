import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verificationReportSchema } from "../../src/report/verification-report.js";
import { parseWorkflowCommands } from "../support/action-runner.js";
import { httpClient } from "../support/http.js";
import { describeRun, MIGRATE_ACTION, onlyArtifact, type Stage, type StepRun, startStage, VERIFY_ACTION } from "./harness.js";

interface QCase {
  id: number;
  properties: { field_name: string; field_value: string }[];
}

/**
 * The gate: after a complete migration, one migrated test case is deleted in qTest (through the qTest
 * mock's HTTP API, as a person would), and the verify action must fail the step.
 */
describe("the verify action as a gate, after a test case is deleted in qTest", () => {
  let stage: Stage;
  let victim: { id: number; key: string };
  let run: StepRun;

  beforeAll(async () => {
    stage = await startStage({ generate: 40, seed: 7 });
    const migrated = await stage.run(MIGRATE_ACTION);
    expect(migrated.exitCode, describeRun(migrated)).toBe(0);

    const { url, projectId, token } = stage.mocks.qtest;
    const qtest = httpClient(`${url}/api/v3/projects/${projectId}`, token);
    const found = await qtest.post("/search?pageSize=999", {
      object_type: "test-cases",
      fields: ["*"],
      query: "'Zephyr Key' is 'not empty'",
    });
    expect(found.status).toBe(200);
    const cases = (found.body as { items: QCase[] }).items;
    expect(cases.length).toBeGreaterThan(0);
    const first = cases[0] as QCase;
    const key = first.properties.find((p) => p.field_name === "Zephyr Key")?.field_value ?? "";
    expect(key).toMatch(/^[A-Z][A-Z0-9_]*-T\d+$/);
    victim = { id: first.id, key };
    expect((await qtest.request("DELETE", `/test-cases/${victim.id}`)).status).toBe(200);

    run = await stage.run(VERIFY_ACTION);
  }, 90_000);
  afterAll(async () => {
    await stage?.close();
  });

  it("exits 1 with result=failed and missing ≥ 1", async () => {
    expect(run.exitCode, describeRun(run)).toBe(1);
    expect(run.outputs.result).toBe("failed");
    expect(Number(run.outputs.missing)).toBeGreaterThanOrEqual(1);
    const report = verificationReportSchema.parse(
      JSON.parse(await readFile(resolve(stage.workspace, run.outputs["report-path"] ?? ""), "utf8")),
    );
    expect(report.status).toBe("failed");
    expect(String(report.totals.missing)).toBe(run.outputs.missing);
  });

  it("annotates the missing test case by its Zephyr key", () => {
    const errors = parseWorkflowCommands(run).filter((c) => c.command === "error");
    const annotation = errors.find((c) => c.properties.title?.includes(victim.key));
    expect(annotation, errors.map((e) => JSON.stringify(e)).join("\n")).toBeDefined();
    expect(annotation?.properties.title).toMatch(new RegExp(`^ZTOQ verify: Test cases ${victim.key} missing$`));
    expect(annotation?.message).toBe("in Zephyr, not found in qTest");
  });

  it("fails the step with one ::error:: line (setFailed) giving the counts", () => {
    const failed = run.lines.filter((line) => line.startsWith("::error::"));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatch(/^::error::Verification failed: [1-9]\d* missing, /);
  });

  it("keeps to the 10 error annotations GitHub shows per step, so the verdict is among them", () => {
    // GitHub shows 10 error annotations per step and drops the rest: the `…and N more` line and the
    // step's verdict (setFailed) must fit in those 10, or the reason the gate closed is not shown.
    const errorLines = run.lines.filter((line) => line.startsWith("::error"));
    expect(errorLines.length, errorLines.join("\n")).toBeLessThanOrEqual(10);
    expect(errorLines.some((line) => line.startsWith("::error::Verification failed: "))).toBe(true);
  });

  it("still uploads the report and writes the summary", () => {
    const { files } = onlyArtifact(run);
    expect([...files.keys()].sort()).toEqual([".ztoq/reports/verification-report.json", ".ztoq/reports/verification-report.md"]);
    expect(run.outputs["artifact-id"]).toMatch(/^\d+$/);
    expect(run.summary).toContain("ZTOQ verification: failed");
    expect(run.summary).toContain(victim.key);
  });

  it("on a pull request with comment: auto, comments the failure", async () => {
    const pr = await stage.run(VERIFY_ACTION, {
      eventName: "pull_request",
      eventPayload: { number: 21, pull_request: { number: 21 } },
      inputs: { comment: "auto" },
    });
    expect(pr.exitCode, describeRun(pr)).toBe(1);
    expect(pr.outputs.result).toBe("failed");
    const comments = stage.github.commentsOn("ztoq-org", "ztoq-demo", 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain("ZTOQ verification: failed");
    expect(comments[0]?.body).toContain(victim.key);
    expect(comments[0]?.body).toContain(pr.summary.trim());
  }, 60_000);
});

import { join } from "node:path";
import { expect } from "vitest";
import type { EntityType } from "../../src/entity-types.js";
import { createLogger } from "../../src/log/logger.js";
import { Progress } from "../../src/progress/progress.js";
import { type EntityCheck, migrationCheck, type VerificationReport } from "../../src/report/verification-report.js";
import { verify } from "../../src/verify/run.js";
import { type HttpClient, httpClient } from "../support/http.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

/**
 * What the verify tests share: a migrated fixture (the mocks after a real migration), `verify` run
 * against it, and the qTest objects a sabotage picks, found and read through the qTest API.
 */

const log = createLogger({ test: true });
log.level = "silent";

export function runVerify(f: MigrationFixture, failOn?: string, config = f.config) {
  return verify({
    config,
    failOn,
    reportPath: join(f.dir, "verification-report.json"),
    log,
    progress: new Progress({ quiet: true }),
  });
}

export async function migrated(): Promise<{ f: MigrationFixture; qtest: HttpClient }> {
  const f = await migrationFixture({ generate: 60, seed: 5 });
  const { exitCode } = await f.run();
  expect(exitCode).toBe(0);
  return { f, qtest: httpClient(`${f.mocks.qtest.url}/api/v3/projects/${f.mocks.qtest.projectId}`, f.mocks.qtest.token) };
}

export function entity(report: VerificationReport, type: EntityType): EntityCheck {
  const found = migrationCheck(report)?.entities.find((e) => e.type === type);
  if (!found) throw new Error(`no ${type} in the report`);
  return found;
}

export function threshold(report: VerificationReport, metric: string) {
  return migrationCheck(report)?.thresholds.find((t) => t.metric === metric);
}

type Properties = { field_id: number; field_name: string; field_value: string }[];

export interface QStep {
  id: number;
  description: string;
  expected: string;
  order: number;
  called_test_case_id?: number;
}

export interface QCase {
  id: number;
  name: string;
  parent_id: number;
  description: string;
  test_case_version_id: number;
  properties: Properties;
  test_steps: QStep[];
}

export interface QRun {
  id: number;
  name: string;
  parentId: number;
  test_case: { id: number };
  test_case_version_id: number;
  properties: Properties;
}

export interface QLog {
  id: number;
  status: { id: number };
  exe_start_date: string;
  exe_end_date: string;
  note: string;
  test_case_version_id: number;
  properties: Properties;
  test_step_logs: { test_step_id: number; status: { id: number }; actual_result: string; order: number }[];
}

/** qTest's execution statuses (the mock's, as a new project has them). */
export const STATUS_NAMES: Record<number, string> = {
  601: "Passed",
  602: "Failed",
  603: "Incomplete",
  604: "Blocked",
  605: "Unexecuted",
};

export const markerOf = (c: { properties: { field_name: string; field_value: string }[] }) =>
  c.properties.find((p) => p.field_name === "Zephyr Key")?.field_value ?? "";

/** A migrated test case (with steps) that `pick` accepts, found and read through the qTest API. */
export async function findCase(qtest: HttpClient, pick: (c: QCase) => boolean): Promise<QCase> {
  const found = await qtest.post("/search?pageSize=999", {
    object_type: "test-cases",
    fields: ["*"],
    query: "'Zephyr Key' is 'not empty'",
  });
  expect(found.status).toBe(200);
  for (const hit of (found.body as { items: { id: number }[] }).items) {
    const read = await qtest.get(`/test-cases/${hit.id}?expand=teststep`);
    expect(read.status).toBe(200);
    if (pick(read.body as QCase)) return read.body as QCase;
  }
  throw new Error("no test case fits");
}

/** Every test run of the project, read through the qTest API. */
export async function allRuns(qtest: HttpClient): Promise<QRun[]> {
  const read = await qtest.get("/test-runs?parentId=0&parentType=root&expand=descendants&pageSize=999");
  expect(read.status).toBe(200);
  return (read.body as { items: QRun[] }).items;
}

export async function logsOf(qtest: HttpClient, runId: number): Promise<QLog[]> {
  const read = await qtest.get(`/test-runs/${runId}/test-logs`);
  expect(read.status).toBe(200);
  return (read.body as { items: QLog[] }).items;
}

/** A run whose logs `pick` accepts, with those logs. */
export async function findRun(
  qtest: HttpClient,
  pick: (logs: QLog[], run: QRun) => boolean,
): Promise<{ run: QRun; logs: QLog[] }> {
  for (const run of await allRuns(qtest)) {
    const logs = await logsOf(qtest, run.id);
    if (pick(logs, run)) return { run, logs };
  }
  throw new Error("no test run fits");
}

/**
 * qTest has no DELETE for a log: the run goes (its logs with it) and comes back, in the same suite
 * with the same marker, holding `logs` as they are given (on the test case's current version).
 */
export async function recreateRun(qtest: HttpClient, run: QRun, logs: readonly QLog[]): Promise<number> {
  expect((await qtest.request("DELETE", `/test-runs/${run.id}`)).status).toBe(200);
  const marker = run.properties.find((p) => p.field_name === "Zephyr Key") as { field_id: number; field_value: string };
  const created = await qtest.post(`/test-runs?parentId=${run.parentId}&parentType=test-suite`, {
    test_case: { id: run.test_case.id },
    properties: [{ field_id: marker.field_id, field_value: marker.field_value }],
  });
  expect(created.status).toBe(201);
  const runId = (created.body as { id: number }).id;
  for (const log of logs) {
    const posted = await qtest.post(`/test-runs/${runId}/test-logs`, {
      status: log.status,
      exe_start_date: log.exe_start_date,
      exe_end_date: log.exe_end_date,
      note: log.note,
      properties: log.properties
        .filter((p) => p.field_value !== "")
        .map((p) => ({ field_id: p.field_id, field_value: p.field_value })),
      test_step_logs: log.test_step_logs.map((s) => ({
        test_step_id: s.test_step_id,
        status: s.status,
        actual_result: s.actual_result,
        order: s.order,
      })),
    });
    expect(posted.status).toBe(201);
  }
  return runId;
}

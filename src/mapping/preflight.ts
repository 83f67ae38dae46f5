import type { ResolvedConfig } from "../config/load.js";
import { BadInputError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import { allManagedFields, labelOf, type ManagedObjectType } from "../plan/managed-fields.js";
import type { Resolution } from "../plan/resolution.js";
import type { QTestClient } from "../qtest/client.js";
import type { ZephyrClient } from "../zephyr/client.js";
import { describeProblems, findField, resolveValues, type TargetSettings } from "./resolve.js";
import { readSourceUsage } from "./source-usage.js";

export interface PreflightResult {
  resolution: Resolution;
  /** Fields created (or, in a dry run, that would be created), as `object type: label`. */
  fieldsCreated: string[];
  source: { projectKey: string; testCases: number; testCycles: number; testExecutions: number };
}

/**
 * Reads the target's field settings and the source's values in use, resolves every status, priority,
 * environment, user and custom field value, and fails with all unmapped values at once — before any
 * write. Then checks the system fields ZTOQ writes and creates the fields it manages when missing
 * (not in a dry run, where they count as created with id -1). Verification runs it as a dry run.
 */
export async function preflight(
  config: ResolvedConfig,
  zephyr: ZephyrClient,
  qtest: QTestClient,
  options: { dryRun: boolean; log: Logger },
): Promise<PreflightResult> {
  const [project] = await Promise.all([zephyr.project(), qtest.project()]);
  const [caseFields, suiteFields, runFields, executionStatuses, users] = await Promise.all([
    qtest.fields("test-cases"),
    qtest.fields("test-suites"),
    qtest.fields("test-runs"),
    qtest.executionStatuses(),
    qtest.users(),
  ]);
  const target: TargetSettings = {
    fields: { "test-cases": caseFields, "test-suites": suiteFields, "test-runs": runFields },
    executionStatuses,
    users,
  };
  const [caseStatuses, cycleStatuses, executionStatusList, priorities, environments] = await Promise.all([
    zephyr.statuses("TEST_CASE"),
    zephyr.statuses("TEST_CYCLE"),
    zephyr.statuses("TEST_EXECUTION"),
    zephyr.priorities(),
    zephyr.environments(),
  ]);
  const usage = await readSourceUsage(zephyr);
  // Execution steps carry statuses too, and are not read here (that would double the work): every
  // execution status must resolve, archived ones included, since old step results keep the status they
  // were given. A step result whose status did not resolve would lose its step log without a word.
  for (const status of executionStatusList) {
    const id = String(status.id);
    usage.executionStatuses.set(id, (usage.executionStatuses.get(id) ?? 0) + 1);
  }
  const names = {
    choices: { testCaseStatus: caseStatuses, testCycleStatus: cycleStatuses, priority: priorities, environment: environments },
    executionStatuses: executionStatusList,
  };
  const { values, problems } = resolveValues(usage, names, target, config.mapping);
  if (problems.length > 0) throw new BadInputError(describeProblems(problems));

  const markerField = config.mapping.markerField;
  for (const field of allManagedFields()) {
    if (field.origin === "system" && !findField(target.fields[field.objectType], labelOf(field, markerField))) {
      throw new BadInputError(
        `The qTest project has no '${labelOf(field, markerField)}' field for ${field.objectType}; ZTOQ maps onto qTest's system fields.`,
      );
    }
  }
  const fieldsCreated: string[] = [];
  const ids = new Map<string, Promise<number>>();
  const create = async (objectType: ManagedObjectType, label: string, dataType: number): Promise<number> => {
    if (options.dryRun) return -1;
    options.log.info({ objectType, field: label }, "creating field in qTest");
    return (await qtest.createField(objectType, { label, data_type: dataType, required: false })).id;
  };
  const ensure = (objectType: ManagedObjectType, label: string, dataType: number): Promise<number> => {
    const existing = findField(target.fields[objectType], label);
    if (existing) return Promise.resolve(existing.id);
    // One creation per field, though several registry entries (a run's and a log's marker) share it.
    const key = `${objectType}: ${label}`;
    let id = ids.get(key);
    if (!id) {
      fieldsCreated.push(key);
      id = create(objectType, label, dataType);
      ids.set(key, id);
    }
    return id;
  };
  const fieldIds = new Map<string, number>();
  for (const field of allManagedFields()) {
    fieldIds.set(field.id, await ensure(field.objectType, labelOf(field, markerField), field.dataType));
  }
  return {
    resolution: { markerField, fieldIds, ...values },
    fieldsCreated,
    source: { projectKey: project.key, ...usage.counts },
  };
}

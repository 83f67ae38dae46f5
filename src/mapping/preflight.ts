import type { ResolvedConfig } from "../config/load.js";
import { BadInputError } from "../errors.js";
import { ApiError } from "../http/errors.js";
import { ADAPTIVE_START_RATE } from "../http/pacing.js";
import type { Logger } from "../log/logger.js";
import { type Estimate, estimateMigration } from "../plan/estimate.js";
import { allManagedFields, labelOf, type ManagedObjectType } from "../plan/managed-fields.js";
import type { Resolution } from "../plan/resolution.js";
import type { QTestClient } from "../qtest/client.js";
import type { ZephyrClient } from "../zephyr/client.js";
import { readSourceNames, readTargetSettings } from "./read-settings.js";
import { describeProblems, findField, resolveValues } from "./resolve.js";
import { describeSettings, type SettingsToCreate, settingsToCreate, withSettings } from "./settings-to-create.js";
import { readSourceUsage, type SourceUsage } from "./source-usage.js";

export interface PreflightResult {
  resolution: Resolution;
  /** Fields created (or, in a dry run, that would be created), as `object type: label`. */
  fieldsCreated: string[];
  /** Allowed values added to existing fields (or, in a dry run, that would be), as `object type: field = label`. */
  valuesCreated: string[];
  /** Accounts with no qTest user, kept in 'Zephyr Unmapped Users' (`mapping.unmappedUsers: keep`). */
  usersKept: { accountId: string; uses: number; usedIn: string[] }[];
  source: { projectKey: string; testCases: number; testCycles: number; testExecutions: number };
  /** A full migration's requests and time at the configured rates (when asked for: dry runs). */
  estimate: Estimate | null;
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
  options: { dryRun: boolean; log: Logger; estimate?: boolean },
): Promise<PreflightResult> {
  const [project] = await Promise.all([zephyr.project(), qtest.project()]);
  const [target, names] = await Promise.all([readTargetSettings(qtest), readSourceNames(zephyr)]);
  const usage = await readSourceUsage(zephyr);
  // Execution steps carry statuses too, and are not read here (that would double the work): every
  // execution status must resolve, archived ones included, since old step results keep the status they
  // were given. A step result whose status did not resolve would lose its step log without a word.
  for (const status of names.executionStatuses) {
    const id = String(status.id);
    usage.executionStatuses.set(id, (usage.executionStatuses.get(id) ?? 0) + 1);
  }
  // What the configuration asks to create is created before resolving, so it resolves like the rest.
  const settings = settingsToCreate(usage, names, target, config.mapping);
  const described = describeSettings(settings);
  let resolvedAgainst = target;
  if (settings.fields.length + settings.values.length > 0) {
    if (options.dryRun) resolvedAgainst = withSettings(target, settings);
    else {
      await createSettings(qtest, settings, options.log);
      const [cases, suites, runs] = await Promise.all([
        qtest.fields("test-cases"),
        qtest.fields("test-suites"),
        qtest.fields("test-runs"),
      ]);
      resolvedAgainst = { ...target, fields: { "test-cases": cases, "test-suites": suites, "test-runs": runs } };
    }
  }
  const { values, problems, keptUsers } = resolveValues(usage, names, resolvedAgainst, config.mapping);
  if (problems.length > 0) throw new BadInputError(describeProblems(problems));
  Object.assign(target, resolvedAgainst);

  const markerField = config.mapping.markerField;
  for (const field of allManagedFields()) {
    if (field.origin === "system" && !findField(target.fields[field.objectType], labelOf(field, markerField))) {
      throw new BadInputError(
        `The qTest project has no '${labelOf(field, markerField)}' field for ${field.objectType}; ZTOQ maps onto qTest's system fields.`,
      );
    }
  }
  const fieldsCreated: string[] = [...described.fields];
  const ids = new Map<string, Promise<number>>();
  const create = async (objectType: ManagedObjectType, label: string, dataType: number): Promise<number> => {
    if (options.dryRun) return -1;
    options.log.info({ objectType, field: label }, "creating field in qTest");
    return (await refusedAsBadInput(() => qtest.createField(objectType, { label, data_type: dataType, required: false }))).id;
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
    if (field.onlyWhenUsersKept && keptUsers.size === 0) continue;
    fieldIds.set(field.id, await ensure(field.objectType, labelOf(field, markerField), field.dataType));
  }
  return {
    resolution: { markerField, projectKey: config.zephyr.projectKey, fieldIds, ...values },
    fieldsCreated,
    valuesCreated: described.values,
    usersKept: [...keptUsers].map(([accountId, use]) => ({ accountId, uses: use.uses, usedIn: [...use.places] })),
    source: { projectKey: project.key, ...usage.counts },
    estimate: options.estimate ? await estimate(config, zephyr, usage) : null,
  };
}

/** Creates the fields and allowed values the configuration asks for, in that order. */
async function createSettings(qtest: QTestClient, settings: SettingsToCreate, log: Logger): Promise<void> {
  for (const field of settings.fields) {
    log.info({ objectType: field.objectType, field: field.label, type: field.type }, "creating field in qTest");
    await refusedAsBadInput(() =>
      qtest.createField(field.objectType, {
        label: field.label,
        data_type: field.dataType,
        required: false,
        ...(field.allowedValues.length > 0 && { allowed_values: field.allowedValues.map((label) => ({ label })) }),
      }),
    );
  }
  for (const { objectType, fieldId, fieldLabel, labels } of settings.values) {
    log.info({ objectType, field: fieldLabel, values: labels }, "adding allowed values in qTest");
    await refusedAsBadInput(() => qtest.createAllowedValues(objectType, fieldId, labels));
  }
}

/** qTest refuses settings changes to a user without project-admin rights: bad input, named. */
export async function refusedAsBadInput<T>(create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof ApiError && error.status === 403) {
      throw new BadInputError(
        "qTest refused to change the project's field settings (HTTP 403): creating fields and allowed values needs the qTest project-admin permission (the project's Field Settings); have a project admin grant it or create them, then re-run.",
      );
    }
    throw error;
  }
}

async function estimate(config: ResolvedConfig, zephyr: ZephyrClient, usage: SourceUsage): Promise<Estimate> {
  const [caseFolders, cycleFolders] = await Promise.all([zephyr.folders("TEST_CASE"), zephyr.folders("TEST_CYCLE")]);
  return estimateMigration(
    { ...usage.counts, ...usage.executionTargets, caseFolders: caseFolders.length + 1, cycleFolders: cycleFolders.length + 1 },
    // Without a configured limit the pace is found while running; the start rate is what is sure.
    { zephyr: config.zephyr.rateLimit ?? ADAPTIVE_START_RATE, qtest: config.qtest.rateLimit ?? ADAPTIVE_START_RATE },
  );
}

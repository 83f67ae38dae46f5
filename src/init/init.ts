import { writeFile } from "node:fs/promises";
import YAML from "yaml";
import type { ResolvedConfig } from "../config/load.js";
import { collectProblems, joinProblems } from "../config/messages.js";
import { configFileSchema } from "../config/schema.js";
import { BadInputError, ExitCode, ZtoqError } from "../errors.js";
import { ApiError, UnexpectedResponseError } from "../http/errors.js";
import type { Logger } from "../log/logger.js";
import { readSourceNames, readTargetSettings } from "../mapping/read-settings.js";
import { findField, type SourceNames, type TargetSettings } from "../mapping/resolve.js";
import { readSourceUsage } from "../mapping/source-usage.js";
import { TEST_CASE_FIELDS, TEST_LOG_FIELDS, TEST_SUITE_FIELDS } from "../plan/managed-fields.js";
import { executionMarker } from "../plan/markers.js";
import { QTestClient } from "../qtest/client.js";
import type { Property } from "../qtest/schemas.js";
import { notEmptyQuery, type SearchObjectType } from "../qtest/search.js";
import { ZephyrClient } from "../zephyr/client.js";
import { Observations, observeCustomFields, observeManaged, type SourceNameLookup } from "./observed.js";
import { type Proposal, propose } from "./propose.js";
import { renderProposal } from "./render.js";
import { readTraceability } from "./traceability.js";

/**
 * `ztoq init`: reads the Zephyr project and the qTest project (and what an earlier migration wrote
 * there), proposes a configuration (`propose.ts`) and writes it with its reasons as comments
 * (`render.ts`). It writes nothing to either system.
 */

export interface InitResult {
  text: string;
  proposal: Proposal;
}

export async function proposeConfiguration(config: ResolvedConfig, log: Logger): Promise<InitResult> {
  const zephyr = ZephyrClient.fromConfig(config, log);
  const qtest = QTestClient.fromConfig(config, log);
  try {
    await Promise.all([zephyr.project(), qtest.project()]);
    const [target, names] = await Promise.all([readTargetSettings(qtest), readSourceNames(zephyr)]);
    const usage = await readSourceUsage(zephyr);
    log.info(usage.counts, "read the values the Zephyr project uses");
    const observed = await readMigrated({
      zephyr,
      qtest,
      target,
      names,
      markerField: config.mapping.markerField,
      projectKey: config.zephyr.projectKey,
      log,
    });
    const traceability = await readTraceability(zephyr, qtest, config.zephyr.projectKey);
    log.info(traceability, "read the test plans and Jira coverage of the Zephyr project");
    const proposal = propose({
      zephyr: { url: config.zephyr.url, projectKey: config.zephyr.projectKey },
      qtest: { url: config.qtest.url, projectId: config.qtest.projectId },
      markerField: config.mapping.markerField,
      usage,
      names,
      target,
      observed,
      traceability,
    });
    const text = renderProposal(proposal);
    checkProposal(text);
    return { text, proposal };
  } catch (error) {
    if (error instanceof ZtoqError) throw error;
    if (error instanceof ApiError || error instanceof UnexpectedResponseError) {
      throw new ZtoqError(`init could not read both projects: ${error.message} (nothing was written)`, ExitCode.incomplete);
    }
    throw error;
  }
}

/** The file must load as `ztoq migrate` will load it; one that does not is a bug of init, never written. */
function checkProposal(text: string): void {
  const parsed = configFileSchema.safeParse(YAML.parse(text));
  if (!parsed.success) {
    throw new Error(
      `init proposed an invalid configuration: ${joinProblems(collectProblems(parsed.error.issues).map((p) => `${p.path.join(".")}: ${p.message}`))}`,
    );
  }
}

/** Writes the file; without `force`, only where none exists (checked again at the write, not only before reading). */
export async function writeProposal(path: string, display: string, text: string, force: boolean): Promise<void> {
  try {
    await writeFile(path, text, { flag: force ? "w" : "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw existsError(display);
    throw new BadInputError(`cannot write ${display}: ${(error as Error).message}`);
  }
}

export function existsError(display: string): BadInputError {
  return new BadInputError(`${display} already exists; pass --force to overwrite it`);
}

interface MigratedSources {
  zephyr: ZephyrClient;
  qtest: QTestClient;
  target: TargetSettings;
  names: SourceNames;
  markerField: string;
  projectKey: string;
  log: Logger;
}

/** A migrated qTest object, reduced to what observing it needs. */
interface MigratedObject {
  properties: readonly Property[];
  status?: { id: number; name?: string | null | undefined };
}

/**
 * What an earlier migration made of each value: the qTest objects carrying a marker, paired with
 * their Zephyr entities. Zephyr is read a second time only for the kinds of object qTest holds
 * migrated, so a first migration costs nothing more than `readSourceUsage`.
 */
async function readMigrated(sources: MigratedSources): Promise<Observations> {
  const { zephyr, target, names, log } = sources;
  const observations = new Observations();
  const [cases, suites, logs] = await Promise.all([
    migratedObjects(sources, "test-cases", target.fields["test-cases"]),
    migratedObjects(sources, "test-suites", target.fields["test-suites"]),
    migratedObjects(sources, "test-logs", target.fields["test-runs"]),
  ]);
  const byId = (values: readonly { id: number; name: string }[]) => new Map(values.map((v) => [v.id, v.name]));
  const lookupNames: SourceNameLookup = {
    testCaseStatus: byId(names.choices.testCaseStatus),
    testCycleStatus: byId(names.choices.testCycleStatus),
    priority: byId(names.choices.priority),
    environment: byId(names.choices.environment),
  };
  const lookup = { users: target.users, names: lookupNames };
  if (cases.size > 0) {
    for await (const page of zephyr.testCases()) {
      for (const testCase of page) {
        const migrated = cases.get(testCase.key);
        if (!migrated) continue;
        observations.paired.testCases++;
        observeManaged(observations, TEST_CASE_FIELDS, testCase, migrated.properties, target.fields["test-cases"], lookup);
        observeCustomFields(observations, testCase.customFields ?? {}, migrated.properties, target.fields["test-cases"], lookup);
      }
    }
  }
  if (suites.size > 0) {
    for await (const page of zephyr.testCycles()) {
      for (const cycle of page) {
        const migrated = suites.get(cycle.key);
        if (!migrated) continue;
        observations.paired.testSuites++;
        observeManaged(observations, TEST_SUITE_FIELDS, cycle, migrated.properties, target.fields["test-suites"], lookup);
      }
    }
  }
  if (logs.size > 0) {
    const statusNames = byId(names.executionStatuses);
    for await (const page of zephyr.testExecutions()) {
      for (const execution of page) {
        // A log an earlier ZTOQ marked `execution-<id>` names no project, and nothing here ties it to this one: not observed.
        const migrated = logs.get(executionMarker(execution, sources.projectKey));
        if (!migrated) continue;
        observations.paired.testLogs++;
        observeManaged(observations, TEST_LOG_FIELDS, execution, migrated.properties, target.fields["test-runs"], lookup);
        const source = statusNames.get(execution.testExecutionStatus.id);
        const status =
          migrated.status?.name ?? target.executionStatuses.find((s) => s.id === migrated.status?.id)?.name ?? undefined;
        if (source && status) observations.record("executionStatus", source, status);
      }
    }
  }
  if (!observations.empty) log.info(observations.paired, "read what an earlier migration made of each value");
  return observations;
}

/** The objects of a type that carry a marker, by marker (the oldest where several share one, as adoption takes it). */
async function migratedObjects(
  sources: MigratedSources,
  objectType: SearchObjectType,
  fields: TargetSettings["fields"]["test-cases"],
): Promise<Map<string, MigratedObject>> {
  const byMarker = new Map<string, MigratedObject & { id: number }>();
  const markerField = findField(fields, sources.markerField);
  if (!markerField) return byMarker;
  for await (const page of sources.qtest.search(objectType, notEmptyQuery(markerField.label))) {
    for (const hit of page) {
      const { properties, status } = hit as { properties?: Property[] | null; status?: MigratedObject["status"] };
      const marker = properties?.find((p) => p.field_id === markerField.id)?.field_value?.trim();
      const known = marker && byMarker.get(marker);
      if (!marker || (known && known.id < hit.id)) continue;
      byMarker.set(marker, { id: hit.id, properties: properties ?? [], ...(status && { status }) });
    }
  }
  return byMarker;
}

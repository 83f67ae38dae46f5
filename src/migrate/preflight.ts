import type { ResolvedConfig } from "../config/load.js";
import { BadInputError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import type { QTestClient } from "../qtest/client.js";
import type { Field } from "../qtest/schemas.js";
import type { CustomFieldTarget, CustomFieldType, Resolution } from "../transform/resolution.js";
import type { ZephyrClient } from "../zephyr/client.js";
import type { Environment, Priority, Status } from "../zephyr/schemas.js";
import { type Choice, matchChoice } from "./value-matching.js";

/** Text fields ZTOQ keeps Zephyr-only facts in, created in preflight when the target lacks them. */
export const MANAGED_FIELDS = {
  labels: "Zephyr Labels",
  component: "Zephyr Component",
  estimatedTime: "Zephyr Estimated Time",
  links: "Zephyr Links",
} as const;

const TEXT_BOX = 1;
const TEXT_AREA = 2;

export interface PreflightResult {
  resolution: Resolution;
  /** Fields created (or, in a dry run, that would be created). */
  fieldsCreated: string[];
  source: { projectKey: string; testCases: number; testCycles: number; testExecutions: number };
}

interface Problem {
  what: string;
  value: string;
  uses: number;
  allowed: string[];
  configKey: string;
}

/** The source values in use, counted, so each unmapped one is reported once with its weight. */
class Usage {
  readonly #counts = new Map<string, Map<string, number>>();
  add(kind: string, value: string | number | null | undefined): void {
    if (value === null || value === undefined || value === "") return;
    const counts = this.#counts.get(kind) ?? new Map<string, number>();
    counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
    this.#counts.set(kind, counts);
  }
  of(kind: string): Map<string, number> {
    return this.#counts.get(kind) ?? new Map();
  }
}

/**
 * Reads the target's field settings and the source's values in use, resolves every status, priority,
 * environment, user and custom field value, and fails with all unmapped values at once — before any
 * write. Creates the marker and ZTOQ's own text fields when missing (not in a dry run).
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
  const [caseStatuses, cycleStatuses, executionStatusList, priorities, environments] = await Promise.all([
    zephyr.statuses("TEST_CASE"),
    zephyr.statuses("TEST_CYCLE"),
    zephyr.statuses("TEST_EXECUTION"),
    zephyr.priorities(),
    zephyr.environments(),
  ]);

  const usage = new Usage();
  const customValues = new Map<string, Map<string, number>>();
  let testCases = 0;
  for await (const page of zephyr.testCases()) {
    for (const t of page) {
      testCases++;
      usage.add("testCaseStatus", t.status.id);
      usage.add("priority", t.priority.id);
      usage.add("user", t.owner?.accountId);
      for (const [name, value] of Object.entries(t.customFields ?? {})) {
        const values = customValues.get(name) ?? new Map<string, number>();
        for (const item of Array.isArray(value) ? value : [value]) {
          if (item !== null && item !== undefined && item !== "") values.set(String(item), (values.get(String(item)) ?? 0) + 1);
        }
        customValues.set(name, values);
      }
    }
  }
  let testCycles = 0;
  for await (const page of zephyr.testCycles()) {
    for (const c of page) {
      testCycles++;
      usage.add("testCycleStatus", c.status?.id);
      usage.add("user", c.owner?.accountId);
    }
  }
  let testExecutions = 0;
  for await (const page of zephyr.testExecutions()) {
    for (const e of page) {
      testExecutions++;
      usage.add("executionStatus", e.testExecutionStatus.id);
      usage.add("environment", e.environment?.id);
    }
  }
  // Execution steps carry execution statuses too, but reading them all would double the work:
  // every non-archived execution status must resolve.
  for (const s of executionStatusList) if (!s.archived) usage.add("executionStatus", s.id);

  const problems: Problem[] = [];
  const mapping = config.mapping;
  const field = (fields: readonly Field[], label: string) => fields.find((f) => f.label.toLowerCase() === label.toLowerCase());
  const choices = (f: Field | undefined): Choice[] =>
    (f?.allowed_values ?? []).filter((v) => v.is_active !== false).map((v) => ({ id: String(v.value), label: v.label }));

  const resolveNamed = <T extends { id: number; name: string }>(
    what: string,
    kind: string,
    sources: readonly T[],
    targets: Choice[],
    configured: Record<string, string>,
    configKey: string,
  ): Map<number, string> => {
    const resolved = new Map<number, string>();
    for (const [id, uses] of usage.of(kind)) {
      const source = sources.find((s) => String(s.id) === id);
      const name = source?.name ?? `#${id}`;
      const match = matchChoice(name, targets, configured[name]);
      if (match) resolved.set(Number(id), match.id);
      else problems.push({ what, value: name, uses, allowed: targets.map((t) => t.label), configKey: `${configKey}.${name}` });
    }
    return resolved;
  };

  const statusField = field(caseFields, "Status");
  const priorityField = field(caseFields, "Priority");
  const suiteStatusField = field(suiteFields, "Status");
  const environmentField = field(runFields, "Environment");
  const testCaseStatus = resolveNamed<Status>(
    "test case status",
    "testCaseStatus",
    caseStatuses,
    choices(statusField),
    mapping.statuses.testCase,
    "mapping.statuses.testCase",
  );
  const testCycleStatus = resolveNamed<Status>(
    "test cycle status",
    "testCycleStatus",
    cycleStatuses,
    choices(suiteStatusField),
    mapping.statuses.testCycle,
    "mapping.statuses.testCycle",
  );
  const executionStatus = new Map<number, number>();
  for (const [id, value] of resolveNamed<Status>(
    "execution status",
    "executionStatus",
    executionStatusList,
    executionStatuses.map((s) => ({ id: String(s.id), label: s.name })),
    mapping.statuses.testExecution,
    "mapping.statuses.testExecution",
  )) {
    executionStatus.set(id, Number(value));
  }
  const priority = resolveNamed<Priority>(
    "priority",
    "priority",
    priorities,
    choices(priorityField),
    mapping.priorities,
    "mapping.priorities",
  );
  const environment = resolveNamed<Environment>(
    "environment",
    "environment",
    environments,
    choices(environmentField),
    mapping.environments,
    "mapping.environments",
  );

  const userIds = new Map<string, string>();
  const userChoices = users.map((u) => ({ id: String(u.id), label: u.username }));
  for (const [accountId, uses] of usage.of("user")) {
    const configured = mapping.users[accountId];
    const match =
      configured === undefined
        ? undefined
        : userChoices.find((u) => u.id === String(configured) || u.label.toLowerCase() === String(configured).toLowerCase());
    if (match) userIds.set(accountId, match.id);
    else {
      problems.push({
        what: "user",
        value: accountId,
        uses,
        allowed: userChoices.map((u) => u.label),
        configKey: `mapping.users.${accountId}`,
      });
    }
  }

  const custom = new Map<string, CustomFieldTarget>();
  for (const [name, values] of customValues) {
    const configured = mapping.customFields[name];
    if (configured && "ignore" in configured) continue;
    const label = configured?.field ?? name;
    const target = field(caseFields, label);
    if (!target) {
      problems.push({
        what: "custom field",
        value: name,
        uses: [...values.values()].reduce((a, b) => a + b, 0),
        allowed: caseFields.filter((f) => !f.system_field).map((f) => f.label),
        configKey: `mapping.customFields.${name} (map it to a qTest field, or { ignore: true })`,
      });
      continue;
    }
    const type: CustomFieldType = configured?.type ?? typeOf(target);
    const valueIds = new Map<string, string>();
    if (type === "select" || type === "multiselect" || type === "checkbox") {
      for (const [value, uses] of values) {
        const match = matchChoice(value, choices(target), configured?.values?.[value]);
        if (match) valueIds.set(value, match.id);
        else {
          problems.push({
            what: `value of custom field '${name}'`,
            value,
            uses,
            allowed: choices(target).map((c) => c.label),
            configKey: `mapping.customFields.${name}.values.${value}`,
          });
        }
      }
    }
    custom.set(name, { fieldId: target.id, type, values: valueIds });
  }

  if (problems.length > 0) throw new BadInputError(describeProblems(problems));

  const fieldsCreated: string[] = [];
  const ensureField = async (
    objectType: "test-cases" | "test-suites" | "test-runs",
    fields: readonly Field[],
    label: string,
    dataType: number,
  ) => {
    const existing = field(fields, label);
    if (existing) return existing.id;
    fieldsCreated.push(`${objectType}: ${label}`);
    if (options.dryRun) return -1;
    options.log.info({ objectType, field: label }, "creating field in qTest");
    return (await qtest.createField(objectType, { label, data_type: dataType, required: false })).id;
  };
  const marker = mapping.markerField;
  const resolution: Resolution = {
    markerField: marker,
    fields: {
      testCase: {
        marker: await ensureField("test-cases", caseFields, marker, TEXT_BOX),
        status: required(statusField, "test-cases", "Status"),
        priority: required(priorityField, "test-cases", "Priority"),
        assignedTo: required(field(caseFields, "Assigned To"), "test-cases", "Assigned To"),
        labels: await ensureField("test-cases", caseFields, MANAGED_FIELDS.labels, TEXT_BOX),
        component: await ensureField("test-cases", caseFields, MANAGED_FIELDS.component, TEXT_BOX),
        estimatedTime: await ensureField("test-cases", caseFields, MANAGED_FIELDS.estimatedTime, TEXT_BOX),
        links: await ensureField("test-cases", caseFields, MANAGED_FIELDS.links, TEXT_AREA),
        custom,
      },
      testSuite: {
        marker: await ensureField("test-suites", suiteFields, marker, TEXT_BOX),
        status: required(suiteStatusField, "test-suites", "Status"),
        plannedStart: required(field(suiteFields, "Planned Start Date"), "test-suites", "Planned Start Date"),
        plannedEnd: required(field(suiteFields, "Planned End Date"), "test-suites", "Planned End Date"),
        assignedTo: required(field(suiteFields, "Assigned To"), "test-suites", "Assigned To"),
      },
      testRun: {
        marker: await ensureField("test-runs", runFields, marker, TEXT_BOX),
        environment: required(environmentField, "test-runs", "Environment"),
      },
    },
    testCaseStatus,
    testCycleStatus,
    executionStatus,
    priority,
    environment,
    users: userIds,
    callToTest: config.migration.callToTest,
  };
  return { resolution, fieldsCreated, source: { projectKey: project.key, testCases, testCycles, testExecutions } };
}

function required(field: Field | undefined, objectType: string, label: string): number {
  if (!field)
    throw new BadInputError(`The qTest project has no '${label}' field for ${objectType}; ZTOQ maps onto qTest's system fields.`);
  return field.id;
}

/** The natural conversion for a qTest field's data type. */
function typeOf(field: Field): CustomFieldType {
  switch (field.data_type) {
    case 2:
      return "text";
    case 3:
      return "select";
    case 4:
      return "date";
    case 5:
      return "user";
    case 6:
      return "richtext";
    case 7:
      return "number";
    case 8:
      return "checkbox";
    case 9:
      return "datetime";
    case 12:
      return "url";
    case 17:
      return "multiselect";
    default:
      return "text";
  }
}

function describeProblems(problems: Problem[]): string {
  const lines = problems.map(
    (p) =>
      `  - ${p.what} '${p.value}' (used ${p.uses}×): set ${p.configKey}; allowed: ${p.allowed.length > 0 ? p.allowed.join(", ") : "(none)"}`,
  );
  return [`${problems.length} source value(s) have no mapping in the qTest project; nothing was written:`, ...lines].join("\n");
}

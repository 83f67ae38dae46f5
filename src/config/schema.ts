/**
 * The shape of `ztoq.config.yml` (YAML or JSON).
 *
 * Two schemas share every field:
 * - `configFileSchema` is what a config file may hold. Nothing in it is required, because environment
 *   variables and flags can supply everything (the CLI works with no file at all). Its input side is
 *   the published JSON Schema, so every field carries a `.describe()` text that editors show.
 * - `configSchema` is the merged result (file < environment < flags/inputs, over the defaults), where
 *   the Zephyr project key, the qTest URL and the qTest project id are required.
 *
 * Objects are strict: an unknown key is an error, so a typo in the config never passes silently.
 * Secrets have no place in either schema; `secrets.ts` rejects them by key name before validation.
 */
import { z } from "zod";
import { numberInRange, RATE_LIMIT_RANGE, TIMEOUT_SECONDS_RANGE } from "../http/limits.js";
import { QTEST_LABEL_MAX, QTEST_NAME_MAX } from "../qtest/limits.js";
import { projectKeyPattern } from "../zephyr/schemas.js";

/** qTest field types a Zephyr custom field can be converted to. */
export const customFieldTypes = [
  "text",
  "richtext",
  "number",
  "date",
  "datetime",
  "checkbox",
  "select",
  "multiselect",
  "user",
  "url",
] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

/** The field types whose values are translated through `values` (source value → target label). */
export const selectFieldTypes: readonly CustomFieldType[] = ["select", "multiselect"];

export const defaultZephyrUrl = "https://api.zephyrscale.smartbear.com/v2";
export const defaultStateLocation = ".ztoq/state.db";
export const defaultMarkerField = "Zephyr Key";
/** Beside the default state, in the one folder a repository keeps out of git. */
export const defaultReportDir = ".ztoq/reports";
/** A day: longer than any GitHub-hosted job may run (6 hours), so any wait worth having fits. */
export const MAX_WAIT_SECONDS = 86_400;

// ---- field helpers ------------------------------------------------------------------------------
// Every message is phrased as what is allowed ("expected …"); the loader adds the file or variable,
// the field path and what it got.

function intInRange(min: number, max: number) {
  const error = `expected a whole number from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

/** An id qTest gives: any whole number JavaScript holds exactly. */
function positiveId() {
  return intInRange(1, Number.MAX_SAFE_INTEGER);
}

/**
 * A name ZTOQ writes to qTest, at most `max` characters (`src/qtest/limits.ts`): refused here, before
 * anything is written, rather than by qTest half-way through a run.
 */
function qtestName(what: string, max: number) {
  const error = (issue: { input?: unknown }) => {
    const length = typeof issue.input === "string" ? issue.input.length : 0;
    return `expected ${what} of 1 to ${max} characters (qTest's limit)${length > max ? `, not ${length}` : ""}`;
  };
  return z
    .string({ error: `expected ${what} (a string)` })
    .min(1, { error })
    .max(max, { error });
}

function nonEmptyString(what = "a non-empty string") {
  const error = `expected ${what}`;
  return z.string({ error }).min(1, { error });
}

/** True when a URL string carries a user name or password (`https://user:pass@host`). */
export function urlHasCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username !== "" || url.password !== "";
  } catch {
    return false;
  }
}

function httpUrl() {
  return z
    .url({ protocol: /^https?$/, error: "expected an http:// or https:// URL" })
    .refine((value) => !urlHasCredentials(value), {
      error: "expected a URL without a user name or password (credentials go in environment variables or action inputs)",
    });
}

/**
 * `sqlite:PATH`, a plain file path (SQLite), or `postgres://…` / `postgresql://…`. Any other
 * `scheme://` is refused, so `mysql://…` or `postgress://…` is not taken for a file name.
 */
export function isStateLocation(value: string): boolean {
  if (value.trim() === "") return false;
  if (/^sqlite:/i.test(value)) return value.slice("sqlite:".length).trim() !== "";
  if (/^postgres(ql)?:\/\//i.test(value)) return URL.canParse(value);
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/**
 * The error of `attachments: upload`: naming why it is refused, and what works, beats a bare
 * "expected skip" for a value users will look for.
 */
function refusedChoice(refused: string, why: string, instead: string) {
  return (issue: { input?: unknown }) =>
    issue.input === refused ? `${JSON.stringify(refused)} is refused: ${why}; use ${JSON.stringify(instead)}` : undefined;
}

const stateLocation = z
  .string({ error: "expected sqlite:PATH, a file path, or postgres://…" })
  .refine(isStateLocation, { error: "expected sqlite:PATH, a file path, or postgres://…" });

const qtestLabel = qtestName("a qTest value label", QTEST_LABEL_MAX);

function labelMap(description: string) {
  return z.record(z.string(), qtestLabel).default({}).describe(description);
}

// ---- sections -----------------------------------------------------------------------------------

/** How fast and how long ZTOQ talks to one host: the same two settings for every API it calls. */
function pacingFields(host: string, paceFrom: string) {
  return {
    rateLimit: numberInRange(RATE_LIMIT_RANGE, "requests per second")
      .optional()
      .describe(
        `Most requests per second sent to ${host} (shared by all workers), from 0.1 to 10000. Default: none — ZTOQ finds the pace ${host} allows (from ${paceFrom}).`,
      ),
    timeoutSeconds: numberInRange(TIMEOUT_SECONDS_RANGE, "seconds")
      .default(30)
      .describe(`Timeout of one ${host} request, in seconds, from 0.1 to 3600. Default: 30.`),
  };
}

const projectKeyError = "expected a Jira project key (a capital letter, then capitals, digits or _)";

const zephyrFileSection = z.strictObject({
  url: httpUrl()
    .default(defaultZephyrUrl)
    .describe(`Base URL of the Zephyr Scale Cloud REST API v2. Environment: ZTOQ_ZEPHYR_URL. Default: ${defaultZephyrUrl}.`),
  projectKey: z
    .string({ error: projectKeyError })
    .regex(projectKeyPattern, { error: projectKeyError })
    // Jira lets an administrator raise the key length up to 255; the key names the default roots.
    .max(255, { error: "expected a Jira project key of at most 255 characters" })
    .optional()
    .describe(
      "Key of the Jira project whose Zephyr Scale test assets are migrated, e.g. QA. Required here or in ZTOQ_ZEPHYR_PROJECT.",
    ),
  ...pacingFields("Zephyr Scale", "its 429s and Retry-After"),
});

const qtestFileSection = z.strictObject({
  url: httpUrl()
    .optional()
    .describe(
      "Base URL of the qTest Manager site, e.g. https://example.qtestnet.com (the API lives under /api/v3). Required here or in ZTOQ_QTEST_URL.",
    ),
  projectId: positiveId().optional().describe("Numeric id of the target qTest project. Required here or in ZTOQ_QTEST_PROJECT."),
  ...pacingFields("qTest", "x-ratelimit-remaining-minute and its 429s"),
});

const jiraFileSection = z.strictObject({
  url: httpUrl()
    .optional()
    .describe(
      "Base URL of the Jira Cloud site whose issues the Zephyr links name, e.g. https://example.atlassian.net: resolves issue ids to keys and summaries (requirement names, reports). Optional. Environment: ZTOQ_JIRA_URL; the account e-mail and API token come from ZTOQ_JIRA_EMAIL and ZTOQ_JIRA_TOKEN.",
    ),
  ...pacingFields("Jira", "its 429s and Retry-After"),
});

/** The module ZTOQ puts the requirements it creates under (`mapping.requirements.create`). */
export const defaultRequirementsModule = "Jira Requirements";

const migrationSection = z.strictObject({
  concurrency: intInRange(1, 64).default(8).describe("How many entities are migrated at the same time (1 to 64). Default: 8."),
  retries: intInRange(0, 20)
    .default(5)
    .describe("How many times a failed idempotent request is retried, with backoff (0 to 20). Default: 5."),
  leaseSeconds: intInRange(5, 3600)
    .default(300)
    .describe(
      "Sharded runs: how long a shard's claim on an entity lasts; a shard that dies has its claimed work taken over by the others this long after (5 to 3600). Keep it above the longest time one entity can take with retries. Default: 300.",
    ),
  waitSeconds: intInRange(0, MAX_WAIT_SECONDS)
    .default(0)
    .describe(
      `When another run holds the state store (one run at a time writes through a store; shards of one sharded migration hold it together): how many seconds to wait for it before giving up with exit code 3 (0 to ${MAX_WAIT_SECONDS}). Environment: ZTOQ_WAIT_SECONDS. Default: 0, give up at once, naming the run that holds it.`,
    ),
  callToTest: z
    .enum(["call", "inline"], { error: "expected call or inline" })
    .default("call")
    .describe(
      "Zephyr call-to-test steps: `call` makes a qTest step that calls the migrated test case, its parameters kept; `inline` puts the called test case's steps in place of the call, in order, with the call's parameter values substituted. Default: call.",
    ),
  attachments: z
    .enum(["skip"], {
      error: refusedChoice(
        "upload",
        "ZTOQ does not migrate attachments — Zephyr Scale Cloud publishes no request paths for its attachment operations (README, Attachments)",
        "skip",
      ),
    })
    .default("skip")
    .describe(
      "Attachments: `skip`, the only choice — attachments are not migrated (README, Attachments, says why). `upload` is refused. Default: skip.",
    ),
});

const customFieldTarget = z
  .strictObject({
    field: qtestName("the label of a qTest field", QTEST_LABEL_MAX).describe(
      "Label of the qTest field that receives the value (on the qTest object the Zephyr entity becomes); at most 100 characters.",
    ),
    type: z
      .enum(customFieldTypes)
      .describe(
        "Type of the qTest field; the Zephyr value is converted to it (dates to ISO dates, users through mapping.users, …).",
      ),
    values: z
      .record(z.string(), qtestLabel)
      .optional()
      .describe(
        "For select and multiselect fields: Zephyr option value → qTest option label. Values not listed must match a qTest option of the same name.",
      ),
    create: z
      .boolean({ error: "expected true or false" })
      .optional()
      .describe(
        "true: preflight creates the qTest field when the project lacks it, with the data type of `type` and, for select and multiselect, the options the values use. Needs qTest project-admin rights.",
      ),
  })
  .refine((target) => target.values === undefined || selectFieldTypes.includes(target.type), {
    path: ["values"],
    error: "only allowed when type is select or multiselect",
  })
  .describe("Migrate this Zephyr custom field into a qTest field.");

const customFieldIgnore = z
  .strictObject({
    ignore: z.literal(true).describe("true: do not migrate this Zephyr custom field."),
  })
  .describe("Leave this Zephyr custom field out of the migration.");

export const customFieldMappingSchema = z
  .union([customFieldTarget, customFieldIgnore], { error: "expected { field, type, values? } or { ignore: true }" })
  .describe("Where one Zephyr custom field goes: a qTest field and a type, or { ignore: true }.");
export type CustomFieldMapping = z.infer<typeof customFieldMappingSchema>;

const qtestUser = (() => {
  const error = "expected a qTest username or a numeric qTest user id";
  return z.union(
    [z.string({ error }).min(1, { error }), z.int({ error }).min(1, { error }).max(Number.MAX_SAFE_INTEGER, { error })],
    { error },
  );
})();

const mappingSection = z.strictObject({
  rootModule: qtestName("a qTest module name", QTEST_NAME_MAX)
    .optional()
    .describe(
      "Name of the qTest module that holds the migrated folder tree (at most 500 characters). Default: the Zephyr project key.",
    ),
  cycleRoot: z
    .strictObject({
      name: qtestName("a qTest test cycle name", QTEST_NAME_MAX)
        .optional()
        .describe("Name of the root qTest test cycle (at most 500 characters). Default: the Zephyr project key."),
    })
    .optional()
    .describe("The root qTest test cycle that holds the migrated test cycle tree."),
  markerField: qtestName("the label of a qTest field", QTEST_LABEL_MAX)
    .default(defaultMarkerField)
    .describe(
      `Label of the qTest field that carries the Zephyr key (or execution id) of every migrated object; created in preflight if missing (at most 100 characters). Default: ${defaultMarkerField}.`,
    ),
  statuses: z
    .strictObject({
      testCase: labelMap("Zephyr test case status name → qTest test case Status label."),
      testCycle: labelMap("Zephyr test cycle status name → qTest test suite Status label."),
      testExecution: labelMap("Zephyr test execution status name → qTest test run/log Status label."),
    })
    .prefault({})
    .describe("Status names per entity type. A status not listed must match a qTest label of the same name, or preflight stops."),
  priorities: labelMap("Zephyr priority name → qTest Priority label. Unlisted names must match a qTest label of the same name."),
  environments: labelMap(
    "Zephyr environment name → qTest Environment label. Unlisted names must match a qTest label of the same name.",
  ),
  users: z
    .record(z.string(), qtestUser)
    .default({})
    .describe("Atlassian accountId → qTest username or numeric qTest user id (owners, executors, user fields)."),
  unmappedUsers: z
    .enum(["fail", "keep"], { error: "expected fail or keep" })
    .default("fail")
    .describe(
      "An Atlassian account with no qTest user in mapping.users: `fail` stops preflight naming it; `keep` leaves the qTest user field empty and keeps the account id in the text field 'Zephyr Unmapped Users' (created by preflight), so nothing is lost. Default: fail.",
    ),
  createMissingValues: z
    .boolean({ error: "expected true or false" })
    .default(false)
    .describe(
      "true: preflight adds the values qTest lacks to existing qTest fields (a priority, an environment, a status, a select option) instead of stopping. Needs qTest project-admin rights. Default: false.",
    ),
  customFields: z
    .record(z.string(), customFieldMappingSchema)
    .default({})
    .describe("Zephyr custom field name → { field, type, values? } or { ignore: true }."),
  requirements: z
    .strictObject({
      create: z
        .boolean({ error: "expected true or false" })
        .default(false)
        .describe(
          "true: a Jira issue a Zephyr coverage link names and qTest holds no requirement for is created as a requirement (name `KEY-123 Summary`, needs jira.url to know key and summary), marked like every ZTOQ object. false: such a link is reported as not carried, never invented. Default: false.",
        ),
      module: qtestName("a qTest module name", QTEST_NAME_MAX)
        .default(defaultRequirementsModule)
        .describe(
          `Name of the top-level qTest module the created requirements go under (at most 500 characters). Default: ${defaultRequirementsModule}.`,
        ),
    })
    .prefault({})
    .describe("Jira issues covered by Zephyr test cases and plans: how their qTest requirements are found or made."),
});

const reportSection = z.strictObject({
  dir: nonEmptyString()
    .default(defaultReportDir)
    .describe(`Directory the JSON reports and their Markdown twins are written to. Default: ${defaultReportDir}.`),
});

// ---- the file and the merged config ---------------------------------------------------------------

const sections = {
  jira: jiraFileSection
    .prefault({})
    .describe(
      "Optional: the Jira Cloud site Zephyr's links point at, to resolve issue ids to keys and summaries. Credentials come from ZTOQ_JIRA_EMAIL + ZTOQ_JIRA_TOKEN.",
    ),
  state: stateLocation
    .default(defaultStateLocation)
    .describe(
      `Where the migration state lives: sqlite:PATH, a plain file path (SQLite), or postgres://… (shared, for sharded runs; put a password in ZTOQ_STATE, not here). Environment: ZTOQ_STATE. Default: ${defaultStateLocation}.`,
    ),
  migration: migrationSection.prefault({}).describe("How the migration runs."),
  mapping: mappingSection.prefault({}).describe("How Zephyr values become qTest values."),
  report: reportSection.prefault({}).describe("Where reports are written."),
};

/** What `ztoq.config.yml` may contain. Every key is optional; defaults fill the rest. */
export const configFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of this JSON Schema, for editors. Ignored by ztoq."),
    zephyr: zephyrFileSection
      .prefault({})
      .describe("The source: Zephyr Scale Cloud. The API token comes from ZTOQ_ZEPHYR_TOKEN."),
    qtest: qtestFileSection
      .prefault({})
      .describe(
        "The target: qTest Manager. Credentials come from ZTOQ_QTEST_TOKEN or ZTOQ_QTEST_USERNAME + ZTOQ_QTEST_PASSWORD.",
      ),
    ...sections,
  })
  .describe(
    "ZTOQ configuration (Zephyr Scale → qTest migration). Secrets never go here: use environment variables or action inputs.",
  );
export type ConfigFileInput = z.input<typeof configFileSchema>;
export type ConfigFile = z.output<typeof configFileSchema>;

/**
 * The merged configuration: file, environment and flags over the defaults, required values present.
 * The loader always passes `zephyr` and `qtest` objects (possibly empty), so a missing project key is
 * reported as `zephyr.projectKey`, not as a missing section.
 */
export const configSchema = z.strictObject({
  zephyr: zephyrFileSection
    .extend({ projectKey: zephyrFileSection.shape.projectKey.unwrap() })
    .describe("The source: Zephyr Scale Cloud."),
  qtest: qtestFileSection
    .extend({ url: qtestFileSection.shape.url.unwrap(), projectId: qtestFileSection.shape.projectId.unwrap() })
    .describe("The target: qTest Manager."),
  ...sections,
});
export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

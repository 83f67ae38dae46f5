/**
 * Zephyr Scale Cloud REST API v2 shapes, from SmartBear's OpenAPI spec (2025 copy) plus what the
 * 2026 spec changed (see docs/api-notes.md Z1–Z14). The file stays whole on purpose: one file per
 * vendor API, mirrored from its spec and read side by side with it (test/schemas checks it against the spec).
 *
 * Response schemas are deliberately lenient: they are loose objects (unknown fields are kept, so a
 * field SmartBear adds later survives a round trip), they check no string formats or lengths, and
 * every field the 2026 spec made nullable accepts null. A migration must not abort because the
 * server sent something the spec did not predict.
 *
 * Request schemas validate as the API does: required fields are required, and the spec's limits and
 * patterns apply. Unknown fields are stripped rather than rejected, because the API ignores them
 * (it documents that `links` is ignored on PUT and `createdOn` is read-only).
 */
import { z } from "zod";

// ---- keys ---------------------------------------------------------------------------------------

/**
 * Whole-key patterns (docs/api-notes.md Z5). The prefix is a project key rather than `[A-Z]+`, because Jira
 * project keys may contain digits and underscores (`QA2-T1` is a valid test case key).
 */
export const projectKeyPattern = /^[A-Z][A-Z_0-9]+$/;
export const testCaseKeyPattern = /^[A-Z][A-Z_0-9]+-T[0-9]+$/;
/** The 2025 spec's TestCycle key pattern also allows `-C` keys. */
export const testCycleKeyPattern = /^[A-Z][A-Z_0-9]+-[RC][0-9]+$/;
export const testExecutionKeyPattern = /^[A-Z][A-Z_0-9]+-E[0-9]+$/;

/**
 * The spec's own request patterns, unanchored on purpose: AWS API Gateway validates bodies with
 * JSON Schema, where `pattern` matches anywhere in the string, so this is what the API accepts.
 */
const specProjectKey = /([A-Z][A-Z_0-9]+)/;
const specTestCaseKey = /(.+-T[0-9]+)/;
const specTestCycleKey = /.+-[R|C][0-9]+/;
const specTestCycleIdOrKey = /([0-9]+)|(.+-R[0-9]+)/;
const accountIdPattern = /^[-:a-zA-Z0-9]{1,128}$/;

// ---- shared pieces ------------------------------------------------------------------------------

const id = z.number().int();

export const refSchema = z.looseObject({ id, self: z.string().optional() });

/** 2026: `accountId` is nullable (an owner whose Jira account is gone). */
export const accountRefSchema = z.looseObject({ self: z.string().optional(), accountId: z.string().nullable() });

/**
 * Values are numbers, strings (text, HTML, `yyyy-MM-dd` dates, account IDs), booleans, string
 * arrays (multi-select) or null. Kept as `unknown`: no API lists the field types, and a value shape
 * we did not foresee must not fail a whole test case.
 */
export const customFieldsSchema = z.record(z.string(), z.unknown());

/**
 * Offset page. The spec leaves `values` optional; here it is required, so that a body without it
 * fails loudly instead of reading as an empty page and silently dropping data.
 */
export function pagedListSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    next: z.string().nullish(),
    startAt: z.number().int(),
    maxResults: z.number().int(),
    total: z.number().int().optional(),
    isLast: z.boolean().optional(),
    values: z.array(item),
  });
}

/** NextGen cursor page (2026); `next` and `nextStartAtId` are null on the last page. */
export function cursorPagedListSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    next: z.string().nullish(),
    nextStartAtId: z.number().int().nullable(),
    limit: z.number().int(),
    values: z.array(item),
  });
}

// ---- projects, folders, statuses, priorities, environments ---------------------------------------

export const projectSchema = z.looseObject({
  id,
  jiraProjectId: id,
  key: z.string(),
  enabled: z.boolean(),
});
export type Project = z.infer<typeof projectSchema>;

export const folderTypeSchema = z.enum(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE"]);
export type FolderType = z.infer<typeof folderTypeSchema>;

export const folderSchema = z.looseObject({
  id,
  /** The spec says a required integer ≥ 1, but root folders have none: the API sends null. */
  parentId: id.nullable(),
  name: z.string(),
  index: z.number().int(),
  folderType: folderTypeSchema,
  project: refSchema.optional(),
});
export type Folder = z.infer<typeof folderSchema>;

export const statusTypeSchema = z.enum(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE", "TEST_EXECUTION"]);
export type StatusType = z.infer<typeof statusTypeSchema>;

const optionValueShape = {
  id,
  project: refSchema,
  name: z.string(),
  description: z.string().nullish(),
  index: z.number().int(),
};

export const statusSchema = z.looseObject({
  ...optionValueShape,
  color: z.string().optional(),
  archived: z.boolean().default(false),
  default: z.boolean().default(false),
});
export type Status = z.infer<typeof statusSchema>;

export const prioritySchema = z.looseObject({
  ...optionValueShape,
  color: z.string().optional(),
  default: z.boolean().default(false),
});
export type Priority = z.infer<typeof prioritySchema>;

export const environmentSchema = z.looseObject({
  ...optionValueShape,
  archived: z.boolean().default(false),
});
export type Environment = z.infer<typeof environmentSchema>;

// ---- links ------------------------------------------------------------------------------------

const linkTypeSchema = z.enum(["COVERAGE", "BLOCKS", "RELATED"]);

export const issueLinkSchema = z.looseObject({
  self: z.string().optional(),
  issueId: id,
  id: id.optional(),
  target: z.string().optional(),
  type: linkTypeSchema.optional(),
});

export const webLinkSchema = z.looseObject({
  self: z.string().optional(),
  description: z.string().optional(),
  url: z.string(),
  id: id.optional(),
  type: linkTypeSchema.optional(),
});

export const testCaseLinksSchema = z.looseObject({
  self: z.string().optional(),
  issues: z.array(issueLinkSchema).optional(),
  webLinks: z.array(webLinkSchema).optional(),
});

const testCycleLinksSchema = testCaseLinksSchema.extend({
  testPlans: z
    .array(
      z.looseObject({
        id: id.optional(),
        self: z.string().optional(),
        testPlanId: id.optional(),
        type: linkTypeSchema.optional(),
        target: z.string().optional(),
      }),
    )
    .optional(),
});

const testExecutionLinksSchema = z.looseObject({
  self: z.string().optional(),
  issues: z.array(issueLinkSchema).optional(),
});

// ---- test cases, scripts, steps ---------------------------------------------------------------

export const testCaseSchema = z.looseObject({
  id,
  key: z.string(),
  name: z.string(),
  project: refSchema,
  createdOn: z.string().optional(),
  objective: z.string().nullish(),
  precondition: z.string().nullish(),
  /** Milliseconds. */
  estimatedTime: z.number().int().nullish(),
  labels: z.array(z.string()).optional(),
  component: refSchema.nullish(),
  priority: refSchema,
  status: refSchema,
  folder: refSchema.nullish(),
  owner: accountRefSchema.nullish(),
  testScript: z.looseObject({ self: z.string().optional() }).optional(),
  customFields: customFieldsSchema.optional(),
  links: testCaseLinksSchema.optional(),
});
export type TestCase = z.infer<typeof testCaseSchema>;

const scriptTypeSchema = z.enum(["plain", "bdd"]);

export const testScriptSchema = z.looseObject({
  id: id.optional(),
  type: scriptTypeSchema,
  text: z.string(),
});
export type TestScript = z.infer<typeof testScriptSchema>;

export const testStepInlineSchema = z.looseObject({
  description: z.string().nullish(),
  testData: z.string().nullish(),
  expectedResult: z.string().nullish(),
  customFields: customFieldsSchema.optional(),
  reflectRef: z.string().nullish(),
});

const parameterTypeSchema = z.enum(["MANUAL_INPUT", "DEFAULT_VALUE"]);

export const testStepCallSchema = z.looseObject({
  self: z.string().optional(),
  testCaseKey: z.string(),
  parameters: z
    .array(
      z.looseObject({
        name: z.string().optional(),
        type: parameterTypeSchema.optional(),
        value: z.string().optional(),
      }),
    )
    .nullish(),
});

function hasExactlyOneKind(step: { inline?: unknown; testCase?: unknown }): boolean {
  return (step.inline == null) !== (step.testCase == null);
}
const exactlyOneKind = { message: "A test step must have exactly one of `inline` or `testCase`." };

export const testStepSchema = z
  .looseObject({
    /** 2026: steps carry an id (attachments are addressed by it); older data may lack it. */
    id: id.nullish(),
    inline: testStepInlineSchema.nullish(),
    testCase: testStepCallSchema.nullish(),
  })
  .refine(hasExactlyOneKind, exactlyOneKind);
export type TestStep = z.infer<typeof testStepSchema>;

// ---- test cycles --------------------------------------------------------------------------------

export const testCycleSchema = z.looseObject({
  id,
  key: z.string(),
  name: z.string(),
  project: refSchema,
  jiraProjectVersion: refSchema.nullish(),
  status: refSchema,
  folder: refSchema.nullish(),
  description: z.string().nullish(),
  plannedStartDate: z.string().nullish(),
  plannedEndDate: z.string().nullish(),
  owner: accountRefSchema.nullish(),
  customFields: customFieldsSchema.optional(),
  links: testCycleLinksSchema.optional(),
});
export type TestCycle = z.infer<typeof testCycleSchema>;

const testPlanLinksSchema = z.looseObject({
  self: z.string().optional(),
  issues: z.array(issueLinkSchema).optional(),
  webLinks: z.array(webLinkSchema).optional(),
  testCycles: z
    .array(
      z.looseObject({
        id: id.optional(),
        self: z.string().optional(),
        /** The cycle's id, not its key. */
        testCycleId: id,
        type: linkTypeSchema.optional(),
        target: z.string().optional(),
      }),
    )
    .optional(),
});

/** A test plan groups test cycles; its status is of type `TEST_PLAN`. */
export const testPlanSchema = z.looseObject({
  id,
  key: z.string(),
  name: z.string(),
  objective: z.string().nullish(),
  project: refSchema,
  status: refSchema,
  folder: refSchema.nullish(),
  owner: accountRefSchema.nullish(),
  customFields: customFieldsSchema.optional(),
  labels: z.array(z.string()).optional(),
  links: testPlanLinksSchema.optional(),
});
export type TestPlan = z.infer<typeof testPlanSchema>;

// ---- test executions ----------------------------------------------------------------------------

export const testExecutionSchema = z.looseObject({
  id,
  key: z.string().nullish(),
  project: refSchema,
  /**
   * The spec's TestCaseVersionLink and TestCycleLink leave `id` optional; it is required here
   * because every example carries it and nothing can be migrated without it. The test case key
   * and version are only in `self` (`/testcases/{KEY}/versions/{n}`).
   */
  testCase: refSchema,
  environment: refSchema.nullish(),
  jiraProjectVersion: refSchema.nullish(),
  testExecutionStatus: refSchema,
  /** The spec says optional only; an execution not yet run has no end date, which the API sends as null. */
  actualEndDate: z.string().nullish(),
  estimatedTime: z.number().int().nullish(),
  executionTime: z.number().int().nullish(),
  executedById: z.string().nullish(),
  assignedToId: z.string().nullish(),
  comment: z.string().nullish(),
  automated: z.boolean().optional(),
  testCycle: refSchema.nullish(),
  customFields: customFieldsSchema.optional(),
  links: testExecutionLinksSchema.optional(),
});
export type TestExecution = z.infer<typeof testExecutionSchema>;

export const testExecutionStepSchema = z.looseObject({
  id: id.nullish(),
  /** The spec requires nothing here, but an execution step is nothing except its `inline` part. */
  inline: z.looseObject({
    description: z.string().nullish(),
    testData: z.string().nullish(),
    expectedResult: z.string().nullish(),
    actualResult: z.string().nullish(),
    testDataRowNumber: z.number().int().nullish(),
    reflectRef: z.string().nullish(),
    status: refSchema.optional(),
  }),
});
export type TestExecutionStep = z.infer<typeof testExecutionStepSchema>;

// ---- errors and created resources ---------------------------------------------------------------

export const errorSchema = z.looseObject({ errorCode: z.number().int(), message: z.string() });

/** The body of a 401 from the API Gateway authorizer. */
export const unauthorizedSchema = z.looseObject({ error: z.string() });

/** The spec marks nothing required here; the caller cannot go on without the new id, so it is required. */
export const createdResourceSchema = z.looseObject({ id, self: z.string() });

export const keyedCreatedResourceSchema = createdResourceSchema.extend({ key: z.string() });

// ---- request bodies -----------------------------------------------------------------------------

/**
 * The spec's pattern for names is `^(?!\\s*$).+` (escaped twice, so it never rejects anything);
 * what it means to say, and what the API answers with "cannot be null or empty", is: not blank.
 */
const nameInput = z
  .string()
  .min(1)
  .max(255)
  .regex(/^(?!\s*$).+/, "must not be blank");
const nameRefInput = z.string().min(1).max(255);
const labelsInput = z.array(z.string()).max(50);
const dateTimeInput = z.iso.datetime({ offset: true });
const accountIdInput = z.string().regex(accountIdPattern);
const refInput = z.object({ id: id.min(1), self: z.string().optional() });

/**
 * PUT bodies reference other objects as `{id, self}` in the 2025 spec but as bare ids (owner as a
 * bare account ID) in the 2026 spec. Both are accepted and read as the 2025 form.
 */
const refOrIdInput = z.union([refInput, id.min(1).transform((value) => ({ id: value }))]);
const ownerInput = z.union([
  z.object({ self: z.string().optional(), accountId: accountIdInput }),
  accountIdInput.transform((accountId) => ({ accountId })),
]);

export const folderInputSchema = z.object({
  /** Must be null (or absent) for a root folder. */
  parentId: id.min(1).nullish(),
  name: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\]*$/, "must not contain '/' or '\\'"),
  projectKey: z.string().regex(specProjectKey),
  folderType: folderTypeSchema,
});
export type FolderInput = z.infer<typeof folderInputSchema>;

export const testCaseInputSchema = z.object({
  projectKey: z.string().regex(specProjectKey),
  name: nameInput,
  objective: z.string().nullish(),
  precondition: z.string().nullish(),
  estimatedTime: z.number().int().min(0).optional(),
  componentId: z.number().int().min(0).optional(),
  priorityName: nameRefInput.optional(),
  statusName: nameRefInput.optional(),
  folderId: id.min(1).optional(),
  ownerId: accountIdInput.nullish(),
  labels: labelsInput.optional(),
  customFields: customFieldsSchema.optional(),
});
export type TestCaseInput = z.infer<typeof testCaseInputSchema>;

/** PUT replaces the whole test case: what is left out is cleared, and every custom field must be present. */
export const testCaseUpdateSchema = z.object({
  id: id.min(1),
  key: z.string().regex(specTestCaseKey),
  name: nameInput,
  project: refInput,
  objective: z.string().nullish(),
  precondition: z.string().nullish(),
  estimatedTime: z.number().int().min(0).nullish(),
  labels: labelsInput.optional(),
  component: refOrIdInput.nullish(),
  priority: refInput,
  status: refInput,
  folder: refOrIdInput.nullish(),
  owner: ownerInput.nullish(),
  customFields: customFieldsSchema.optional(),
});
export type TestCaseUpdate = z.infer<typeof testCaseUpdateSchema>;

export const testScriptInputSchema = z.object({
  type: scriptTypeSchema,
  text: z.string().min(1),
});
export type TestScriptInput = z.infer<typeof testScriptInputSchema>;

const testStepInput = z
  .object({
    inline: z
      .object({
        description: z.string().optional(),
        testData: z.string().optional(),
        expectedResult: z.string().optional(),
        customFields: customFieldsSchema.optional(),
        reflectRef: z.string().optional(),
      })
      .optional(),
    testCase: z
      .object({
        self: z.string().optional(),
        testCaseKey: z.string().regex(specTestCaseKey),
        parameters: z
          .array(
            z.object({
              name: z.string().optional(),
              type: parameterTypeSchema.optional(),
              value: z.string().optional(),
            }),
          )
          .optional(),
      })
      .optional(),
  })
  .refine(hasExactlyOneKind, exactlyOneKind);

export const testStepsInputSchema = z.object({
  mode: z.enum(["APPEND", "OVERWRITE"]),
  items: z.array(testStepInput).max(100),
});
export type TestStepsInput = z.infer<typeof testStepsInputSchema>;

export const testCycleInputSchema = z.object({
  projectKey: z.string().regex(specProjectKey),
  name: nameInput,
  description: z.string().nullish(),
  plannedStartDate: dateTimeInput.optional(),
  plannedEndDate: dateTimeInput.optional(),
  /** A Jira version id, not a reference object. */
  jiraProjectVersion: id.min(1).optional(),
  statusName: nameRefInput.optional(),
  folderId: id.min(1).optional(),
  ownerId: accountIdInput.nullish(),
  customFields: customFieldsSchema.optional(),
});
export type TestCycleInput = z.infer<typeof testCycleInputSchema>;

/** PUT replaces the whole test cycle, except that null or absent planned dates are left unchanged. */
export const testCycleUpdateSchema = z.object({
  id: id.min(1),
  key: z.string().regex(specTestCycleKey),
  name: nameInput,
  project: refInput,
  jiraProjectVersion: refOrIdInput.nullish(),
  status: refInput,
  folder: refOrIdInput.nullish(),
  description: z.string().nullish(),
  plannedStartDate: dateTimeInput.nullish(),
  plannedEndDate: dateTimeInput.nullish(),
  owner: ownerInput.nullish(),
  customFields: customFieldsSchema.optional(),
});
export type TestCycleUpdate = z.infer<typeof testCycleUpdateSchema>;

export const testExecutionInputSchema = z.object({
  projectKey: z.string().regex(specProjectKey),
  testCaseKey: z.string().regex(specTestCaseKey),
  testCycleKey: z.string().regex(specTestCycleIdOrKey),
  statusName: nameRefInput,
  testScriptResults: z
    .array(
      z.object({
        statusName: nameRefInput,
        actualEndDate: dateTimeInput.optional(),
        actualResult: z.string().optional(),
      }),
    )
    .optional(),
  environmentName: z.string().optional(),
  actualEndDate: dateTimeInput.optional(),
  executionTime: z.number().int().min(0).optional(),
  executedById: accountIdInput.nullish(),
  assignedToId: accountIdInput.nullish(),
  comment: z.string().nullish(),
  customFields: customFieldsSchema.optional(),
});
export type TestExecutionInput = z.infer<typeof testExecutionInputSchema>;

/** Unlike the other PUTs this one is partial: only the fields sent are changed. */
export const testExecutionUpdateSchema = z.object({
  statusName: nameRefInput.optional(),
  environmentName: z.string().optional(),
  actualEndDate: dateTimeInput.optional(),
  executionTime: z.number().int().min(0).optional(),
  executedById: accountIdInput.nullish(),
  assignedToId: accountIdInput.nullish(),
  comment: z.string().nullish(),
});
export type TestExecutionUpdate = z.infer<typeof testExecutionUpdateSchema>;

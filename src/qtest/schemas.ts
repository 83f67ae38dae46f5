/**
 * Zod schemas for the Tricentis qTest Manager REST API v3, written from the official Swagger 2.0
 * spec (qtest-manager-v3.swagger.yaml, "QT-OAS") and docs/api-notes.md Q1–Q14. Each schema names
 * the Swagger definition it follows. The file stays whole on purpose: one file per vendor API,
 * mirrored from its spec and read side by side with it (test/schemas checks it against the spec).
 *
 * Response schemas are loose objects: fields we do not model are kept, not stripped.
 * The Swagger marks almost nothing as required, and Swagger 2.0 cannot express "nullable", while
 * sample payloads (Tricentis' documentation, third-party clients) carry nulls such as `target_build_id: null`.
 * So every optional response field is also nullable; only identity and structural fields are required.
 *
 * Request schemas are plain (stripping) objects, because qTest ignores unknown body fields. They
 * require what the Swagger `required` lists (and its body descriptions marked "(required)") require.
 * Dates stay plain strings: qTest's date format is unconfirmed (docs/api-notes.md U10).
 */
import { z } from "zod";
import { QTEST_LABEL_MAX, QTEST_NAME_MAX } from "./limits.js";

// ---- common ------------------------------------------------------------------------------

/** Swagger `Link`. */
export const linkSchema = z.looseObject({
  rel: z.string(),
  href: z.string(),
});

const links = z.array(linkSchema).nullish();
const id = z.int();

/** Swagger `OAuthResponse` (`POST /oauth/token`). */
export const oauthTokenSchema = z.looseObject({
  access_token: z.string(),
  token_type: z.string(),
  refresh_token: z.string().nullish(),
  expires_in: z.int().nullish(),
  scope: z.string().nullish(),
  agent: z.string().nullish(),
});

/**
 * Swagger `ErrorMessage` ({message, additionalInfo}). `code` comes from a third-party summary of
 * the error envelope (docs/api-notes.md U8).
 */
export const errorSchema = z.looseObject({
  code: z.int().nullish(),
  message: z.string(),
  additionalInfo: z.looseObject({}).nullish(),
});

/** Swagger `PagedResource` and its typed variants (`TestRunListResource`, `TestLogListResource`, ...). */
export function pagedSchema<T extends z.ZodType>(item: T) {
  return z.looseObject({
    links,
    page: z.int(),
    page_size: z.int(),
    total: z.int(),
    items: z.array(item),
  });
}

/** Swagger `AttachmentAuthor`. */
const attachmentAuthorSchema = z.looseObject({
  id: id.nullish(),
  email: z.string().nullish(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
});

/** Swagger `AttachmentResource`, as read (`GET .../attachments`, `POST .../blob-handles`). */
export const attachmentSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  content_type: z.string().nullish(),
  data: z.string().nullish(),
  web_url: z.string().nullish(),
  created_date: z.string().nullish(),
  author: attachmentAuthorSchema.nullish(),
  artifact_id: id.nullish(),
});

/** Swagger `AttachmentResource`, as written inline in test-case, test-step and test-log bodies. */
export const attachmentInputSchema = z.object({
  name: z.string().min(1),
  content_type: z.string().min(1),
  data: z.base64(),
});

/** Swagger `LinkedDefectResource`. */
const linkedDefectSchema = z.looseObject({
  links,
  id: id.nullish(),
  external_defect_id: z.string().nullish(),
  connection_id: id.nullish(),
  external_project_id: z.string().nullish(),
  summary: z.string().nullish(),
  status: z.string().nullish(),
  pid: z.string().nullish(),
  web_url: z.string().nullish(),
  description: z.string().nullish(),
});

/** Swagger `CustomFieldInfo` (custom-field columns of test steps and step logs). */
const customFieldInfoSchema = z.looseObject({
  id: id.nullish(),
  value: z.string().nullish(),
  objectId: id.nullish(),
  type: z.string().nullish(),
  name: z.string().nullish(),
  stripHTMLValue: z.string().nullish(),
  propertyEditorComponent: z.boolean().nullish(),
});

const customFieldInfoInputSchema = z.object({
  id: id.optional(),
  value: z.string().optional(),
  type: z.string().optional(),
  name: z.string().optional(),
});

/**
 * A reference to a test case inside another object. The Swagger types these as the full
 * `TestCaseWithCustomFieldResource`, but embedded copies carry only what the server chooses
 * (often just id, pid and name), so only `id` is required and everything else is kept as-is.
 */
const testCaseRefSchema = z.looseObject({
  id,
  pid: z.string().nullish(),
  name: z.string().nullish(),
});

// ---- projects and modules ----------------------------------------------------------------

/** Swagger `ProjectResource`. */
export const projectSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  description: z.string().nullish(),
  status_id: id.nullish(),
  start_date: z.string().nullish(),
  end_date: z.string().nullish(),
  admins: z.array(z.string()).nullish(),
  admin_ids: z.array(id).nullish(),
  sample: z.boolean().nullish(),
  // Per-artifact permission trees (`UserProfile`, `DefectTrackingSystem`); nothing here reads them.
  user_profile: z.looseObject({}).nullish(),
  defect_tracking_systems: z.array(z.looseObject({})).nullish(),
  x_explorer_access_level: z.int().nullish(),
  date_format: z.string().nullish(),
  automation: z.boolean().nullish(),
  template_id: id.nullish(),
  uuid: z.string().nullish(),
});
export type Project = z.infer<typeof projectSchema>;

/** Swagger `ModuleResource`. */
export const moduleSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  order: z.int().nullish(),
  pid: z.string(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
  parent_id: id.nullish(),
  description: z.string().nullish(),
  shared: z.boolean().nullish(),
  projects_shared_to: z.array(id).nullish(),
  get children() {
    return z.array(moduleSchema).nullish();
  },
  recursive: z.boolean().nullish(),
  tosca_guid: z.string().nullish(),
  tosca_node_path: z.string().nullish(),
  tosca_state: z.string().nullish(),
});
export type Module = z.infer<typeof moduleSchema>;

/**
 * Body of `POST /modules` (Swagger `ModuleResource`, whose body text says "name (required)").
 * `parent_id` in the body is for qTest < 6; newer versions take `?parentId=`.
 */
export const moduleInputSchema = z.object({
  name: z.string().min(1).max(QTEST_NAME_MAX),
  description: z.string().optional(),
  parent_id: id.optional(),
});
export type ModuleInput = z.infer<typeof moduleInputSchema>;

// ---- fields ------------------------------------------------------------------------------

/** Swagger `AllowedValueResource`. */
export const allowedValueSchema = z.looseObject({
  links,
  value: z.int(),
  label: z.string(),
  order: z.int().nullish(),
  is_default: z.boolean().nullish(),
  is_active: z.boolean().nullish(),
  color: z.string().nullish(),
});

/**
 * Swagger `FieldResource` (list, create) merged with `FieldResourceSwagger` (single GET), which
 * adds `attribute_type` and `free_text_search`; `FieldResource` lacks them, so both stay optional.
 * `search_key` is only in the vendor's sample payload (docs/api-notes.md Q5). The other required fields are
 * in both definitions and in every vendor sample.
 */
export const fieldSchema = z.looseObject({
  instanceType: z.string().nullish(),
  links,
  id,
  label: z.string(),
  attribute_type: z.string().nullish(),
  required: z.boolean(),
  constrained: z.boolean(),
  order: z.int(),
  allowed_values: z.array(allowedValueSchema).nullish(),
  multiple: z.boolean(),
  data_type: z.int(),
  searchable: z.boolean(),
  free_text_search: z.boolean().nullish(),
  search_key: z.string().nullish(),
  default_value: z.string().nullish(),
  system_field: z.boolean(),
  original_name: z.string(),
  is_active: z.boolean(),
});
export type Field = z.infer<typeof fieldSchema>;

/** The `data_type` values the Swagger lists as valid when creating a field. */
const creatableDataTypes = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 17]);

/** Swagger `AllowedValueInputResource`. A picklist value without a label cannot be shown. */
export const allowedValueInputSchema = z.object({
  value: z.int().optional(),
  label: z.string().min(1).max(QTEST_LABEL_MAX),
  order: z.int().optional(),
  is_default: z.boolean().optional(),
  is_active: z.boolean().optional(),
  color: z.string().optional(),
});

/**
 * Body of `POST .../settings/{objectType}/fields` and `POST /fields/{objectType}` (Swagger
 * `FieldResource` / `FieldInputResource`; the body text marks `label` and `data_type` required).
 */
export const fieldInputSchema = z.object({
  label: z.string().min(1).max(QTEST_LABEL_MAX),
  data_type: z.int().refine((v) => creatableDataTypes.has(v), { message: "data_type must be one of 1-9, 12 or 17" }),
  required: z.boolean().optional(),
  order: z.int().optional(),
  allowed_values: z.array(allowedValueInputSchema).optional(),
  multiple: z.boolean().optional(),
  searchable: z.boolean().optional(),
  default_value: z.string().optional(),
  is_active: z.boolean().optional(),
});
export type FieldInput = z.infer<typeof fieldInputSchema>;

/**
 * Swagger `PropertyResource`, as read. Choice fields carry the allowed value's integer as a string
 * in `field_value` and its label in `field_value_name`.
 */
export const propertySchema = z.looseObject({
  field_id: id,
  field_name: z.string().nullish(),
  field_value: z.string(),
  field_value_name: z.string().nullish(),
});
export type Property = z.infer<typeof propertySchema>;

/** Swagger `PropertyResource`, as written. Multi-value fields take a string like "[1,2]". */
export const propertyInputSchema = z.object({
  field_id: id,
  field_value: z.string(),
});
export type PropertyInput = z.infer<typeof propertyInputSchema>;

// ---- test cases and steps ----------------------------------------------------------------

/** Swagger `TestStepResource`. */
export const testStepSchema = z.looseObject({
  customFieldInfo: z.array(customFieldInfoSchema).nullish(),
  links,
  id: id.nullish(),
  description: z.string(),
  expected: z.string(),
  order: z.int().nullish(),
  attachments: z.array(attachmentSchema).nullish(),
  group: z.int().nullish(),
  called_test_case_name: z.string().nullish(),
  root_called_test_case_id: id.nullish(),
  called_test_case: testCaseRefSchema.nullish(),
  parent_test_step_id: id.nullish(),
  // Swagger `TestStepInformationVM`: parameterised renderings of the step text.
  information: z.looseObject({}).nullish(),
  plain_value_text: z.string().nullish(),
  parameter_values: z.array(z.string()).nullish(),
  called_test_case_id: id.nullish(),
});
export type TestStep = z.infer<typeof testStepSchema>;

/**
 * Body of `POST .../test-steps` and each `test_steps[]` item of a test-case body (Swagger
 * `TestStepResource`). On `PUT /test-cases/{id}`, a step that carries its `id` updates that step.
 */
export const testStepInputSchema = z.object({
  id: id.optional(),
  description: z.string(),
  expected: z.string(),
  order: z.int().min(1).optional(),
  attachments: z.array(attachmentInputSchema).optional(),
  called_test_case_id: id.optional(),
  parent_test_step_id: id.optional(),
  parameter_values: z.array(z.string()).optional(),
  customFieldInfo: z.array(customFieldInfoInputSchema).optional(),
});
export type TestStepInput = z.infer<typeof testStepInputSchema>;

/** Swagger `TestCaseWithCustomFieldResource`, as read. */
export const testCaseSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  order: z.int(),
  pid: z.string(),
  created_date: z.string(),
  last_modified_date: z.string(),
  // Required in the Swagger, but `GET /test-cases?expandProps=false` leaves it out.
  properties: z.array(propertySchema).nullish(),
  web_url: z.string(),
  attachments: z.array(attachmentSchema).nullish(),
  parent_id: id,
  test_case_version_id: id.nullish(),
  version: z.string().nullish(),
  description: z.string().nullish(),
  precondition: z.string().nullish(),
  creator_id: id.nullish(),
  agent_ids: z.array(id).nullish(),
  test_steps: z.array(testStepSchema).nullish(),
  tosca_guid: z.string().nullish(),
  tosca_node_path: z.string().nullish(),
  tosca_url: z.string().nullish(),
  tosca_test_case_unique_id: z.string().nullish(),
  tosca_state: z.string().nullish(),
  tosca_workspace_url: z.string().nullish(),
  last_modified_date_utc: z.string().nullish(),
});
export type TestCase = z.infer<typeof testCaseSchema>;

/**
 * Body of `POST /test-cases` (Swagger `TestCaseWithCustomFieldResource`). `properties` is in the
 * Swagger's `required` list (and QASymphony's create docs mark it required); send `[]` if there
 * is nothing to set. Without `parent_id` the case lands in the "Created via API" module.
 */
export const testCaseInputSchema = z.object({
  name: z.string().min(1).max(QTEST_NAME_MAX),
  properties: z.array(propertyInputSchema),
  parent_id: id.optional(),
  description: z.string().optional(),
  precondition: z.string().optional(),
  test_steps: z.array(testStepInputSchema).optional(),
  attachments: z.array(attachmentInputSchema).optional(),
});
export type TestCaseInput = z.infer<typeof testCaseInputSchema>;

// ---- test execution tree -----------------------------------------------------------------

/** The containers of the test execution tree, as `parentType` names them; `root` takes id 0. */
export const parentTypeSchema = z.enum(["root", "release", "test-cycle", "test-suite"]);

/** Swagger `TestSuiteWithCustomFieldResource`. Note the camelCase `parentId`/`parentType`. */
export const testSuiteSchema = z.looseObject({
  parentId: id.nullish(),
  // A suite cannot sit in a suite.
  parentType: parentTypeSchema.exclude(["test-suite"]).nullish(),
  links,
  id,
  name: z.string(),
  order: z.int().nullish(),
  pid: z.string(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
  properties: z.array(propertySchema),
  web_url: z.string().nullish(),
  target_release_id: id.nullish(),
  target_build_id: id.nullish(),
});
export type TestSuite = z.infer<typeof testSuiteSchema>;

/**
 * Body of `POST /test-suites?parentId&parentType` (Swagger `TestSuiteWithCustomFieldResource`,
 * `required: [properties]`). A suite has no top-level description: it is a property.
 */
export const testSuiteInputSchema = z.object({
  name: z.string().min(1).max(QTEST_NAME_MAX),
  properties: z.array(propertyInputSchema),
  target_release_id: id.optional(),
  target_build_id: id.optional(),
});
export type TestSuiteInput = z.infer<typeof testSuiteInputSchema>;

/** Swagger `TestCycleResource`. The child keys really are hyphenated. */
export const testCycleSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  order: z.int().nullish(),
  pid: z.string(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
  web_url: z.string().nullish(),
  description: z.string().nullish(),
  target_release_id: id.nullish(),
  target_build_id: id.nullish(),
  get "test-cycles"() {
    return z.array(testCycleSchema).nullish();
  },
  "test-suites": z.array(testSuiteSchema).nullish(),
});
export type TestCycle = z.infer<typeof testCycleSchema>;

/** Body of `POST /test-cycles?parentId&parentType` (Swagger `TestCycleResource`). */
export const testCycleInputSchema = z.object({
  name: z.string().min(1).max(QTEST_NAME_MAX),
  description: z.string().optional(),
  target_release_id: id.optional(),
  target_build_id: id.optional(),
});
export type TestCycleInput = z.infer<typeof testCycleInputSchema>;

/** Swagger `ShortTestLogResource`; its `status` is the status name, not a `StatusResource`. */
const shortTestLogSchema = z.looseObject({
  status: z.string().nullish(),
  id: id.nullish(),
  exe_start_date: z.string().nullish(),
  exe_end_date: z.string().nullish(),
});

/** Swagger `ParameterTestStepResource`. */
const parameterTestStepSchema = z.looseObject({
  step_id: id.nullish(),
  description_parameter_values: z.array(z.string()).nullish(),
  expected_parameter_values: z.array(z.string()).nullish(),
});

/** Swagger `TestRunWithCustomFieldResource` (items of `TestRunListResource`). */
export const testRunSchema = z.looseObject({
  parentId: id,
  parentType: parentTypeSchema,
  automation: z.string().nullish(),
  created: z.string().nullish(),
  testCaseId: id.nullish(),
  links,
  id,
  name: z.string(),
  order: z.int().nullish(),
  pid: z.string(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
  properties: z.array(propertySchema),
  test_case: testCaseRefSchema,
  latest_test_log: shortTestLogSchema.nullish(),
  test_case_version_id: id.nullish(),
  test_case_version: z.string().nullish(),
  creator_id: id.nullish(),
  assign_parameter_values: z.array(parameterTestStepSchema).nullish(),
  tosca_guid: z.string().nullish(),
  tosca_node_path: z.string().nullish(),
  tosca_workspace_url: z.string().nullish(),
  tosca_testevent_guid: z.string().nullish(),
  configuration_id: z.string().nullish(),
});
export type TestRun = z.infer<typeof testRunSchema>;

/**
 * Body of `POST /test-runs?parentId&parentType` (Swagger `TestRunWithCustomFieldResource`,
 * `required: [properties, test_case]`). Only the test case's `id` is needed; without `name` the
 * run takes the test case's name.
 */
export const testRunInputSchema = z.object({
  name: z.string().min(1).max(QTEST_NAME_MAX).optional(),
  test_case: z.object({ id }),
  test_case_version_id: id.optional(),
  properties: z.array(propertyInputSchema),
});
export type TestRunInput = z.infer<typeof testRunInputSchema>;

// ---- execution results -------------------------------------------------------------------

/** Swagger `StatusResource` as embedded in test logs and step logs (`{"id": 601}` on input). */
export const statusRefSchema = z.looseObject({
  id,
  name: z.string().nullish(),
});

/** Swagger `StatusResource` (`GET .../test-runs/execution-statuses`). */
export const executionStatusSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  is_default: z.boolean().nullish(),
  color: z.string().nullish(),
  active: z.boolean().nullish(),
});
export type ExecutionStatus = z.infer<typeof executionStatusSchema>;

/** Swagger `TestStepLogResource`. */
export const testStepLogSchema = z.looseObject({
  customFieldInfo: z.array(customFieldInfoSchema).nullish(),
  links,
  test_step_id: id.nullish(),
  test_step_log_id: id.nullish(),
  user_id: id.nullish(),
  status: statusRefSchema.nullish(),
  description: z.string().nullish(),
  expected_result: z.string().nullish(),
  actual_result: z.string().nullish(),
  called_test_case_id: id.nullish(),
  called_test_case_name: z.string().nullish(),
  order: z.int().nullish(),
  group: z.int().nullish(),
  test_step: testStepSchema.nullish(),
  defects: z.array(linkedDefectSchema).nullish(),
  get called_test_case_log() {
    return testLogSchema.nullish();
  },
  parent_test_step_id: id.nullish(),
  exe_date: z.string().nullish(),
  attachments: z.array(attachmentSchema).nullish(),
});

/** Swagger `TestLogResource` (`required: [exe_end_date, exe_start_date, status]`). */
export const testLogSchema = z.looseObject({
  links,
  id,
  test_case_version_id: id.nullish(),
  exe_start_date: z.string(),
  exe_end_date: z.string(),
  note: z.string().nullish(),
  attachments: z.array(attachmentSchema).nullish(),
  name: z.string().nullish(),
  planned_exe_time: z.int().nullish(),
  actual_exe_time: z.int().nullish(),
  build_number: z.string().nullish(),
  build_url: z.string().nullish(),
  properties: z.array(propertySchema).nullish(),
  status: statusRefSchema,
  result_number: z.int().nullish(),
  get test_step_logs() {
    return z.array(testStepLogSchema).nullish();
  },
  test_run_id: id.nullish(),
  test_case: testCaseRefSchema.nullish(),
  defects: z.array(linkedDefectSchema).nullish(),
});
export type TestLog = z.infer<typeof testLogSchema>;

const statusInputSchema = z.object({ id });

/**
 * A `test_step_logs[]` item of a manual log (Swagger `TestStepLogResource`). The Swagger requires
 * nothing here; `status` is required because a step log without one records nothing. Called steps
 * need `called_test_case_id` and `parent_test_step_id` (body text of `submitTestLog`).
 */
const testStepLogInputSchema = z.object({
  test_step_id: id.optional(),
  status: statusInputSchema,
  actual_result: z.string().optional(),
  description: z.string().optional(),
  expected_result: z.string().optional(),
  order: z.int().optional(),
  exe_date: z.string().optional(),
  called_test_case_id: id.optional(),
  parent_test_step_id: id.optional(),
  attachments: z.array(attachmentInputSchema).optional(),
});

/**
 * Body of `POST .../test-runs/{id}/test-logs` (Swagger `ManualTestLogResource`,
 * `required: [exe_end_date, exe_start_date, status]`). Without `test_case_version_id` the log
 * goes to the test case's latest approved version.
 */
export const testLogInputSchema = z.object({
  status: statusInputSchema,
  exe_start_date: z.string(),
  exe_end_date: z.string(),
  test_case_version_id: id.optional(),
  note: z.string().optional(),
  name: z.string().optional(),
  planned_exe_time: z.int().min(0).max(9_999_999).optional(),
  actual_exe_time: z.int().optional(),
  build_number: z.string().optional(),
  build_url: z.string().optional(),
  properties: z.array(propertyInputSchema).optional(),
  attachments: z.array(attachmentInputSchema).optional(),
  test_step_logs: z.array(testStepLogInputSchema).optional(),
});
export type TestLogInput = z.infer<typeof testLogInputSchema>;

// ---- requirements, releases and links ------------------------------------------------------

/** Swagger `ExternalPropertyResource`: the Jira issue a requirement imported by qTest's Jira integration stands for. */
export const externalPropertiesSchema = z.looseObject({
  id: z.string().nullish(),
  link: z.string().nullish(),
  unique_id: z.string().nullish(),
});

/**
 * Swagger `RequirementResource`, as read. `external_properties` comes only when asked for
 * (`includeExternalProperties=true`), and only on requirements qTest's Jira integration imported.
 */
export const requirementSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  pid: z.string(),
  order: z.int().nullish(),
  parent_id: id.nullish(),
  properties: z.array(propertySchema).nullish(),
  web_url: z.string().nullish(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
  external_properties: externalPropertiesSchema.nullish(),
});
export type Requirement = z.infer<typeof requirementSchema>;

/** Body of `POST /requirements?parentId=` and `PUT /requirements/{id}` (Swagger `RequirementResource`, `required: [properties]`). */
export const requirementInputSchema = z.object({
  name: z.string().min(1).max(QTEST_NAME_MAX),
  properties: z.array(propertyInputSchema),
});
export type RequirementInput = z.infer<typeof requirementInputSchema>;

/** Swagger `ReleaseWithCustomFieldResource`, as read. */
export const releaseSchema = z.looseObject({
  links,
  id,
  name: z.string(),
  pid: z.string(),
  order: z.int().nullish(),
  properties: z.array(propertySchema).nullish(),
  web_url: z.string().nullish(),
  description: z.string().nullish(),
  note: z.string().nullish(),
  start_date: z.string().nullish(),
  end_date: z.string().nullish(),
  created_date: z.string().nullish(),
  last_modified_date: z.string().nullish(),
});
export type Release = z.infer<typeof releaseSchema>;

/** Body of `POST /releases` and `PUT /releases/{id}` (Swagger `ReleaseWithCustomFieldResource`, `required: [properties]`). */
export const releaseInputSchema = z.object({
  name: z.string().min(1).max(QTEST_NAME_MAX),
  properties: z.array(propertyInputSchema),
  description: z.string().optional(),
  note: z.string().optional(),
  start_date: z.string().optional(),
  end_date: z.string().optional(),
});
export type ReleaseInput = z.infer<typeof releaseInputSchema>;

/** Swagger `LinkedArtifact`: one object linked to the container's source, `self` its web URL. */
export const linkedArtifactSchema = z.looseObject({
  id,
  pid: z.string().nullish(),
  link_type: z.string().nullish(),
  self: z.string().nullish(),
});
export type LinkedArtifact = z.infer<typeof linkedArtifactSchema>;

/** Swagger `LinkedArtifactContainer` (`GET /linked-artifacts`, and the answer of `POST .../link`). */
export const linkedArtifactContainerSchema = z.looseObject({
  id,
  pid: z.string().nullish(),
  objects: z.array(linkedArtifactSchema).nullish(),
});
export type LinkedArtifactContainer = z.infer<typeof linkedArtifactContainerSchema>;

// ---- search ------------------------------------------------------------------------------

/**
 * Body of `POST /projects/{pid}/search` (Swagger `ArtifactSearchParams`, `required: [object_type]`).
 * The object types are the operation's list, which is longer than the definition's. Omitting
 * `fields` (or `["*"]`) returns all fields. The response is `pagedSchema(...)` (`PagedResource`).
 */
export const searchBodySchema = z.object({
  object_type: z.enum([
    "releases",
    "requirements",
    "test-cases",
    "test-runs",
    "test-suites",
    "test-cycles",
    "test-logs",
    "builds",
    "defects",
  ]),
  fields: z.array(z.string()).optional(),
  query: z.string().optional(),
});

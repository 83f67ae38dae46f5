/**
 * Dev-time conformance check of src/zephyr/schemas.ts against SmartBear's OpenAPI spec. The spec sits
 * outside the repository, so clones without it skip the spec-driven part.
 *
 * The spec keeps examples on leaf schemas (EntityId, EntityName, ...) and on a few whole objects
 * (Priority, ProjectLink, CustomFields, ...), so an example of an entity is assembled from its parts.
 * Two variants are checked: "full" (every declared property) and "required" (only what the spec
 * requires), so the zod schemas neither reject a documented field nor demand an undocumented one.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { z } from "zod";
import * as zs from "../../src/zephyr/schemas.js";

const specPath = resolve(process.cwd(), "../shared/reference/zephyr-scale-cloud-v2.openapi.yml");
const hasSpec = existsSync(specPath);

interface SpecSchema {
  $ref?: string;
  allOf?: SpecSchema[];
  properties?: Record<string, SpecSchema>;
  required?: string[];
  items?: SpecSchema;
  example?: unknown;
  enum?: unknown[];
  type?: string;
  format?: string;
  minimum?: number;
  default?: unknown;
  description?: string;
}

const components: Record<string, SpecSchema> = hasSpec ? parse(readFileSync(specPath, "utf8")).components.schemas : {};

function named(name: string): SpecSchema {
  const schema = components[name];
  if (!schema) throw new Error(`The spec has no component schema '${name}'.`);
  return schema;
}

/** Resolves `$ref` and merges `allOf` into one schema; the outer schema's own example wins. */
function flatten(schema: SpecSchema): SpecSchema {
  if (schema.$ref) return flatten(named(schema.$ref.replace("#/components/schemas/", "")));
  if (!schema.allOf) return schema;
  const merged: SpecSchema = { ...schema, allOf: undefined, properties: { ...schema.properties } };
  const required = new Set(schema.required);
  for (const part of schema.allOf.map(flatten)) {
    Object.assign(merged.properties ?? {}, part.properties);
    for (const name of part.required ?? []) required.add(name);
    merged.type ??= part.type;
  }
  merged.required = [...required];
  return merged;
}

/** A value for a leaf with no example: enum or documented "Valid values" first, else by type. */
function fallback(schema: SpecSchema): unknown {
  if (schema.enum) return schema.enum[0];
  const documented = /`"([A-Z_]+)"`/.exec(schema.description ?? "")?.[1];
  if (documented) return documented;
  switch (schema.type) {
    case "integer":
    case "number":
      return schema.minimum ?? 1;
    case "boolean":
      return schema.default ?? false;
    default:
      if (schema.format === "date-time") return "2018-05-15T13:15:13Z";
      if (schema.format === "url") return "https://api.zephyrscale.smartbear.com/v2/example";
      return "text";
  }
}

type Mode = "full" | "required";

function assemble(input: SpecSchema, mode: Mode): unknown {
  const schema = flatten(input);
  if (schema.properties && Object.keys(schema.properties).length > 0) {
    // A whole-object example is the spec's own; in "required" mode build from parts to drop optional fields.
    if (mode === "full" && schema.example !== undefined) return structuredClone(schema.example);
    const out: Record<string, unknown> = {};
    for (const [name, property] of Object.entries(schema.properties)) {
      if (mode === "required" && !schema.required?.includes(name)) continue;
      out[name] = assemble(property, mode);
    }
    return out;
  }
  if (schema.example !== undefined) return structuredClone(schema.example);
  if (schema.type === "array" || schema.items) {
    return mode === "required" || !schema.items ? [] : [assemble(schema.items, mode)];
  }
  return fallback(schema);
}

function propertyNames(name: string): string[] {
  return Object.keys(flatten(named(name)).properties ?? {});
}

function enumOf(specName: string, property?: string): unknown[] | undefined {
  const schema = flatten(named(specName));
  return property ? flatten(schema.properties?.[property] ?? {}).enum : schema.enum;
}

function expectParses(schema: z.ZodType, value: unknown): void {
  const result = schema.safeParse(value);
  expect(result.error?.issues ?? [], JSON.stringify(value)).toEqual([]);
}

const responses: [string, z.ZodType][] = [
  ["Project", zs.projectSchema],
  ["Folder", zs.folderSchema],
  ["Status", zs.statusSchema],
  ["Priority", zs.prioritySchema],
  ["Environment", zs.environmentSchema],
  ["TestCase", zs.testCaseSchema],
  ["TestCycle", zs.testCycleSchema],
  ["TestExecution", zs.testExecutionSchema],
  ["TestScript", zs.testScriptSchema],
  ["TestStepTestCase", zs.testStepCallSchema],
  ["TestExecutionStep", zs.testExecutionStepSchema],
  ["IssueLink", zs.issueLinkSchema],
  ["WebLink", zs.webLinkSchema],
  ["TestCaseLinkList", zs.testCaseLinksSchema],
  ["ProjectLink", zs.refSchema],
  ["PriorityLink", zs.refSchema],
  ["StatusLink", zs.refSchema],
  ["FolderLink", zs.refSchema],
  ["JiraComponent", zs.refSchema],
  ["JiraUserLink", zs.accountRefSchema],
  ["CustomFields", zs.customFieldsSchema],
  ["Error", zs.errorSchema],
  ["CreatedResource", zs.createdResourceSchema],
  ["KeyedCreatedResource", zs.keyedCreatedResourceSchema],
  ["ProjectList", zs.pagedListSchema(zs.projectSchema)],
  ["FolderList", zs.pagedListSchema(zs.folderSchema)],
  ["StatusList", zs.pagedListSchema(zs.statusSchema)],
  ["PriorityList", zs.pagedListSchema(zs.prioritySchema)],
  ["EnvironmentList", zs.pagedListSchema(zs.environmentSchema)],
  ["TestCaseList", zs.pagedListSchema(zs.testCaseSchema)],
  ["TestCycleList", zs.pagedListSchema(zs.testCycleSchema)],
  ["TestExecutionList", zs.pagedListSchema(zs.testExecutionSchema)],
  ["TestExecutionTestStepsList", zs.pagedListSchema(zs.testExecutionStepSchema)],
];

const requests: [string, z.ZodType][] = [
  ["FolderInput", zs.folderInputSchema],
  ["TestCaseInput", zs.testCaseInputSchema],
  ["TestCase", zs.testCaseUpdateSchema],
  ["TestScriptInput", zs.testScriptInputSchema],
  ["TestCycleInput", zs.testCycleInputSchema],
  ["TestCycle", zs.testCycleUpdateSchema],
  ["TestExecutionInput", zs.testExecutionInputSchema],
  ["TestExecutionUpdate", zs.testExecutionUpdateSchema],
];

/**
 * Where our schemas require more than the spec does, on purpose (see the comments in schemas.ts).
 * The required-only example must fail for these, so the list stays true.
 */
const requiresMoreThanSpec: Record<string, string> = {
  TestExecution: "testCase.id is required",
  TestExecutionStep: "inline is required",
  CreatedResource: "id and self are required",
  KeyedCreatedResource: "id, self and key are required",
  ProjectList: "values is required",
  FolderList: "values is required",
  StatusList: "values is required",
  PriorityList: "values is required",
  EnvironmentList: "values is required",
  TestCaseList: "values is required",
  TestCycleList: "values is required",
  TestExecutionList: "values is required",
  TestExecutionTestStepsList: "values is required",
};

describe.skipIf(!hasSpec)("Zephyr schemas against the official spec", () => {
  describe.each(responses)("response %s", (name, schema) => {
    it("accepts the spec's example with every property", () => {
      expectParses(schema, assemble(named(name), "full"));
    });

    it(
      requiresMoreThanSpec[name] ? `requires more: ${requiresMoreThanSpec[name]}` : "accepts only the required properties",
      () => {
        const minimal = assemble(named(name), "required");
        if (requiresMoreThanSpec[name]) expect(schema.safeParse(minimal).success).toBe(false);
        else expectParses(schema, minimal);
      },
    );
  });

  describe.each(requests)("request body %s", (name, schema) => {
    it("accepts the spec's example with every property", () => {
      expectParses(schema, assemble(named(name), "full"));
    });

    it("accepts only the required properties", () => {
      expectParses(schema, assemble(named(name), "required"));
    });
  });

  describe("test steps (exactly one of inline / testCase)", () => {
    // Built inside each test: vitest runs a skipped describe's body too, and the spec may be absent.
    const kinds = () => assemble(named("TestStep"), "full") as Record<string, unknown>;

    it("accepts each kind alone, in a response and in a POST body", () => {
      const { inline, testCase } = kinds();
      expectParses(zs.testStepSchema, { inline });
      expectParses(zs.testStepSchema, { testCase });
      expectParses(zs.pagedListSchema(zs.testStepSchema), {
        ...(assemble(named("TestStepsList"), "required") as object),
        values: [{ inline }, { testCase }],
      });
      expectParses(zs.testStepsInputSchema, {
        ...(assemble(named("TestStepsInput"), "full") as object),
        items: [{ inline }, { testCase }],
      });
    });

    it("rejects both and neither", () => {
      const { inline, testCase } = kinds();
      expect(zs.testStepSchema.safeParse({ inline, testCase }).success).toBe(false);
      expect(zs.testStepSchema.safeParse({}).success).toBe(false);
      expect(zs.testStepsInputSchema.safeParse({ mode: "APPEND", items: [{ inline, testCase }] }).success).toBe(false);
    });
  });

  describe("declared properties exist in the zod shapes", () => {
    const entities: [string, { shape: Record<string, unknown> }][] = [
      ["TestCase", zs.testCaseSchema],
      ["TestCycle", zs.testCycleSchema],
      ["TestExecution", zs.testExecutionSchema],
      ["Folder", zs.folderSchema],
      ["Status", zs.statusSchema],
      ["Priority", zs.prioritySchema],
      ["Environment", zs.environmentSchema],
      ["Project", zs.projectSchema],
      ["TestExecutionStep", zs.testExecutionStepSchema],
      ["IssueLink", zs.issueLinkSchema],
      ["WebLink", zs.webLinkSchema],
      ["TestCaseLinkList", zs.testCaseLinksSchema],
      ["TestStepTestCase", zs.testStepCallSchema],
    ];
    it.each(entities)("%s", (name, schema) => {
      const missing = propertyNames(name).filter((property) => !(property in schema.shape));
      expect(missing).toEqual([]);
    });

    it("TestStep", () => {
      expect(propertyNames("TestStep").filter((p) => !(p in zs.testStepSchema.shape))).toEqual([]);
      const inlineProps = Object.keys(flatten(named("TestStep")).properties?.inline?.properties ?? {});
      expect(inlineProps.filter((p) => !(p in zs.testStepInlineSchema.shape))).toEqual([]);
    });
  });

  it("enumerations match the spec", () => {
    expect(zs.issueLinkSchema.shape.type.unwrap().options).toEqual(enumOf("IssueLink", "type"));
    expect(zs.webLinkSchema.shape.type.unwrap().options).toEqual(enumOf("WebLink", "type"));
    expect(zs.testScriptSchema.shape.type.options).toEqual(enumOf("TestScriptInput", "type"));
    const parameterType = flatten(named("TestStepTestCaseParameters")).properties?.type?.enum;
    expect(zs.testStepCallSchema.shape.parameters.unwrap().unwrap().element.shape.type.unwrap().options).toEqual(parameterType);
    const documented = (name: string) => [...(named(name).description ?? "").matchAll(/`"([A-Z_]+)"`/g)].map((match) => match[1]);
    expect(zs.folderTypeSchema.options).toEqual(documented("FolderType"));
    expect(zs.statusTypeSchema.options).toEqual(documented("StatusType"));
  });
});

/** What the spec states only in prose, or what changed after it (docs/api-notes.md Z2, Z6–Z10). */
describe("Zephyr schemas: prose rules and 2026 changes", () => {
  const ref = { id: 1, self: "https://api.zephyrscale.smartbear.com/v2/x/1" };

  it("accepts the fields 2026 made nullable", () => {
    expectParses(zs.testCaseSchema, {
      id: 1,
      key: "SA-T1",
      name: "n",
      project: ref,
      priority: ref,
      status: ref,
      objective: null,
      precondition: null,
      estimatedTime: null,
      component: null,
      folder: null,
      owner: null,
    });
    expectParses(zs.folderSchema, { id: 1, parentId: null, name: "Root", index: 0, folderType: "TEST_CASE" });
    expectParses(zs.testStepSchema, { id: null, inline: { description: null, reflectRef: null } });
    expectParses(zs.accountRefSchema, { accountId: null });
  });

  it("keeps fields it does not know", () => {
    const parsed = zs.testCycleSchema.parse({ id: 1, key: "SA-R1", name: "c", project: ref, status: ref, newField: 7 });
    expect(parsed.newField).toBe(7);
  });

  it("reads NextGen cursor pages, with nulls on the last page", () => {
    const page = zs.cursorPagedListSchema(zs.projectSchema);
    expectParses(page, { next: "https://x/v2/projects?startAtId=10542", nextStartAtId: 10542, limit: 100, values: [] });
    expectParses(page, { next: null, nextStartAtId: null, limit: 100, values: [] });
  });

  it("caps a steps POST at 100 items", () => {
    const items = (n: number) => Array.from({ length: n }, () => ({ inline: { description: "d" } }));
    expectParses(zs.testStepsInputSchema, { mode: "OVERWRITE", items: items(100) });
    expect(zs.testStepsInputSchema.safeParse({ mode: "OVERWRITE", items: items(101) }).success).toBe(false);
  });

  it("rejects request bodies without their required fields", () => {
    expect(zs.testCaseInputSchema.safeParse({ name: "n" }).success).toBe(false);
    expect(zs.testExecutionInputSchema.safeParse({ projectKey: "SA", testCaseKey: "SA-T1", testCycleKey: "SA-R1" }).success).toBe(
      false,
    );
    expect(zs.folderInputSchema.safeParse({ name: "a/b", projectKey: "SA", folderType: "TEST_CASE" }).success).toBe(false);
  });

  it("key patterns match whole keys, with digits and underscores in the project key", () => {
    expect(zs.testCaseKeyPattern.test("QA_2-T15")).toBe(true);
    expect(zs.testCaseKeyPattern.test("SA-T15x")).toBe(false);
    expect(zs.testCycleKeyPattern.test("SA-R40")).toBe(true);
    expect(zs.testExecutionKeyPattern.test("SA-E10")).toBe(true);
    expect(zs.projectKeyPattern.test("sa")).toBe(false);
  });
});

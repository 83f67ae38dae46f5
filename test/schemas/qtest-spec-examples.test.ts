/**
 * Dev-time conformance check of src/qtest/schemas.ts against the official qTest Manager v3
 * Swagger. The spec lives outside the repository (../shared/reference), so clones without it
 * skip this file.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import * as qt from "../../src/qtest/schemas.js";

const specPath = resolve(process.cwd(), "../shared/reference/qtest-manager-v3.swagger.yaml");

interface SwaggerSchema {
  type?: string;
  format?: string;
  $ref?: string;
  items?: SwaggerSchema;
  properties?: Record<string, SwaggerSchema>;
  required?: string[];
  example?: unknown;
  enum?: unknown[];
  minimum?: number;
}

interface Swagger {
  definitions: Record<string, SwaggerSchema>;
  paths: Record<string, Record<string, { parameters: { in: string; description?: string }[] }>>;
}

let loaded: Swagger | undefined;
const swagger = () => (loaded ??= parse(readFileSync(specPath, "utf8")) as Swagger);

function definition(name: string): SwaggerSchema {
  const found = swagger().definitions[name];
  if (!found) throw new Error(`The Swagger has no definition ${name}`);
  return found;
}
const declared = (name: string) => Object.keys(definition(name).properties ?? {});

/** Values for properties that have no `example` and need more than a typed placeholder. */
const placeholders: Record<string, unknown> = {
  "AttachmentResource.data": Buffer.from("hello").toString("base64"),
};

const OMIT = Symbol("omit");

/**
 * An example for a Swagger schema: each property's `example` where the Swagger gives one,
 * otherwise a placeholder of the declared type. A definition is expanded at most twice along one
 * path, which exercises the recursive ones (modules, cycles, step logs) without looping.
 */
function exampleOf(schema: SwaggerSchema, path: string[]): unknown {
  if (schema.$ref) {
    const name = schema.$ref.replace("#/definitions/", "");
    if (path.filter((p) => p === name).length >= 2) return OMIT;
    return exampleOf(definition(name), [...path, name]);
  }
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case "array": {
      const item = exampleOf(schema.items ?? {}, path);
      return item === OMIT ? [] : [item];
    }
    case "integer":
      return Math.max(1, schema.minimum ?? 1);
    case "number":
      return 1.5;
    case "boolean":
      return true;
    case "string":
      if (schema.format === "date-time") return "2024-03-14T00:28:22.049Z";
      if (schema.format === "uuid") return "123e4567-e89b-12d3-a456-426614174000";
      return "text";
    default: {
      const owner = path.at(-1) ?? "";
      const example: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        const value = placeholders[`${owner}.${key}`] ?? exampleOf(property, path);
        if (value !== OMIT) example[key] = value;
      }
      return example;
    }
  }
}
const exampleOfDefinition = (name: string) => exampleOf({ $ref: `#/definitions/${name}` }, []);

/** The object schema inside optional/nullable/array wrappers (for nested, unexported schemas). */
function objectOf(schema: z.ZodType): z.ZodObject {
  let current: z.ZodType = schema;
  for (;;) {
    if (current instanceof z.ZodObject) return current;
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodArray) current = current.element as z.ZodType;
    else throw new Error(`Not an object schema: ${current.def.type}`);
  }
}
const nested = (parent: z.ZodObject, key: string) => objectOf(parent.shape[key] as z.ZodType);
const keysOf = (schema: z.ZodType) => Object.keys(objectOf(schema).shape);

interface ResponseCase {
  definition: string;
  name: string;
  schema: z.ZodType;
  /** Swagger properties deliberately not in the zod shape, each with the reason. */
  omitted?: Record<string, string>;
}

const responses: ResponseCase[] = [
  { definition: "Link", name: "linkSchema", schema: qt.linkSchema },
  { definition: "OAuthResponse", name: "oauthTokenSchema", schema: qt.oauthTokenSchema },
  { definition: "ErrorMessage", name: "errorSchema", schema: qt.errorSchema },
  { definition: "ProjectResource", name: "projectSchema", schema: qt.projectSchema },
  { definition: "ModuleResource", name: "moduleSchema", schema: qt.moduleSchema },
  { definition: "AllowedValueResource", name: "allowedValueSchema", schema: qt.allowedValueSchema },
  { definition: "FieldResource", name: "fieldSchema", schema: qt.fieldSchema },
  { definition: "FieldResourceSwagger", name: "fieldSchema", schema: qt.fieldSchema },
  { definition: "PropertyResource", name: "propertySchema", schema: qt.propertySchema },
  { definition: "TestStepResource", name: "testStepSchema", schema: qt.testStepSchema },
  { definition: "TestCaseWithCustomFieldResource", name: "testCaseSchema", schema: qt.testCaseSchema },
  { definition: "TestCycleResource", name: "testCycleSchema", schema: qt.testCycleSchema },
  { definition: "TestSuiteWithCustomFieldResource", name: "testSuiteSchema", schema: qt.testSuiteSchema },
  { definition: "TestRunWithCustomFieldResource", name: "testRunSchema", schema: qt.testRunSchema },
  { definition: "StatusResource", name: "executionStatusSchema", schema: qt.executionStatusSchema },
  {
    definition: "StatusResource",
    name: "statusRefSchema",
    schema: qt.statusRefSchema,
    // A status embedded in a log is read by id; the loose object still keeps these.
    omitted: {
      links: "embedded reference",
      is_default: "embedded reference",
      color: "embedded reference",
      active: "embedded reference",
    },
  },
  { definition: "TestStepLogResource", name: "testStepLogSchema", schema: qt.testStepLogSchema },
  { definition: "TestLogResource", name: "testLogSchema", schema: qt.testLogSchema },
  { definition: "AttachmentResource", name: "attachmentSchema", schema: qt.attachmentSchema },
  { definition: "AttachmentAuthor", name: "attachmentSchema.author", schema: nested(qt.attachmentSchema, "author") },
  { definition: "LinkedDefectResource", name: "testLogSchema.defects", schema: nested(qt.testLogSchema, "defects") },
  {
    definition: "CustomFieldInfo",
    name: "testStepSchema.customFieldInfo",
    schema: nested(qt.testStepSchema, "customFieldInfo"),
  },
  {
    definition: "ShortTestLogResource",
    name: "testRunSchema.latest_test_log",
    schema: nested(qt.testRunSchema, "latest_test_log"),
  },
  {
    definition: "ParameterTestStepResource",
    name: "testRunSchema.assign_parameter_values",
    schema: nested(qt.testRunSchema, "assign_parameter_values"),
  },
  { definition: "PagedResource", name: "pagedSchema(looseObject)", schema: qt.pagedSchema(z.looseObject({})) },
  { definition: "TestRunListResource", name: "pagedSchema(testRunSchema)", schema: qt.pagedSchema(qt.testRunSchema) },
  { definition: "TestLogListResource", name: "pagedSchema(testLogSchema)", schema: qt.pagedSchema(qt.testLogSchema) },
  {
    definition: "PagedResourceAttachmentResource",
    name: "pagedSchema(attachmentSchema)",
    schema: qt.pagedSchema(qt.attachmentSchema),
  },
];

/** Request bodies: the Swagger definition each operation declares for its body. */
const requests: { definition: string; name: string; schema: z.ZodObject }[] = [
  { definition: "ModuleResource", name: "moduleInputSchema", schema: qt.moduleInputSchema },
  { definition: "FieldResource", name: "fieldInputSchema", schema: qt.fieldInputSchema },
  { definition: "FieldInputResource", name: "fieldInputSchema", schema: qt.fieldInputSchema },
  { definition: "PropertyResource", name: "propertyInputSchema", schema: qt.propertyInputSchema },
  { definition: "TestStepResource", name: "testStepInputSchema", schema: qt.testStepInputSchema },
  { definition: "TestCaseWithCustomFieldResource", name: "testCaseInputSchema", schema: qt.testCaseInputSchema },
  { definition: "TestCycleResource", name: "testCycleInputSchema", schema: qt.testCycleInputSchema },
  { definition: "TestSuiteWithCustomFieldResource", name: "testSuiteInputSchema", schema: qt.testSuiteInputSchema },
  { definition: "TestRunWithCustomFieldResource", name: "testRunInputSchema", schema: qt.testRunInputSchema },
  { definition: "ManualTestLogResource", name: "testLogInputSchema", schema: qt.testLogInputSchema },
  { definition: "AttachmentResource", name: "attachmentInputSchema", schema: qt.attachmentInputSchema },
  { definition: "ArtifactSearchParams", name: "searchBodySchema", schema: qt.searchBodySchema },
];

const label = (c: { definition: string; name: string }) => `${c.name} (${c.definition})`;

describe.skipIf(!existsSync(specPath))("qTest schemas vs the official Swagger", () => {
  describe("response schemas", () => {
    it.each(responses.map((c) => [label(c), c] as const))("%s parses the spec's example", (_, c) => {
      const example = exampleOfDefinition(c.definition);
      const result = c.schema.safeParse(example);
      expect(result.error?.issues ?? []).toEqual([]);
      // Loose objects keep every field the server sends.
      expect(result.data).toEqual(example);
    });

    it.each(responses.map((c) => [label(c), c] as const))("%s models every Swagger property", (_, c) => {
      const shape = keysOf(c.schema);
      const omitted = Object.keys(c.omitted ?? {});
      expect(declared(c.definition).filter((k) => !shape.includes(k) && !omitted.includes(k))).toEqual([]);
      // The skip-list names real Swagger properties that are really left out.
      expect(omitted.filter((k) => !declared(c.definition).includes(k) || shape.includes(k))).toEqual([]);
    });
  });

  describe("request schemas", () => {
    it.each(requests.map((c) => [label(c), c] as const))("%s accepts the spec's example", (_, c) => {
      const example = exampleOfDefinition(c.definition) as Record<string, unknown>;
      const body = Object.fromEntries(
        Object.keys(c.schema.shape)
          .filter((k) => k in example)
          .map((k) => [k, example[k]]),
      );
      const result = c.schema.safeParse(body);
      expect(result.error?.issues ?? []).toEqual([]);
    });

    it.each(requests.map((c) => [label(c), c] as const))("%s only has Swagger properties", (_, c) => {
      expect(Object.keys(c.schema.shape).filter((k) => !declared(c.definition).includes(k))).toEqual([]);
    });

    it.each(requests.map((c) => [label(c), c] as const))("%s requires what the Swagger requires", (_, c) => {
      const required = definition(c.definition).required ?? [];
      const shape = c.schema.shape as Record<string, z.ZodType>;
      expect(required.filter((k) => !shape[k] || shape[k].safeParse(undefined).success)).toEqual([]);
    });
  });

  it("accepts every object_type the search operation lists", () => {
    const body = swagger().paths["/api/v3/projects/{projectId}/search"]?.post?.parameters.find((p) => p.in === "body");
    const listed =
      body?.description
        ?.split("\n")[0]
        ?.match(/<em>[a-z-]+<\/em>/g)
        ?.map((m) => m.slice(4, -5)) ?? [];
    expect(listed.length).toBeGreaterThan(5);
    expect([...qt.searchBodySchema.shape.object_type.options].sort()).toEqual(listed.sort());
  });
});

/**
 * `POST /search` (docs/api-notes.md Q11): the objects a query matches, and the query that finds
 * what ZTOQ created by the Zephyr key in its marker field.
 */
import { z } from "zod";
import type { QueryValue } from "../http/request.js";
import { envelopedPages } from "./paging.js";
import type { ProjectApi } from "./project-api.js";
import {
  releaseSchema,
  requirementSchema,
  testCaseSchema,
  testCycleSchema,
  testLogSchema,
  testRunSchema,
  testSuiteSchema,
} from "./schemas.js";

/** Object types that `search` reads, with the shape each comes back in. */
const searchSchemas = {
  "test-cases": testCaseSchema,
  "test-suites": testSuiteSchema,
  "test-runs": testRunSchema,
  "test-logs": testLogSchema,
  "test-cycles": testCycleSchema,
  requirements: requirementSchema,
  releases: releaseSchema,
} as const;
/** Every object type `search` reads. */
export type SearchableType = keyof typeof searchSchemas;
/**
 * The object types ZTOQ's marker index of test assets covers (src/migrate/adoption.ts keys a record by
 * it); requirements and releases are searchable too, but outside that index until it learns them.
 */
export type SearchObjectType = Exclude<SearchableType, "requirements" | "releases">;
export type SearchResult<K extends SearchableType> = z.infer<(typeof searchSchemas)[K]>;
/** A search hit when only some `fields` were asked for. */
export type PartialSearchResult = { id: number } & Record<string, unknown>;
const partialSearchResultSchema = z.looseObject({ id: z.int() });

/**
 * Query parameters a search of one object type adds: a requirement carries the Jira issue it was
 * imported from (`external_properties`) only when asked (Swagger: `includeExternalProperties`).
 */
const searchQueryOf: Partial<Record<SearchableType, Record<string, QueryValue>>> = {
  requirements: { includeExternalProperties: true },
};

/**
 * The pages of a search. With `fields` (other than `*`) the hits carry only those fields and the
 * id, so they are not parsed as whole objects.
 */
export function searchPages<K extends SearchableType>(
  api: ProjectApi,
  objectType: K,
  query: string,
  fields: string[] | undefined,
): AsyncIterable<SearchResult<K>[] | PartialSearchResult[]> {
  const whole = fields === undefined || fields.includes("*");
  const schema = whole ? searchSchemas[objectType] : partialSearchResultSchema;
  const searchParams = searchQueryOf[objectType] ?? {};
  return envelopedPages(api, "/search", schema as z.ZodType<SearchResult<K> | PartialSearchResult>, searchParams, "POST", {
    object_type: objectType,
    fields: fields ?? ["*"],
    query,
  }) as AsyncIterable<SearchResult<K>[] | PartialSearchResult[]>;
}

/** `'Field' = 'value'`, quotes and backslashes in both escaped with a backslash. */
export function markerQuery(fieldName: string, value: string): string {
  return `'${escapeQuoted(fieldName)}' = '${escapeQuoted(value)}'`;
}

/** `'Field' is 'not empty'`: every object carrying a value in the field. */
export function notEmptyQuery(fieldName: string): string {
  return `'${escapeQuoted(fieldName)}' is 'not empty'`;
}

function escapeQuoted(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/'/g, "\\'");
}

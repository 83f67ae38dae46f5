/**
 * `POST /search` (docs/api-notes.md Q11): the objects a query matches, and the query that finds
 * what ZTOQ created by the Zephyr key in its marker field.
 */
import { z } from "zod";
import { envelopedPages } from "./paging.js";
import type { ProjectApi } from "./project-api.js";
import { testCaseSchema, testCycleSchema, testLogSchema, testRunSchema, testSuiteSchema } from "./schemas.js";

/** Object types that `search` reads, with the shape each comes back in. */
const searchSchemas = {
  "test-cases": testCaseSchema,
  "test-suites": testSuiteSchema,
  "test-runs": testRunSchema,
  "test-logs": testLogSchema,
  "test-cycles": testCycleSchema,
} as const;
export type SearchObjectType = keyof typeof searchSchemas;
export type SearchResult<K extends SearchObjectType> = z.infer<(typeof searchSchemas)[K]>;
/** A search hit when only some `fields` were asked for. */
export type PartialSearchResult = { id: number } & Record<string, unknown>;
const partialSearchResultSchema = z.looseObject({ id: z.int() });

/**
 * The pages of a search. With `fields` (other than `*`) the hits carry only those fields and the
 * id, so they are not parsed as whole objects.
 */
export function searchPages<K extends SearchObjectType>(
  api: ProjectApi,
  objectType: K,
  query: string,
  fields: string[] | undefined,
): AsyncIterable<SearchResult<K>[] | PartialSearchResult[]> {
  const whole = fields === undefined || fields.includes("*");
  const schema = whole ? searchSchemas[objectType] : partialSearchResultSchema;
  return envelopedPages(api, "/search", schema as z.ZodType<SearchResult<K> | PartialSearchResult>, {}, "POST", {
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

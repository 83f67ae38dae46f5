/**
 * qTest's two paging styles (docs/api-notes.md Q2): bare arrays read to the first short page, and
 * `{page, page_size, total, items}` envelopes. Pages are 1-based.
 */
import { z } from "zod";
import { parseResponse } from "../http/errors.js";
import type { QueryValue } from "../http/request.js";
import type { ProjectApi } from "./project-api.js";
import { pagedSchema } from "./schemas.js";

/** Largest page the enveloped endpoints serve. */
const PAGED_SIZE = 999;

/**
 * The non-empty pages of a bare-array list paged with `page` and `sizeParam` (`size` for test
 * cases, `pageSize` for test cycles), read to the first short page.
 */
export async function* barePages<S extends z.ZodType>(
  api: ProjectApi,
  path: string,
  item: S,
  query: Record<string, QueryValue>,
  sizeParam: "size" | "pageSize",
  size: number,
): AsyncGenerator<z.infer<S>[]> {
  for (let page = 1; ; page++) {
    const items = await api.get(path, z.array(item), { ...query, page, [sizeParam]: size });
    if (items.length > 0) yield items;
    if (items.length < size) return;
  }
}

/** The pages of a `{page, page_size, total, items}` list (GET, or the POST of a search). */
export async function* envelopedPages<S extends z.ZodType>(
  api: ProjectApi,
  path: string,
  item: S,
  query: Record<string, QueryValue>,
  method: "GET" | "POST",
  json?: unknown,
): AsyncGenerator<z.infer<S>[]> {
  const schema = pagedSchema(item);
  for (let page = 1; ; page++) {
    const searchParams = { ...query, page, pageSize: PAGED_SIZE };
    const response = await api.call(method, path, { searchParams, json, idempotent: true });
    const body = parseResponse(schema, response.json(), method, response.url);
    const items = body.items as z.infer<S>[];
    if (items.length > 0) yield items;
    const pageSize = body.page_size > 0 ? body.page_size : PAGED_SIZE;
    if (items.length === 0 || items.length < pageSize || page * pageSize >= body.total) return;
  }
}

/** Every item of every page. */
export async function allItems<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

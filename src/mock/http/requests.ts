import type { Context } from "hono";
import type { z } from "zod";

/** A client error found while reading a request; each mock renders it in its own API's error shape. */
export class BadRequest extends Error {}

/** An optional integer query parameter within bounds. */
export function intQuery(
  c: Context,
  name: string,
  options: { default?: number; min?: number; max?: number } = {},
): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return options.default;
  if (!/^-?\d+$/.test(raw)) throw new BadRequest(`${name} must be an integer, got '${raw}'.`);
  const value = Number(raw);
  if (options.min !== undefined && value < options.min) throw new BadRequest(`${name} must be at least ${options.min}.`);
  if (options.max !== undefined && value > options.max) throw new BadRequest(`${name} must be at most ${options.max}.`);
  return value;
}

export function boolQuery(c: Context, name: string): boolean | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw new BadRequest(`${name} must be true or false, got '${raw}'.`);
}

/** A timestamp query parameter, as milliseconds since the epoch. */
export function dateQuery(c: Context, name: string): number | undefined {
  const raw = c.req.query(name);
  if (raw === undefined || raw === "") return undefined;
  const value = Date.parse(raw);
  if (Number.isNaN(value)) throw new BadRequest(`${name} must be a date-time such as 2024-01-31T23:59:59Z, got '${raw}'.`);
  return value;
}

/** The JSON body validated against a request schema; what is wrong is named in the message. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new BadRequest("The request body is not valid JSON.");
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new BadRequest(describeIssues(parsed.error));
  return parsed.data;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "body"}: ${issue.message}`)
    .join("; ");
}

/** The request URL with some query parameters replaced: the `next` link of a page. */
export function urlWith(c: Context, changes: Record<string, string | number>): string {
  const url = new URL(c.req.url);
  for (const [key, value] of Object.entries(changes)) url.searchParams.set(key, String(value));
  return url.toString();
}

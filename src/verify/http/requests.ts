/** The request list of a check: written inline, or in a YAML or JSON file beside the checks file. */
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { parse } from "yaml";
import type { z } from "zod";
import { BadInputError } from "../../errors.js";
import { type HttpRequestSpec, httpRequestListSchema } from "./settings.js";

/** The requests of `requests` (a file path resolves against `baseDir`), validated; `what` names the check in errors. */
export async function loadRequests(
  requests: string | readonly HttpRequestSpec[],
  baseDir: string,
  what: string,
): Promise<HttpRequestSpec[]> {
  if (typeof requests !== "string") return validated(requests, `${what}: requests`);
  const file = resolve(baseDir, requests);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : (error as Error).message;
    throw new BadInputError(`${what}: requests file ${file}: ${reason}`);
  }
  let data: unknown;
  try {
    // YAML 1.2 reads JSON too, so one parser serves both.
    data = parse(text, { prettyErrors: true });
  } catch (error) {
    throw new BadInputError(`${what}: requests file ${file} does not parse: ${firstLine((error as Error).message)}`);
  }
  return validated(data, `${what}: requests file ${file}`);
}

function validated(data: unknown, where: string): HttpRequestSpec[] {
  const parsed = httpRequestListSchema.safeParse(data);
  if (parsed.success) return parsed.data;
  throw new BadInputError(`${where}: ${describeIssues(parsed.error.issues)}`);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 3)
    .map((issue) => {
      const at = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
      return at === "" ? `expected a list of requests: ${issue.message}` : `${at.replace(/^\./, "")}: ${issue.message}`;
    })
    .join("; ");
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

/**
 * The wording of validation errors: zod issues become one line per problem that names the field,
 * says what is allowed, shows what was given (passwords in URLs masked) and offers the known key an
 * unknown one was probably meant to be.
 */
import leven from "leven";
import type { z } from "zod";
import { isPlainObject } from "./values.js";

export interface Problem {
  path: string[];
  /** Phrased as what is allowed ("expected …"), or what is wrong. */
  message: string;
  required: boolean;
  /** The offending value, already described for a message (secrets in URLs masked). */
  got?: string | undefined;
}

/** Messages for the issues the schema does not word itself. */
const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return `expected ${typeName(issue.expected)}`;
    case "invalid_value":
      return issue.values.length === 1
        ? `expected ${String(issue.values[0])}`
        : `expected one of ${issue.values.map((value) => String(value)).join(", ")}`;
    case "unrecognized_keys": {
      // The allowed keys, for collectProblems to offer.
      const shape = (issue.inst as { shape?: Record<string, unknown> } | undefined)?.shape;
      return shape ? Object.keys(shape).join(", ") : "";
    }
    case "too_small":
      return issue.origin === "string" ? "expected a non-empty string" : `expected at least ${String(issue.minimum)}`;
    case "too_big":
      return `expected at most ${String(issue.maximum)}`;
    default:
      return undefined;
  }
};

/** For `safeParse`: the issues keep their input, for `got`, and get the wording above. */
export const parseParams = { reportInput: true, error: errorMap };

function typeName(expected: string): string {
  switch (expected) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "int":
      return "a whole number";
    case "boolean":
      return "true or false";
    case "object":
    case "record":
      return "a mapping";
    case "array":
      return "a list";
    default:
      return expected;
  }
}

export function collectProblems(issues: readonly z.core.$ZodIssue[], base: string[] = []): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path.map(String)];
    const input = (issue as { input?: unknown }).input;
    if (issue.code === "unrecognized_keys") {
      const allowed = issue.message === "" ? [] : issue.message.split(", ");
      for (const key of issue.keys) {
        const suggestion = closest(key, allowed);
        const hint = suggestion ? ` (did you mean ${suggestion}?)` : "";
        const list = allowed.length > 0 ? `; allowed: ${allowed.join(", ")}` : "";
        problems.push({ path: [...path, key], message: `unknown key${hint}${list}`, required: false });
      }
    } else if (issue.code === "invalid_union" && isPlainObject(input) && issue.errors.length > 0) {
      // A union of objects: explain the branch the input resembles most (fewest unknown keys).
      problems.push(...collectProblems(closestBranch(issue.errors), path));
    } else if (issue.code === "invalid_type" && input === undefined) {
      problems.push({ path, message: "is required", required: true });
    } else {
      // An object-level refinement's input is the whole object it checks, not the value at its path.
      const wholeObject = issue.code === "custom" && typeof input === "object";
      const described = input === undefined || wholeObject ? undefined : describeValue(input);
      // A message that already quotes the text it refuses says it once.
      const quoted = typeof input === "string" && described !== undefined && issue.message.includes(described);
      const got = quoted ? undefined : described;
      problems.push({ path, message: issue.message, required: false, got });
    }
  }
  return problems;
}

function closestBranch(branches: readonly (readonly z.core.$ZodIssue[])[]): readonly z.core.$ZodIssue[] {
  const unknownKeys = (issues: readonly z.core.$ZodIssue[]) =>
    issues.reduce(
      (count, issue) => count + (issue.code === "unrecognized_keys" && issue.path.length === 0 ? issue.keys.length : 0),
      0,
    );
  let best = branches[0] ?? [];
  for (const branch of branches) if (unknownKeys(branch) < unknownKeys(best)) best = branch;
  return best;
}

/** `ztoq.config.yml: migration.concurrency: expected …; got 100`. */
export function renderProblem(where: string, problem: Problem): string {
  const got = problem.got === undefined ? "" : `; got ${problem.got}`;
  return `${where}: ${problem.message}${got}`;
}

/** `ZTOQ_ZEPHYR_URL must be an http:// or https:// URL; got "…"`. */
export function renderEnvProblem(name: string, problem: Problem): string {
  const got = problem.got === undefined ? "" : `; got ${problem.got}`;
  return problem.message.startsWith("expected ")
    ? `${name} must be ${problem.message.slice("expected ".length)}${got}`
    : `${name}: ${problem.message}${got}`;
}

const maxProblems = 5;

/** One line: the first few distinct problems, and how many more there are. */
export function joinProblems(lines: readonly string[]): string {
  const unique = [...new Set(lines)];
  const shown = unique.slice(0, maxProblems).join("; ");
  const more = unique.length - maxProblems;
  return more > 0 ? `${shown}; and ${more} more problem${more === 1 ? "" : "s"}` : shown;
}

/** A value as a message shows it: strings quoted, passwords in URLs masked, long text cut. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") {
    const masked = maskUrlPassword(value);
    return JSON.stringify(masked.length > 80 ? `${masked.slice(0, 77)}...` : masked);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return String(value);
}

function maskUrlPassword(value: string): string {
  if (!URL.canParse(value)) return value;
  const url = new URL(value);
  let masked = false;
  if (url.password !== "") {
    url.password = "***";
    masked = true;
  }
  if (url.searchParams.has("password")) {
    url.searchParams.set("password", "***");
    masked = true;
  }
  return masked ? url.toString() : value;
}

/** Typos worth a suggestion: at most two edits, and fewer than half the key's length. */
const maxSuggestionDistance = 2;

function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of allowed) {
    // The cap stops counting past what could be suggested; a difference in case alone counts as none.
    const distance = name.toLowerCase() === key.toLowerCase() ? 0 : leven(key, name, { maxDistance: maxSuggestionDistance + 1 });
    if (distance <= maxSuggestionDistance && distance < key.length / 2 && (!best || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}

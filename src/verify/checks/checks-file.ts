import { readFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { z } from "zod";
import { parseText } from "../../config/file.js";
import { collectProblems, joinProblems, parseParams, renderProblem } from "../../config/messages.js";
import { BadInputError } from "../../errors.js";
import { httpCheckSettingsSchema } from "../http/settings.js";
import { scriptCheckSettingsSchema } from "../script/settings.js";
import { sqlCheckSettingsSchema } from "../sql/settings.js";

const common = {
  name: z
    .string()
    .min(1)
    .describe("The check's name: unique in the file; the report, the summary and the logs name the check by it."),
  failOn: z
    .string()
    .optional()
    .describe(
      'This check\'s thresholds, e.g. "changed>5" (metrics: missing, extra, changed, duplicated, misplaced, unnamed ones stay >0; notCarried for zephyr-qtest, not gated unless named). Default: --fail-on, else any difference fails.',
    ),
};

const zephyrQTestEntry = z
  .strictObject({ ...common, kind: z.literal("zephyr-qtest") })
  .describe("The Zephyr Scale → qTest migration, as `ztoq verify` checks it (connections from the ZTOQ configuration).");
const sqlEntry = sqlCheckSettingsSchema
  .extend({ ...common, kind: z.literal("sql") })
  .describe("Two database tables (or queries), row by row.");
const httpEntry = httpCheckSettingsSchema
  .extend({ ...common, kind: z.literal("http") })
  .describe("An old and a new service, response by response.");
const scriptEntry = scriptCheckSettingsSchema
  .extend({ ...common, kind: z.literal("script") })
  .describe("A check written in TypeScript or JavaScript.");

const KINDS = ["zephyr-qtest", "sql", "http", "script"] as const;

export const checkEntrySchema = z.discriminatedUnion("kind", [zephyrQTestEntry, sqlEntry, httpEntry, scriptEntry]);
export type CheckEntry = z.infer<typeof checkEntrySchema>;

export const checksFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe("Path or URL of this JSON Schema, for editors. Ignored by ztoq."),
    checks: z.array(checkEntrySchema).min(1).describe("The checks, run in order; one report and one verdict for all."),
  })
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.checks.forEach((check, index) => {
      if (seen.has(check.name)) {
        context.addIssue({ code: "custom", path: ["checks", index, "name"], message: `'${check.name}' names another check too` });
      }
      seen.add(check.name);
    });
  })
  .describe("ZTOQ verification checks (`ztoq verify --checks FILE`).");

export interface ChecksFile {
  /** Relative paths in the checks resolve against this directory. */
  baseDir: string;
  checks: CheckEntry[];
}

/** Reads and validates a checks file; every problem is bad input, named by file and path, on one line. */
export async function loadChecksFile(path: string, cwd = process.cwd()): Promise<ChecksFile> {
  const absolute = resolve(cwd, path);
  const display = relative(cwd, absolute).startsWith("..") ? absolute : relative(cwd, absolute);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new BadInputError(`checks file ${display}: ${code === "ENOENT" ? "not found" : `cannot be read (${code})`}`);
  }
  const input = parseText(text, { path: absolute, display });
  // zod words an unknown discriminator as a problem of the whole entry; the key is what is wrong.
  const entries = (input as { checks?: unknown })?.checks;
  if (Array.isArray(entries)) {
    entries.forEach((entry, index) => {
      const kind = (entry as { kind?: unknown })?.kind;
      if (typeof entry === "object" && entry !== null && !(KINDS as readonly unknown[]).includes(kind)) {
        const got = kind === undefined ? "is required; expected" : `expected`;
        throw new BadInputError(
          `${display}: checks.${index}.kind: ${got} one of ${KINDS.join(", ")}${kind === undefined ? "" : `; got ${JSON.stringify(kind)}`}`,
        );
      }
    });
  }
  const parsed = checksFileSchema.safeParse(input, parseParams);
  if (!parsed.success) {
    const label = (problem: ReturnType<typeof collectProblems>[number]) =>
      renderProblem(`${display}: ${problem.path.join(".")}`, problem);
    throw new BadInputError(joinProblems(collectProblems(parsed.error.issues).map(label)));
  }
  return { baseDir: dirname(absolute), checks: parsed.data.checks };
}

/** The checks file's JSON Schema, for editors (`schemas/ztoq.checks.schema.json`). */
export function checksFileJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(checksFileSchema, { io: "input", target: "draft-2020-12", unrepresentable: "any" });
  return { $schema, $id: "urn:ztoq:schema:checks", title: "ZTOQ verification checks (ztoq verify --checks FILE)", ...rest };
}

/**
 * Where a report goes, checked before the run it reports on writes anything: a `--report` that names
 * a directory, or a file where its directory should be, would otherwise fail only once the work is
 * done (after a migration has written to qTest, or a rollback has deleted from it).
 */
import { join } from "node:path";
import { BadInputError } from "../errors.js";
import { prepareWritableFile } from "../writable-file.js";

/** The Markdown twin of a JSON report, beside it: `x.json` → `x.md` (`x` → `x.md`). */
export function markdownTwin(path: string): string {
  return `${path.replace(/\.json$/i, "")}.md`;
}

/**
 * Makes the report's directory and refuses, as bad input, a report (or its Markdown twin) that cannot
 * be written there. `defaultName` is the file a directory given by mistake could hold.
 */
export function prepareReportFile(path: string, defaultName: string): void {
  const problem = prepareWritableFile(path);
  if (problem) {
    const hint = problem.kind === "directory" ? `: name a file in it, such as ${join(path, defaultName)}` : "";
    throw new BadInputError(`Report ${path}: ${problem.message}${hint}`);
  }
  const twin = markdownTwin(path);
  const twinProblem = prepareWritableFile(twin);
  if (twinProblem) {
    const hint = twinProblem.kind === "directory" ? ": choose another name for the report" : "";
    throw new BadInputError(`Report ${path}: its Markdown twin ${twin}: ${twinProblem.message}${hint}`);
  }
}

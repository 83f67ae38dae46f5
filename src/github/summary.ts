import { stat } from "node:fs/promises";
import { EOL } from "node:os";
import * as core from "@actions/core";

/** GitHub rejects a step summary above 1024 KiB (the whole file, so earlier appends count). */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;
/** Head-room kept below the limit (line endings, the runner's own bookkeeping). */
const SAFETY_BYTES = 4 * 1024;

export const TRUNCATION_NOTE =
  "> **Note:** this summary was truncated to stay under GitHub's 1024 KiB limit; the full report is in the uploaded artifact.";

/**
 * Appends `markdown` to the job summary (`$GITHUB_STEP_SUMMARY`) with `core.summary`.
 * Returns false and does nothing when the variable is unset (local runs). Content that would push
 * the summary file past the limit is cut at a line boundary and followed by a note. A summary that
 * cannot be written is a warning, never an error: it must not fail the step.
 */
export async function writeJobSummary(markdown: string): Promise<boolean> {
  const path = process.env.GITHUB_STEP_SUMMARY;
  // Local runs: silent (core.debug would print a `::debug::` line on stdout even outside Actions).
  if (!path) return false;
  try {
    const existing = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    // addRaw(…, true) ends the text with os.EOL.
    const budget = SUMMARY_LIMIT_BYTES - SAFETY_BYTES - existing - EOL.length;
    const text = fitSummary(markdown, budget);
    if (text === undefined) {
      core.warning("The job summary is already at GitHub's 1024 KiB limit; nothing more was added.");
      return false;
    }
    await core.summary.addRaw(text, true).write();
    return true;
  } catch (error) {
    core.warning(`Could not write the job summary: ${error instanceof Error ? error.message : String(error)}`);
    core.summary.emptyBuffer();
    return false;
  }
}

/**
 * `markdown` unchanged when it fits in `budget` UTF-8 bytes; otherwise its longest prefix ending at
 * a line break (never inside a character) that leaves room for the truncation note, with an open
 * code fence closed. Undefined when not even the note fits.
 */
export function fitSummary(markdown: string, budget: number): string | undefined {
  if (Buffer.byteLength(markdown, "utf8") <= budget) return markdown;
  const tail = `\n\n${TRUNCATION_NOTE}`;
  const fenceClose = "\n```";
  const room = budget - Buffer.byteLength(tail, "utf8") - fenceClose.length;
  if (room < 0) return undefined;
  // Decoding a byte prefix may end in a partial character (U+FFFD); drop back to the last newline.
  let head = Buffer.from(markdown, "utf8").subarray(0, room).toString("utf8");
  const lastBreak = head.lastIndexOf("\n");
  head = lastBreak >= 0 ? head.slice(0, lastBreak) : head.replace(/\uFFFD+$/, "");
  const fences = head.match(/^\s*(```|~~~)/gm)?.length ?? 0;
  if (fences % 2 === 1) head += fenceClose;
  return `${head}${tail}`;
}

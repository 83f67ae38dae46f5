import type { Difference } from "../../report/verification-report.js";
import { clip, fieldOf } from "../diff.js";

/** Samples kept per check; the counts go on past it. */
export const FINDING_SAMPLE_CAP = 20;
/** Differences kept per sample. */
const DIFFERENCES_PER_SAMPLE = 10;

export type FindingProblem = "missing" | "extra" | "changed" | "duplicated";

/** One finding, as the report shows it: the key (row key values, request id), what is wrong, where. */
export interface FindingSample {
  key: string;
  problem: FindingProblem;
  differences: Difference[];
}

/** What a `Findings` holds, as data. */
export type FindingsData = Pick<
  Findings,
  "matched" | "missing" | "extra" | "changed" | "duplicated" | "truncated" | "changedPaths" | "samples"
>;

/**
 * What one check of a standalone kind (sql, http, script) found: items matched, missing in the target,
 * extra in the target, changed (with the paths that differ), duplicated (surplus copies of a key on
 * either side) — every one counted, the first few sampled. The one tally every kind feeds, so the
 * report and the gate treat them alike.
 */
export class Findings {
  matched = 0;
  missing = 0;
  extra = 0;
  changed = 0;
  duplicated = 0;
  truncated = false;
  /** Changed items per path (array indexes as `[]`): which columns or fields differ most. */
  readonly changedPaths = new Map<string, number>();
  readonly samples: FindingSample[] = [];

  /**
   * Findings tallied in another thread: a structured clone carries the fields across, not the class.
   */
  static from(data: FindingsData): Findings {
    const findings = new Findings();
    findings.matched = data.matched;
    findings.missing = data.missing;
    findings.extra = data.extra;
    findings.changed = data.changed;
    findings.duplicated = data.duplicated;
    findings.truncated = data.truncated;
    for (const [path, count] of data.changedPaths) findings.changedPaths.set(path, count);
    findings.samples.push(...data.samples);
    return findings;
  }

  match(n = 1): void {
    this.matched += n;
  }

  /** The source has `key`, the target does not. */
  missingInTarget(key: string): void {
    this.missing++;
    this.#sample({ key, problem: "missing", differences: [] });
  }

  /** The target has `key`, the source does not. */
  extraInTarget(key: string): void {
    this.extra++;
    this.#sample({ key, problem: "extra", differences: [] });
  }

  /** Both have `key`, and these paths differ; no differences counts as a match. */
  compared(key: string, differences: readonly Difference[]): void {
    if (differences.length === 0) {
      this.matched++;
      return;
    }
    this.changed++;
    for (const path of new Set(differences.map((d) => fieldOf(d.path)))) {
      this.changedPaths.set(path, (this.changedPaths.get(path) ?? 0) + 1);
    }
    this.#sample({ key, problem: "changed", differences: [...differences] });
  }

  /** `key` occurs `source` times in the source and `target` times in the target; more than once is a duplicate. */
  duplicates(key: string, counts: { source: number; target: number }): void {
    const surplus = Math.max(0, counts.source - 1) + Math.max(0, counts.target - 1);
    if (surplus === 0) return;
    this.duplicated += surplus;
    this.#sample({
      key,
      problem: "duplicated",
      differences: [{ path: "(occurrences)", source: counts.source, target: counts.target }],
    });
  }

  /** Problems of every kind, for the gate. */
  get problems(): number {
    return this.missing + this.extra + this.changed + this.duplicated;
  }

  #sample(sample: FindingSample): void {
    if (this.samples.length >= FINDING_SAMPLE_CAP) {
      this.truncated = true;
      return;
    }
    this.samples.push({
      key: String(clip(sample.key)),
      problem: sample.problem,
      differences: sample.differences
        .slice(0, DIFFERENCES_PER_SAMPLE)
        .map((d) => ({ path: d.path, source: clip(d.source), target: clip(d.target) })),
    });
  }
}

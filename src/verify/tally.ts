import type { EntityType } from "../entity-types.js";
import type { Difference, Problem, Sample } from "../report/verification-report.js";
import { clip, fieldOf } from "./diff.js";
import { METRICS, type Metric } from "./fail-on.js";

/** Samples kept per entity type (dbt-audit-helper's default); the counts go on past it. */
export const SAMPLE_CAP = 20;

/** Whether a problem adds to the totals through this type, or is shown here but counted through another. */
export interface Counting {
  /**
   * The problem follows from one that another type counts, so it is shown here but not added to the
   * totals a second time: the steps of a missing, extra or duplicated test case (counted through the
   * case), a test case whose only differences are in its steps (counted through the steps).
   */
  countedElsewhere?: boolean;
}

/**
 * What comparing one entity type found: counts, field mismatch counters and capped samples. Every
 * type adds to the totals the thresholds bound, each problem once (see `Counting`).
 */
export class ComparisonTally {
  sourceCount = 0;
  excluded = 0;
  targetCount = 0;
  matched = 0;
  missing = 0;
  extra = 0;
  duplicated = 0;
  changed = 0;
  misplaced = 0;
  truncated = false;
  readonly fieldMismatches = new Map<string, number>();
  readonly samples: Sample[] = [];
  /** Of the counts above, the problems shown here but counted through another type. */
  readonly countedElsewhere: Record<Metric, number> = Object.fromEntries(METRICS.map((m) => [m, 0])) as Record<Metric, number>;

  constructor(readonly type: EntityType) {}

  /**
   * One paired entity: matched when it is neither misplaced nor changed; each problem it has is
   * counted (so an entity both moved and changed counts in both). `changed` says how its change counts.
   */
  paired(
    key: string,
    targetIds: number[],
    problems: { misplaced?: Difference[]; changed?: Difference[] },
    changed: Counting = {},
  ): void {
    const { misplaced = [], changed: differences = [] } = problems;
    if (misplaced.length === 0 && differences.length === 0) {
      this.matched++;
      return;
    }
    if (misplaced.length > 0) this.#report("misplaced", key, targetIds, misplaced, {});
    if (differences.length > 0) this.#report("changed", key, targetIds, differences, changed);
  }

  /** `n` entities (one key) with a problem; a sample names the key. */
  problem(
    problem: Exclude<Problem, "changed">,
    key: string,
    targetIds: number[],
    n = 1,
    differences: Difference[] = [],
    counting: Counting = {},
  ): void {
    if (n <= 0) return;
    this.#add(problem, n, counting);
    this.#sample({ key, problem, targetIds, differences });
  }

  /** Changed entities with their differences; every distinct field path counts the entity once. */
  #report(
    problem: "changed" | "misplaced",
    key: string,
    targetIds: number[],
    differences: Difference[],
    counting: Counting,
  ): void {
    this.#add(problem, 1, counting);
    if (problem === "changed") {
      for (const field of new Set(differences.map((d) => fieldOf(d.path)))) {
        this.fieldMismatches.set(field, (this.fieldMismatches.get(field) ?? 0) + 1);
      }
    }
    this.#sample({ key, problem, targetIds, differences });
  }

  /** Counts without a sample (e.g. the steps of a duplicated case, sampled through the case). */
  add(problem: Problem | "matched", n: number, counting: Counting = {}): void {
    if (problem === "matched") this.matched += n;
    else this.#add(problem, n, counting);
  }

  #add(problem: Problem, n: number, counting: Counting): void {
    if (counting.countedElsewhere) this.countedElsewhere[problem] += n;
    switch (problem) {
      case "missing":
        this.missing += n;
        break;
      case "extra":
        this.extra += n;
        break;
      case "duplicated":
        this.duplicated += n;
        break;
      case "changed":
        this.changed += n;
        break;
      case "misplaced":
        this.misplaced += n;
        break;
    }
  }

  #sample(sample: Sample): void {
    if (this.samples.length >= SAMPLE_CAP) {
      this.truncated = true;
      return;
    }
    this.samples.push({
      ...sample,
      targetIds: sample.targetIds.slice(0, 10),
      differences: sample.differences.slice(0, 10).map((d) => ({ path: d.path, source: clip(d.source), target: clip(d.target) })),
    });
  }

  /** What this type adds to the totals: its count, less the problems counted through another type. */
  counted(problem: Problem): number {
    return this.count(problem) - this.countedElsewhere[problem];
  }

  count(problem: Problem): number {
    switch (problem) {
      case "missing":
        return this.missing;
      case "extra":
        return this.extra;
      case "duplicated":
        return this.duplicated;
      case "changed":
        return this.changed;
      case "misplaced":
        return this.misplaced;
    }
  }
}

import type { EntityType } from "../entity-types.js";
import type { Difference, Problem, Sample } from "../report/verification-report.js";
import { clip, fieldOf } from "./diff.js";

/** Samples kept per entity type (dbt-audit-helper's default); the counts go on past it. */
export const SAMPLE_CAP = 20;

/** What comparing one entity type found: counts, field mismatch counters and capped samples. */
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

  constructor(
    readonly type: EntityType,
    readonly gated = true,
  ) {}

  /**
   * One paired entity: matched when it is neither misplaced nor changed; each problem it has is
   * counted (so an entity both moved and changed counts in both).
   */
  paired(key: string, targetIds: number[], problems: { misplaced?: Difference[]; changed?: Difference[] }): void {
    const { misplaced = [], changed = [] } = problems;
    if (misplaced.length === 0 && changed.length === 0) {
      this.matched++;
      return;
    }
    if (misplaced.length > 0) this.#report("misplaced", key, targetIds, misplaced);
    if (changed.length > 0) this.#report("changed", key, targetIds, changed);
  }

  /** `n` entities (one key) with a problem; a sample names the key. */
  problem(problem: Exclude<Problem, "changed">, key: string, targetIds: number[], n = 1, differences: Difference[] = []): void {
    if (n <= 0) return;
    this.#add(problem, n);
    this.#sample({ key, problem, targetIds, differences });
  }

  /** Changed entities with their differences; every distinct field path counts the entity once. */
  #report(problem: "changed" | "misplaced", key: string, targetIds: number[], differences: Difference[]): void {
    this.#add(problem, 1);
    if (problem === "changed") {
      for (const field of new Set(differences.map((d) => fieldOf(d.path)))) {
        this.fieldMismatches.set(field, (this.fieldMismatches.get(field) ?? 0) + 1);
      }
    }
    this.#sample({ key, problem, targetIds, differences });
  }

  /** Counts without a sample (e.g. the steps of a changed case, sampled through the case). */
  add(problem: Problem | "matched", n: number): void {
    if (problem === "matched") this.matched += n;
    else this.#add(problem, n);
  }

  #add(problem: Problem, n: number): void {
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

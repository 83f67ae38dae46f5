import type { Difference, Problem, Sample, VerifiedEntityType } from "../report/verification-report.js";

/** Samples kept per entity type (dbt-audit-helper's default); the counts go on past it. */
export const SAMPLE_CAP = 20;
/** Longest string kept in a sample value. */
const VALUE_CAP = 300;

/**
 * Field-level differences between two comparable values (strings, numbers, null, arrays, plain
 * objects), as `{path, source, target}`. Arrays are compared position by position, objects key by key.
 */
export function diff(source: unknown, target: unknown, path = ""): Difference[] {
  if (Array.isArray(source) && Array.isArray(target)) {
    const out: Difference[] = [];
    for (let i = 0; i < Math.max(source.length, target.length); i++) {
      const at = `${path}[${i}]`;
      if (i >= source.length) out.push({ path: at, source: null, target: target[i] });
      else if (i >= target.length) out.push({ path: at, source: source[i], target: null });
      else out.push(...diff(source[i], target[i], at));
    }
    return out;
  }
  if (isRecord(source) && isRecord(target)) {
    const keys = [...new Set([...Object.keys(source), ...Object.keys(target)])].sort();
    return keys.flatMap((key) => diff(source[key] ?? null, target[key] ?? null, path === "" ? key : `${path}.${key}`));
  }
  if (sameValue(source, target)) return [];
  return [{ path, source: source ?? null, target: target ?? null }];
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return JSON.stringify(a) === JSON.stringify(b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `testSteps[3].expected` → `testSteps[].expected`: one counter per field, whatever the position. */
export function fieldOf(path: string): string {
  return path.replace(/\[\d+\]/g, "[]");
}

/** Long strings in a sample value are cut, so a report stays readable whatever the data. */
function clip(value: unknown): unknown {
  if (typeof value === "string") return value.length > VALUE_CAP ? `${value.slice(0, VALUE_CAP)}…` : value;
  if (Array.isArray(value)) return value.map(clip);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clip(v)]));
  return value;
}

/** The counts, field mismatch counters and capped samples of one entity type. */
export class EntityTally {
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
    readonly type: VerifiedEntityType,
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

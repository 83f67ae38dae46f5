import type { RecordedType } from "../entity-types.js";

export const OUTCOMES = ["created", "updated", "unchanged", "failed", "skipped", "disappeared", "pruned"] as const;
export type Outcome = (typeof OUTCOMES)[number];

const MAX_REASONS = 50;

export interface EntityTally {
  counts: Record<Outcome, number>;
  /** Why entities failed or were skipped: the first few, by key. */
  reasons: { key: string; outcome: Outcome; reason: string }[];
  durationMs: number;
}

/** Counts what a run did to each entity type, for the report, the progress line and the exit code. */
export class Tally {
  readonly #byType = new Map<RecordedType, EntityTally>();

  count(type: RecordedType, outcome: Outcome, key?: string, reason?: string): void {
    const tally = this.#of(type);
    tally.counts[outcome]++;
    if (reason !== undefined && key !== undefined && tally.reasons.length < MAX_REASONS) {
      tally.reasons.push({ key, outcome, reason });
    }
  }

  addDuration(type: RecordedType, ms: number): void {
    this.#of(type).durationMs += ms;
  }

  processed(type: RecordedType): number {
    const { counts } = this.#of(type);
    return counts.created + counts.updated + counts.unchanged + counts.failed + counts.skipped;
  }

  total(outcome: Outcome): number {
    let sum = 0;
    for (const tally of this.#byType.values()) sum += tally.counts[outcome];
    return sum;
  }

  snapshot(): Partial<Record<RecordedType, EntityTally>> {
    return Object.fromEntries(this.#byType);
  }

  #of(type: RecordedType): EntityTally {
    let tally = this.#byType.get(type);
    if (!tally) {
      tally = { counts: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>, reasons: [], durationMs: 0 };
      this.#byType.set(type, tally);
    }
    return tally;
  }
}

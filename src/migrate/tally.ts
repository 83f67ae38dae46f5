import type { RecordedType } from "../entity-types.js";

export const OUTCOMES = ["created", "updated", "unchanged", "failed", "skipped", "disappeared", "pruned"] as const;
export type Outcome = (typeof OUTCOMES)[number];

const MAX_REASONS = 50;

/** What a run did to the entities of one type. */
export interface TypeOutcomes {
  counts: Record<Outcome, number>;
  /** Why entities failed or were skipped: the first few, by key. */
  reasons: { key: string; outcome: Outcome; reason: string }[];
  /** Wall time from the first entity of the type taken up to the last one finished (0 when none was timed). */
  durationMs: number;
}

interface Timed extends TypeOutcomes {
  firstStart: number | undefined;
  lastEnd: number | undefined;
}

/** Counts what a run did to each entity type, for the report, the progress line and the exit code. */
export class OutcomeTally {
  readonly #byType = new Map<RecordedType, Timed>();

  count(type: RecordedType, outcome: Outcome, key?: string, reason?: string): void {
    const tally = this.#of(type);
    tally.counts[outcome]++;
    if (reason !== undefined && key !== undefined && tally.reasons.length < MAX_REASONS) {
      tally.reasons.push({ key, outcome, reason });
    }
  }

  /** Records that work on one entity of `type` ran from `start` to `end` (`performance.now()` ms). */
  time(type: RecordedType, start: number, end: number): void {
    const tally = this.#of(type);
    tally.firstStart = Math.min(tally.firstStart ?? start, start);
    tally.lastEnd = Math.max(tally.lastEnd ?? end, end);
  }

  total(outcome: Outcome): number {
    let sum = 0;
    for (const tally of this.#byType.values()) sum += tally.counts[outcome];
    return sum;
  }

  snapshot(): Partial<Record<RecordedType, TypeOutcomes>> {
    return Object.fromEntries(
      [...this.#byType].map(([type, { counts, reasons, firstStart, lastEnd }]) => [
        type,
        {
          counts,
          reasons,
          durationMs: firstStart === undefined || lastEnd === undefined ? 0 : Math.round(lastEnd - firstStart),
        },
      ]),
    );
  }

  #of(type: RecordedType): Timed {
    let tally = this.#byType.get(type);
    if (!tally) {
      tally = {
        counts: Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as Record<Outcome, number>,
        reasons: [],
        durationMs: 0,
        firstStart: undefined,
        lastEnd: undefined,
      };
      this.#byType.set(type, tally);
    }
    return tally;
  }
}

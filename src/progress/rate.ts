/**
 * The rate of one counter, smoothed, and whether it has settled enough to promise an ETA. The first
 * seconds of a phase (connections opening, bulk reads before the first item) would otherwise
 * promise `ETA 26m44s` for a phase that takes seconds.
 */
export interface RateRules {
  /** Items done before an ETA is shown. */
  minItems: number;
  /** Time since the counter started before an ETA is shown. */
  minMs: number;
  /** The rate is sampled at most this often; the smoothing works on these samples. */
  sampleMs: number;
  /** Weight of the newest sample in the moving average (0–1). */
  alpha: number;
  /** Samples taken before an ETA is shown. */
  minSamples: number;
  /** Largest relative gap between the newest sample and the average for the rate to count as settled. */
  tolerance: number;
}

export const DEFAULT_RATE_RULES: RateRules = {
  minItems: 20,
  minMs: 5_000,
  sampleMs: 1_000,
  alpha: 0.3,
  minSamples: 3,
  tolerance: 0.5,
};

export class RateMeter {
  readonly #rules: RateRules;
  // From the first item recorded, not from when the counter was made: a total is often announced
  // long before its phase starts.
  #startedAt: number | undefined;
  #startDone = 0;
  #done = 0;
  #sampledAt = 0;
  #sampledDone = 0;
  #smoothed: number | undefined;
  #samples = 0;
  // Once settled, the ETA stays: a pause between bursts should not make it blink.
  #settled = false;

  constructor(rules: Partial<RateRules> = {}) {
    this.#rules = { ...DEFAULT_RATE_RULES, ...rules };
  }

  /** `done` items in all at `now` (ms). */
  record(done: number, now: number): void {
    this.#done = done;
    if (this.#startedAt === undefined) {
      this.#startedAt = this.#sampledAt = now;
      this.#startDone = this.#sampledDone = done;
      return;
    }
    const elapsed = now - this.#sampledAt;
    if (elapsed < this.#rules.sampleMs) return;
    const sample = ((done - this.#sampledDone) * 1000) / elapsed;
    this.#smoothed =
      this.#smoothed === undefined ? sample : this.#rules.alpha * sample + (1 - this.#rules.alpha) * this.#smoothed;
    this.#samples++;
    this.#sampledAt = now;
    this.#sampledDone = done;
    if (!this.#settled) this.#settled = this.#isSettled(sample, now);
  }

  /** Items per second: smoothed once sampled, the plain average before; undefined until it means something. */
  rate(now: number): number | undefined {
    if (this.#smoothed !== undefined) return this.#smoothed;
    if (this.#startedAt === undefined || now - this.#startedAt < this.#rules.sampleMs / 2) return undefined;
    return ((this.#done - this.#startDone) * 1000) / (now - this.#startedAt);
  }

  /** Seconds for `remaining` items, or undefined while the rate has not settled. */
  eta(remaining: number, now: number): number | undefined {
    const rate = this.rate(now);
    if (!this.#settled || rate === undefined || !(rate > 0)) return undefined;
    return remaining / rate;
  }

  #isSettled(sample: number, now: number): boolean {
    const r = this.#rules;
    const smoothed = this.#smoothed ?? 0;
    return (
      this.#done >= r.minItems &&
      now - (this.#startedAt ?? now) >= r.minMs &&
      this.#samples >= r.minSamples &&
      smoothed > 0 &&
      Math.abs(sample - smoothed) / smoothed <= r.tolerance
    );
  }
}

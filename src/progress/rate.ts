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
  readonly #startedAt: number;
  #done = 0;
  #sampledAt: number;
  #sampledDone = 0;
  #smoothed: number | undefined;
  #samples = 0;
  // Once settled, the ETA stays: a pause between bursts should not make it blink.
  #settled = false;

  constructor(startedAt: number, rules: Partial<RateRules> = {}) {
    this.#rules = { ...DEFAULT_RATE_RULES, ...rules };
    this.#startedAt = startedAt;
    this.#sampledAt = startedAt;
  }

  /** `done` items in all at `now` (ms). */
  record(done: number, now: number): void {
    this.#done = done;
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

  /** Items per second: smoothed once sampled, the plain average before. */
  rate(now: number): number {
    if (this.#smoothed !== undefined) return this.#smoothed;
    return this.#done / Math.max(0.001, (now - this.#startedAt) / 1000);
  }

  /** Seconds for `remaining` items, or undefined while the rate has not settled. */
  eta(remaining: number, now: number): number | undefined {
    const rate = this.rate(now);
    if (!this.#settled || !(rate > 0)) return undefined;
    return remaining / rate;
  }

  #isSettled(sample: number, now: number): boolean {
    const r = this.#rules;
    const smoothed = this.#smoothed ?? 0;
    return (
      this.#done >= r.minItems &&
      now - this.#startedAt >= r.minMs &&
      this.#samples >= r.minSamples &&
      smoothed > 0 &&
      Math.abs(sample - smoothed) / smoothed <= r.tolerance
    );
  }
}

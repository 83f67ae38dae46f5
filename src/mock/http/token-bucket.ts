/**
 * A token bucket refilled continuously. Capacity equals one second of the rate, so `--rate-limit N`
 * means N requests per second with a burst of at most N.
 */
export class TokenBucket {
  readonly #ratePerSecond: number;
  readonly #capacity: number;
  #tokens: number;
  #lastRefill: number;
  readonly #now: () => number;

  constructor(ratePerSecond: number, now: () => number = performance.now.bind(performance)) {
    if (!(ratePerSecond > 0)) throw new RangeError(`rate must be positive, got ${ratePerSecond}`);
    this.#ratePerSecond = ratePerSecond;
    this.#capacity = Math.max(1, ratePerSecond);
    this.#tokens = this.#capacity;
    this.#now = now;
    this.#lastRefill = now();
  }

  /** Takes one token if there is one; otherwise says how long until there will be. */
  take(): { granted: true; remaining: number } | { granted: false; retryAfterMs: number } {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { granted: true, remaining: Math.floor(this.#tokens) };
    }
    return { granted: false, retryAfterMs: ((1 - this.#tokens) / this.#ratePerSecond) * 1000 };
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = (now - this.#lastRefill) / 1000;
    this.#lastRefill = now;
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#ratePerSecond);
  }
}

/** A mock's rate limit, which a test or benchmark may change while the mock serves (or lift). */
export class RateLimit {
  #bucket: TokenBucket | undefined;

  constructor(ratePerSecond?: number) {
    this.set(ratePerSecond);
  }

  set(ratePerSecond: number | undefined): void {
    this.#bucket = ratePerSecond ? new TokenBucket(ratePerSecond) : undefined;
  }

  /** Undefined when there is no limit. */
  take(): ReturnType<TokenBucket["take"]> | undefined {
    return this.#bucket?.take();
  }
}

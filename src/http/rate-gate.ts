/**
 * The gate every request to one host passes through, retries included: a smooth token bucket at
 * the configured requests per second, a cap on requests in flight, and adaptive backoff.
 *
 * Pacing is smooth on purpose. A bucket refilled continuously at `rate` with a burst of only a few
 * tokens hands out one permit every `1/rate` seconds; a limiter that releases a whole second's
 * allowance at once (p-queue's `interval` + `intervalCap`) lands that burst on the server's own
 * per-second bucket right as it is being refilled, and the server answers 429.
 *
 * Adaptive backoff: a 429 pauses the whole gate — for `Retry-After` when the server sent one,
 * otherwise for an exponential, jittered delay — and halves the rate; every later success wins a
 * little of it back. `x-ratelimit-remaining-*` at or near 0 lowers the rate before a 429 comes.
 * Responses to permits issued before the last cut do not cut again, so a burst of in-flight
 * requests all answered 429 counts as one signal, not as many.
 */
import { backoffDelay } from "./backoff.js";

export interface RateGateOptions {
  /** Requests per second the server allows. `Infinity` turns pacing off (the concurrency cap stays). */
  ratePerSecond: number;
  /** Requests in flight at once. */
  concurrency: number;
  /**
   * Tokens that may accumulate while the gate is idle (default: a tenth of a second's worth, at
   * least 2, at most 10). At least 2, so a timer that fires a little late costs no throughput.
   */
  burst?: number;
  /** The rate is never cut below this share of `ratePerSecond` (default 0.1). */
  minRateFactor?: number;
  /** Share of the configured rate won back per successful response after a cut (default 0.02). */
  recoveryPerSuccess?: number;
  /** First pause after a 429 without `Retry-After` (default 250 ms), doubled per consecutive 429. */
  throttleBaseMs?: number;
  /** Longest pause after a 429, `Retry-After` included (default 60 s). */
  throttleMaxMs?: number;
  /** `x-ratelimit-remaining-*` at or below this slows the gate (default 2). */
  lowRemaining?: number;
  /** Monotonic milliseconds (default `performance.now`). */
  now?: () => number;
  random?: () => number;
}

/** Permission to send one request; release it when the response (or failure) is in. */
export interface Permit {
  /** When the permit was granted, on the gate's clock. */
  readonly issuedAt: number;
  release(): void;
}

export interface RateGateState {
  ratePerSecond: number;
  /** The share of the configured rate currently in use (1 = full rate). */
  rateFactor: number;
  active: number;
  waiting: number;
  /** Milliseconds until the gate reopens after a 429, 0 when not paused. */
  pausedForMs: number;
}

interface Waiter {
  resolve(permit: Permit): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export class RateGate {
  readonly #rate: number;
  readonly #burst: number;
  readonly #minFactor: number;
  readonly #recovery: number;
  readonly #throttleBaseMs: number;
  readonly #throttleMaxMs: number;
  readonly #lowRemaining: number;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #concurrency: number;

  #tokens: number;
  #refilledAt: number;
  #factor = 1;
  #pausedUntil = 0;
  /** When the rate was last cut; responses to permits issued before it do not cut again. */
  #lastCutAt = Number.NEGATIVE_INFINITY;
  #consecutiveThrottles = 0;
  #active = 0;
  readonly #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  /** Counters for reports and tests. */
  readonly counters = { granted: 0, throttles: 0, slowdowns: 0, pausedMs: 0 };

  constructor(options: RateGateOptions) {
    if (!(options.ratePerSecond > 0)) throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1)) {
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.#rate = options.ratePerSecond;
    this.#concurrency = options.concurrency;
    this.#burst = Math.max(1, options.burst ?? Math.min(10, Math.max(2, this.#rate / 10)));
    this.#minFactor = options.minRateFactor ?? 0.1;
    this.#recovery = options.recoveryPerSuccess ?? 0.02;
    this.#throttleBaseMs = options.throttleBaseMs ?? 250;
    this.#throttleMaxMs = options.throttleMaxMs ?? 60_000;
    this.#lowRemaining = options.lowRemaining ?? 2;
    this.#now = options.now ?? (() => performance.now());
    this.#random = options.random ?? Math.random;
    this.#tokens = this.#burst;
    this.#refilledAt = this.#now();
  }

  get state(): RateGateState {
    return {
      ratePerSecond: this.#rate,
      rateFactor: this.#factor,
      active: this.#active,
      waiting: this.#waiters.length,
      pausedForMs: Math.max(0, this.#pausedUntil - this.#now()),
    };
  }

  /** Waits for a token and a free slot (first come, first served). */
  acquire(signal?: AbortSignal): Promise<Permit> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<Permit>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (signal) {
        waiter.signal = signal;
        waiter.onAbort = () => {
          const index = this.#waiters.indexOf(waiter);
          if (index >= 0) this.#waiters.splice(index, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#waiters.push(waiter);
      this.#pump();
    });
  }

  /** Runs `task` holding a permit. */
  async run<T>(task: (permit: Permit) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const permit = await this.acquire(signal);
    try {
      return await task(permit);
    } finally {
      permit.release();
    }
  }

  /**
   * The server answered 429 to a request sent under `permit`. Pauses the gate for `retryAfterMs`
   * (or an exponential, jittered delay) and cuts the rate. Returns the pause in milliseconds.
   */
  throttled(permit: Permit, retryAfterMs?: number): number {
    const now = this.#now();
    this.counters.throttles++;
    if (permit.issuedAt > this.#lastCutAt) {
      this.#consecutiveThrottles++;
      this.#cut(now, 0.5);
    }
    const pause = Math.min(
      this.#throttleMaxMs,
      retryAfterMs ??
        backoffDelay(this.#consecutiveThrottles, {
          baseMs: this.#throttleBaseMs,
          maxMs: this.#throttleMaxMs,
          random: this.#random,
        }),
    );
    const until = now + pause;
    if (until > this.#pausedUntil) {
      this.counters.pausedMs += until - Math.max(now, this.#pausedUntil);
      this.#pausedUntil = until;
    }
    // No burst when the gate reopens: the bucket starts empty and refills from then on.
    this.#tokens = 0;
    this.#refilledAt = Math.max(this.#refilledAt, this.#pausedUntil);
    this.#pump();
    return pause;
  }

  /**
   * The server answered (anything but 429) to a request sent under `permit`. `remaining` is the
   * server's `x-ratelimit-remaining-*` when it sent one.
   */
  responded(permit: Permit, remaining?: number): void {
    const now = this.#now();
    if (remaining !== undefined && remaining <= this.#lowRemaining) {
      if (permit.issuedAt > this.#lastCutAt) {
        this.counters.slowdowns++;
        this.#cut(now, remaining <= 0 ? 0.7 : 0.9);
      }
      return;
    }
    this.#consecutiveThrottles = 0;
    if (this.#factor < 1) this.#factor = Math.min(1, this.#factor + this.#recovery);
  }

  #cut(now: number, multiplier: number): void {
    // Refill at the old rate up to now, so the change applies from now on.
    this.#refill(now);
    this.#factor = Math.max(this.#minFactor, this.#factor * multiplier);
    this.#lastCutAt = now;
  }

  #currentRate(): number {
    return this.#rate * this.#factor;
  }

  #refill(now: number): void {
    if (now <= this.#refilledAt) return;
    const rate = this.#currentRate();
    this.#tokens =
      rate === Number.POSITIVE_INFINITY
        ? this.#burst
        : Math.min(this.#burst, this.#tokens + ((now - this.#refilledAt) / 1000) * rate);
    this.#refilledAt = now;
  }

  #pump(): void {
    while (this.#waiters.length > 0 && this.#active < this.#concurrency) {
      const now = this.#now();
      if (now < this.#pausedUntil) {
        this.#wake(this.#pausedUntil - now);
        return;
      }
      this.#refill(now);
      if (this.#tokens < 1) {
        this.#wake(((1 - this.#tokens) / this.#currentRate()) * 1000);
        return;
      }
      this.#tokens -= 1;
      const waiter = this.#waiters.shift() as Waiter;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
      this.#active++;
      this.counters.granted++;
      let released = false;
      waiter.resolve({
        issuedAt: now,
        release: () => {
          if (released) return;
          released = true;
          this.#active--;
          this.#pump();
        },
      });
    }
  }

  /** Runs the pump again in `ms` (keeping an earlier wake-up if one is set). */
  #wake(ms: number): void {
    const at = this.#now() + ms;
    if (this.#timer !== undefined && this.#timerAt <= at + 0.5) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#pump();
      },
      Math.max(0, Math.ceil(ms)),
    );
  }
}

/**
 * The gate every request to one host passes through, retries included: a smooth token bucket, a cap
 * on requests in flight, and a pace that follows what the server says.
 *
 * Pacing is smooth on purpose. A bucket refilled continuously at the current rate with a burst of
 * only a few tokens hands out one permit every `1/rate` seconds; a limiter that releases a whole
 * second's allowance at once (p-queue's `interval` + `intervalCap`) lands that burst on the server's
 * own per-second bucket right as it is being refilled, and the server answers 429.
 *
 * Two ways to set the pace:
 *
 * - A configured rate (`ratePerSecond`) is a ceiling. The gate starts there; a 429 pauses the whole
 *   gate — for `Retry-After` when the server sent one, otherwise for an exponential, jittered delay —
 *   and halves the rate; every later success wins a little of it back, never past the ceiling.
 *   With `hardCeiling` no window of one second ever holds more permits than the ceiling, bursts
 *   after idle time included, since a user who configured a limit may be counted that way.
 * - `adaptive`: vendors publish no numbers (docs/api-notes.md), so the gate finds the limit. It
 *   starts at a rate every service tolerates and grows by a share of itself per second (slow start)
 *   until the server first objects; from then on it climbs back quickly towards the rate where the
 *   server last objected and probes past it slowly (additive increase), and a 429 cuts it by a
 *   factor (multiplicative decrease). Only responses to permits the rate held back count as
 *   evidence for more: a gate that is not the bottleneck learns nothing about the server's limit.
 *
 * Either way `x-ratelimit-remaining-*` steers before a 429 comes: at or near 0 it cuts the rate
 * (at most once a second — the server's count lags the cut); in adaptive mode, below half of the
 * most the server has shown it stops the growth. Responses to permits issued before the last cut do
 * not cut again, so a burst of in-flight requests all answered 429 counts as one signal, not many.
 */
import { backoffDelay } from "./backoff.js";

export interface AdaptiveOptions {
  /** The rate before the server has said anything (default 10 per second, the old fixed default). */
  startRate?: number;
  /** Growth per second while no limit has shown, as a share of the rate (default 0.4). */
  startGrowth?: number;
  /** Seconds to win back most of the way to the rate of the last objection after a cut (default 3). */
  recoverSeconds?: number;
  /** Requests per second gained per second past that rate, as a share of it (default 0.02, at least 0.5/s). */
  probeShare?: number;
  /** The lowest rate (default 1 per second). */
  minRate?: number;
}

export interface RateGateOptions {
  /**
   * Requests per second: the rate, or in adaptive mode the ceiling. `Infinity` (the default in
   * adaptive mode) turns the ceiling off; without `adaptive` it turns pacing off (the concurrency cap stays).
   */
  ratePerSecond?: number;
  /** Find the rate from the server's answers (see the module comment). */
  adaptive?: boolean | AdaptiveOptions;
  /** No sliding one-second window holds more permits than `ratePerSecond`. */
  hardCeiling?: boolean;
  /** Requests in flight at once. */
  concurrency: number;
  /**
   * Tokens that may accumulate while the gate is idle (default: a tenth of a second's worth, at
   * least 2, at most 10). At least 2, so a timer that fires a little late costs no throughput.
   */
  burst?: number;
  /** A fixed rate is never cut below this share of `ratePerSecond` (default 0.1). */
  minRateFactor?: number;
  /** Share of a fixed rate won back per successful response after a cut (default 0.02). */
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
  /** Whether the rate held this permit back (the gate was the bottleneck when it was granted). */
  readonly paced?: boolean;
  release(): void;
}

export interface RateGateState {
  /** The configured rate or ceiling (`Infinity` when none). */
  ratePerSecond: number;
  /** The rate in use now. */
  currentRate: number;
  /** `currentRate` as a share of `ratePerSecond` (1 without a finite ceiling). */
  rateFactor: number;
  /** `start` until an adaptive gate first hears the server object, then `steady`; `fixed` otherwise. */
  phase: "start" | "steady" | "fixed";
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

/** How long granted permits are remembered for `recentRate()`. */
const RECENT_MS = 5000;
/** A cut from `x-ratelimit-remaining-*` waits this long after the last cut. */
const REMAINING_COOLDOWN_MS = 1000;

export class RateGate {
  readonly #ceiling: number;
  readonly #fixedBurst: number | undefined;
  readonly #minRate: number;
  readonly #recovery: number;
  readonly #throttleBaseMs: number;
  readonly #throttleMaxMs: number;
  readonly #lowRemaining: number;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #concurrency: number;
  readonly #adaptive: Required<AdaptiveOptions> | undefined;
  /** Issue times of the last `ceiling` permits (ring), when the ceiling is hard. */
  readonly #window: number[] | undefined;
  #windowNext = 0;

  #rate: number;
  #slowStart: boolean;
  /** The rate at which the server last objected (adaptive mode). */
  #knownLimit = Number.POSITIVE_INFINITY;
  /** The most `x-ratelimit-remaining-*` has said: the server's allowance when it is full. */
  #maxRemaining = 0;
  #tokens: number;
  #refilledAt: number;
  #pausedUntil = 0;
  /** When the rate was last cut; responses to permits issued before it do not cut again. */
  #lastCutAt = Number.NEGATIVE_INFINITY;
  #consecutiveThrottles = 0;
  #active = 0;
  readonly #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;
  #recent: number[] = [];

  /** Counters for reports and tests. */
  readonly counters = { granted: 0, throttles: 0, slowdowns: 0, pausedMs: 0 };

  constructor(options: RateGateOptions) {
    const ceiling = options.ratePerSecond ?? (options.adaptive ? Number.POSITIVE_INFINITY : Number.NaN);
    if (!(ceiling > 0)) throw new RangeError(`ratePerSecond must be positive, got ${options.ratePerSecond}`);
    if (!(Number.isInteger(options.concurrency) && options.concurrency >= 1)) {
      throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
    }
    this.#ceiling = ceiling;
    this.#concurrency = options.concurrency;
    const adaptive = options.adaptive === true ? {} : options.adaptive || undefined;
    this.#adaptive = adaptive && {
      startRate: adaptive.startRate ?? 10,
      startGrowth: adaptive.startGrowth ?? 0.4,
      recoverSeconds: adaptive.recoverSeconds ?? 3,
      probeShare: adaptive.probeShare ?? 0.02,
      minRate: adaptive.minRate ?? 1,
    };
    this.#rate = this.#adaptive ? Math.min(ceiling, this.#adaptive.startRate) : ceiling;
    this.#slowStart = this.#adaptive !== undefined;
    this.#minRate = this.#adaptive ? Math.min(ceiling, this.#adaptive.minRate) : ceiling * (options.minRateFactor ?? 0.1);
    // A fixed gate keeps the burst its rate implies; an adaptive one's follows the rate it finds.
    this.#fixedBurst = options.burst ?? (this.#adaptive ? undefined : burstFor(ceiling));
    this.#recovery = options.recoveryPerSuccess ?? 0.02;
    this.#throttleBaseMs = options.throttleBaseMs ?? 250;
    this.#throttleMaxMs = options.throttleMaxMs ?? 60_000;
    this.#lowRemaining = options.lowRemaining ?? 2;
    this.#now = options.now ?? (() => performance.now());
    this.#random = options.random ?? Math.random;
    this.#window = options.hardCeiling && Number.isFinite(ceiling) ? new Array(Math.max(1, Math.floor(ceiling))) : undefined;
    this.#tokens = this.#burst();
    this.#refilledAt = this.#now();
  }

  get state(): RateGateState {
    return {
      ratePerSecond: this.#ceiling,
      currentRate: this.#rate,
      rateFactor: Number.isFinite(this.#ceiling) ? this.#rate / this.#ceiling : 1,
      phase: this.#adaptive ? (this.#slowStart ? "start" : "steady") : "fixed",
      active: this.#active,
      waiting: this.#waiters.length,
      pausedForMs: Math.max(0, this.#pausedUntil - this.#now()),
    };
  }

  /** The pace the gate allows now, in requests per second (`Infinity` when unpaced). */
  currentRate(): number {
    return this.#rate;
  }

  /** Permits granted per second over the last few seconds: the pace actually sent. */
  recentRate(): number {
    const now = this.#now();
    this.#forget(now);
    const since = Math.min(RECENT_MS, now - (this.#recent[0] ?? now));
    return since <= 0 ? 0 : (this.#recent.length / Math.max(since, 1000)) * 1000;
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
      if (!this.#adaptive) this.#cut(now, 0.5);
      else if (this.#slowStart) {
        // The limit lies somewhere below the rate slow start overshot to.
        this.#slowStart = false;
        this.#cut(now, 0.5);
        this.#knownLimit = this.#rate;
      } else {
        // Converging: an objection below the last known limit means the limit is lower still.
        this.#knownLimit = this.#rate < this.#knownLimit ? this.#rate * 0.85 : this.#rate;
        this.#cut(now, 0.7);
      }
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
    if (remaining !== undefined) {
      this.#maxRemaining = Math.max(this.#maxRemaining, remaining);
      if (remaining <= this.#lowRemaining) {
        if (permit.issuedAt > this.#lastCutAt && now - this.#lastCutAt >= REMAINING_COOLDOWN_MS) {
          this.counters.slowdowns++;
          if (this.#adaptive) {
            this.#slowStart = false;
            this.#knownLimit = this.#rate * 0.95;
          }
          this.#cut(now, remaining <= 0 ? 0.7 : 0.9);
        }
        return;
      }
    }
    this.#consecutiveThrottles = 0;
    const adaptive = this.#adaptive;
    if (!adaptive) {
      if (this.#rate < this.#ceiling) this.#setRate(now, this.#rate + this.#recovery * this.#ceiling);
      return;
    }
    if (remaining !== undefined && remaining < this.#maxRemaining / 2) {
      // The server's allowance is draining, so this rate is above its limit: stop growing. Slow
      // start has overshot by more than the drain shows, so it falls back well below.
      if (this.#slowStart) {
        this.#slowStart = false;
        this.#cut(now, 0.6);
        this.#knownLimit = this.#rate;
      }
      return;
    }
    if (!permit.paced || this.#rate >= this.#ceiling) return;
    let perSecond: number;
    if (this.#slowStart) perSecond = this.#rate * adaptive.startGrowth;
    else {
      const probe = Math.max(0.5, this.#knownLimit * adaptive.probeShare);
      const gap = this.#knownLimit - this.#rate;
      perSecond = gap > 0 ? Math.max(probe, gap / adaptive.recoverSeconds) : probe;
    }
    // About `rate` responses arrive per second while the gate is the bottleneck.
    this.#setRate(now, this.#rate + perSecond / this.#rate);
  }

  #cut(now: number, multiplier: number): void {
    this.#setRate(now, this.#rate * multiplier);
    this.#lastCutAt = now;
  }

  #setRate(now: number, rate: number): void {
    // Refill at the old rate up to now, so the change applies from now on.
    this.#refill(now);
    this.#rate = Math.min(this.#ceiling, Math.max(this.#minRate, rate));
  }

  #burst(): number {
    return Math.max(1, this.#fixedBurst ?? burstFor(this.#rate));
  }

  #refill(now: number): void {
    if (now <= this.#refilledAt) return;
    const burst = this.#burst();
    this.#tokens =
      this.#rate === Number.POSITIVE_INFINITY
        ? burst
        : Math.min(burst, this.#tokens + ((now - this.#refilledAt) / 1000) * this.#rate);
    this.#refilledAt = now;
  }

  #pump(): void {
    while (this.#waiters.length > 0 && this.#active < this.#concurrency) {
      const now = this.#now();
      if (now < this.#pausedUntil) {
        this.#wake(this.#pausedUntil - now);
        return;
      }
      const window = this.#window;
      const oldest = window?.[this.#windowNext];
      if (oldest !== undefined && now - oldest < 1000) {
        this.#wake(1000 - (now - oldest));
        return;
      }
      this.#refill(now);
      if (this.#tokens < 1) {
        this.#wake(((1 - this.#tokens) / this.#rate) * 1000);
        return;
      }
      this.#tokens -= 1;
      if (window) {
        window[this.#windowNext] = now;
        this.#windowNext = (this.#windowNext + 1) % window.length;
      }
      this.#recent.push(now);
      if (this.#recent.length > 4096) this.#forget(now);
      const waiter = this.#waiters.shift() as Waiter;
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener("abort", waiter.onAbort);
      this.#active++;
      this.counters.granted++;
      let released = false;
      waiter.resolve({
        issuedAt: now,
        paced: this.#tokens < 1,
        release: () => {
          if (released) return;
          released = true;
          this.#active--;
          this.#pump();
        },
      });
    }
  }

  #forget(now: number): void {
    let drop = 0;
    while (drop < this.#recent.length && now - (this.#recent[drop] as number) > RECENT_MS) drop++;
    if (drop > 0) this.#recent = this.#recent.slice(drop);
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

/** A tenth of a second's worth of tokens, at least 2, at most 10. */
function burstFor(rate: number): number {
  return Math.min(10, Math.max(2, rate / 10));
}

import { ENTITY_NAMES, type EntityType } from "../entity-types.js";
import { stderrScreen, Terminal, type TerminalStream } from "../log/terminal.js";
import { RateMeter } from "./rate.js";

interface Counter {
  total: number | undefined;
  done: number;
  meter: RateMeter;
}

/**
 * Progress on stderr: a live line on a terminal, under the log lines; elsewhere (CI logs) one line
 * every interval — entity type, done/total, rate, ETA once the rate has settled, the pace callers
 * report — and `::group::` sections per phase inside GitHub Actions.
 */
export class Progress {
  readonly #out: TerminalStream;
  readonly #screen: Terminal;
  readonly #tty: boolean;
  readonly #actions: boolean;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #counters = new Map<EntityType, Counter>();
  #pace: (() => string | undefined) | undefined;
  #lastPrint = Number.NEGATIVE_INFINITY;
  #groupOpen = false;

  constructor(
    options: {
      out?: TerminalStream;
      intervalMs?: number;
      actions?: boolean;
      quiet?: boolean;
      /** Milliseconds, monotonic; tests pass their own clock. */
      now?: () => number;
    } = {},
  ) {
    const out = options.out ?? process.stderr;
    this.#out = out;
    // The process's stderr is shared with the logger, which must know of the live line.
    this.#screen = out === process.stderr ? stderrScreen() : new Terminal(out);
    this.#tty = !options.quiet && Boolean(out.isTTY);
    this.#actions = options.actions ?? process.env.GITHUB_ACTIONS === "true";
    this.#intervalMs = options.quiet ? Number.POSITIVE_INFINITY : (options.intervalMs ?? (this.#tty ? 100 : 10_000));
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * What the progress line says of the current pace (requests per second per API, say), asked for on
   * every redraw; `undefined` or an empty text shows nothing. A later call replaces an earlier one.
   */
  setPace(pace: (() => string | undefined) | undefined): void {
    this.#pace = pace;
  }

  /** Starts a phase. */
  phase(name: string): void {
    if (this.#actions) {
      this.#screen.clear();
      if (this.#groupOpen) this.#out.write("::endgroup::\n");
      this.#out.write(`::group::${name}\n`);
      this.#groupOpen = true;
    } else if (this.#intervalMs !== Number.POSITIVE_INFINITY) {
      this.#screen.clear();
      this.#screen.line(`[ztoq] ${name}`);
    }
  }

  expect(type: EntityType, total: number): void {
    const counter = this.#counter(type);
    counter.total = (counter.total ?? 0) + total;
  }

  tick(type: EntityType, count = 1): void {
    const counter = this.#counter(type);
    counter.done += count;
    const now = this.#now();
    counter.meter.record(counter.done, now);
    if (now - this.#lastPrint >= this.#intervalMs) {
      this.#lastPrint = now;
      this.#print(type, false);
    }
  }

  finish(type: EntityType): void {
    if (this.#counters.has(type) && this.#intervalMs !== Number.POSITIVE_INFINITY) this.#print(type, true);
  }

  close(): void {
    this.#screen.clear();
    if (this.#groupOpen) this.#out.write("::endgroup::\n");
    this.#groupOpen = false;
  }

  /** One line: `test cases 340/2000 (17%) 48.2/s ETA 34s · qTest 9.5 req/s`. */
  line(type: EntityType): string {
    const { total, done, meter } = this.#counter(type);
    const now = this.#now();
    const rate = meter.rate(now);
    const of = total === undefined ? `${done}` : `${done}/${total} (${Math.floor((done / Math.max(1, total)) * 100)}%)`;
    const eta = total !== undefined && done < total ? meter.eta(total - done, now) : undefined;
    const pace = this.#pace?.();
    return [
      `${ENTITY_NAMES[type]} ${of}`,
      rate === undefined ? "" : ` ${rate.toFixed(1)}/s`,
      eta === undefined ? "" : ` ETA ${formatSeconds(eta)}`,
      pace ? ` · ${pace}` : "",
    ].join("");
  }

  #print(type: EntityType, final: boolean): void {
    if (this.#tty) {
      if (final) {
        this.#screen.clear();
        this.#screen.line(this.line(type));
      } else {
        this.#screen.live(this.line(type));
      }
    } else {
      this.#out.write(`[ztoq] ${this.line(type)}\n`);
    }
  }

  #counter(type: EntityType): Counter {
    let counter = this.#counters.get(type);
    if (!counter) {
      counter = { total: undefined, done: 0, meter: new RateMeter() };
      this.#counters.set(type, counter);
    }
    return counter;
  }
}

export function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 90 ? `${minutes}m${Math.round(seconds % 60)}s` : `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}

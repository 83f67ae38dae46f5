import { ENTITY_NAMES, type EntityType } from "../entity-types.js";

interface Counter {
  total: number | undefined;
  done: number;
  startedAt: number;
}

/**
 * Progress on stderr: a live line on a terminal; elsewhere (CI logs) one line every interval —
 * entity type, done/total, rate, ETA — and `::group::` sections per phase inside GitHub Actions.
 */
export class Progress {
  readonly #out: NodeJS.WritableStream;
  readonly #tty: boolean;
  readonly #actions: boolean;
  readonly #intervalMs: number;
  readonly #counters = new Map<EntityType, Counter>();
  #current: EntityType | undefined;
  #lastPrint = 0;
  #groupOpen = false;

  constructor(
    options: { out?: NodeJS.WritableStream & { isTTY?: boolean }; intervalMs?: number; actions?: boolean; quiet?: boolean } = {},
  ) {
    const out = options.out ?? process.stderr;
    this.#out = out;
    this.#tty = !options.quiet && Boolean((out as { isTTY?: boolean }).isTTY);
    this.#actions = options.actions ?? process.env.GITHUB_ACTIONS === "true";
    this.#intervalMs = options.quiet ? Number.POSITIVE_INFINITY : (options.intervalMs ?? (this.#tty ? 100 : 10_000));
  }

  /** Starts a phase. */
  phase(name: string): void {
    this.#clearLine();
    if (this.#actions) {
      if (this.#groupOpen) this.#out.write("::endgroup::\n");
      this.#out.write(`::group::${name}\n`);
      this.#groupOpen = true;
    } else if (this.#intervalMs !== Number.POSITIVE_INFINITY) {
      this.#out.write(`[ztoq] ${name}\n`);
    }
  }

  expect(type: EntityType, total: number): void {
    const counter = this.#counter(type);
    counter.total = (counter.total ?? 0) + total;
  }

  tick(type: EntityType, count = 1): void {
    this.#counter(type).done += count;
    this.#current = type;
    const now = performance.now();
    if (now - this.#lastPrint >= this.#intervalMs) {
      this.#lastPrint = now;
      this.#print(type, false);
    }
  }

  finish(type: EntityType): void {
    if (this.#counters.has(type) && this.#intervalMs !== Number.POSITIVE_INFINITY) this.#print(type, true);
  }

  close(): void {
    this.#clearLine();
    if (this.#groupOpen) this.#out.write("::endgroup::\n");
    this.#groupOpen = false;
  }

  /** One line: `test cases 340/2000 (17%) 48.2/s ETA 34s`. */
  line(type: EntityType): string {
    const { total, done, startedAt } = this.#counter(type);
    const seconds = Math.max(0.001, (performance.now() - startedAt) / 1000);
    const rate = done / seconds;
    const of = total === undefined ? `${done}` : `${done}/${total} (${Math.floor((done / Math.max(1, total)) * 100)}%)`;
    const eta = total !== undefined && rate > 0 && done < total ? ` ETA ${formatSeconds((total - done) / rate)}` : "";
    return `${ENTITY_NAMES[type]} ${of} ${rate.toFixed(1)}/s${eta}`;
  }

  #print(type: EntityType, final: boolean): void {
    if (this.#tty) {
      this.#out.write(`\r\x1b[K${this.line(type)}${final ? "\n" : ""}`);
    } else {
      this.#out.write(`[ztoq] ${this.line(type)}\n`);
    }
  }

  #clearLine(): void {
    if (this.#tty && this.#current) this.#out.write("\r\x1b[K");
  }

  #counter(type: EntityType): Counter {
    let counter = this.#counters.get(type);
    if (!counter) {
      counter = { total: undefined, done: 0, startedAt: performance.now() };
      this.#counters.set(type, counter);
    }
    return counter;
  }
}

function formatSeconds(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return minutes < 90 ? `${minutes}m${Math.round(seconds % 60)}s` : `${Math.floor(minutes / 60)}h${minutes % 60}m`;
}

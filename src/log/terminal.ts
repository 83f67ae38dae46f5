/**
 * The screen of a stream a person reads: lines that stay (log lines, phase titles) and at most one
 * live line under them (the progress line), redrawn in place. Everything that writes to such a
 * stream while a live line shows goes through `line()`, so a log line never lands glued onto it.
 */
export type TerminalStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

const CLEAR = "\r\x1b[K";

export class Terminal {
  readonly #out: TerminalStream;
  #live = "";

  constructor(out: TerminalStream) {
    this.#out = out;
  }

  get isTTY(): boolean {
    return Boolean(this.#out.isTTY);
  }

  /** Writes lines that stay, above the live line, which is then drawn again under them. */
  line(text: string): void {
    const body = text.endsWith("\n") ? text : `${text}\n`;
    this.#out.write(this.#live ? `${CLEAR}${body}${this.#live}` : body);
  }

  /** Replaces the live line; cut to the terminal's width, since a wrapped line could not be cleared. */
  live(text: string): void {
    if (!this.isTTY) return;
    this.#live = fitWidth(text, this.#out.columns);
    this.#out.write(`${CLEAR}${this.#live}`);
  }

  /** Takes the live line off the screen. */
  clear(): void {
    if (!this.#live) return;
    this.#live = "";
    this.#out.write(CLEAR);
  }
}

function fitWidth(text: string, columns: number | undefined): string {
  const flat = text.replace(/\s*\n\s*/g, " ");
  if (!columns || columns < 2 || flat.length < columns) return flat;
  return `${flat.slice(0, columns - 2)}…`;
}

let stderrTerminal: Terminal | undefined;

/** The one screen of the process's stderr, shared by the logger and the progress line. */
export function stderrScreen(): Terminal {
  stderrTerminal ??= new Terminal(process.stderr);
  return stderrTerminal;
}

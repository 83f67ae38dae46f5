/**
 * PostgreSQL's COPY text format: one row a line, fields split by tabs, NULL as `\N`, backslash escapes.
 * Both sides are read as such lines (SQLite rows are rendered into them), so two rows that read alike
 * compare as one string and only the rows that differ are split into fields.
 */

export const NULL_FIELD = "\\N";

const LF = 0x0a;

/**
 * Lines as byte ranges of one buffer, so that a row is never made into a string unless it differs from
 * its counterpart: line i is `buf[offsets[i], offsets[i + 1] - 1)` (its newline left out).
 */
export interface LineBatch {
  buf: Buffer;
  offsets: number[];
}

export function lineCount(batch: LineBatch): number {
  return batch.offsets.length - 1;
}

export function lineText(batch: LineBatch, i: number): string {
  return batch.buf.toString("utf8", batch.offsets[i], (batch.offsets[i + 1] as number) - 1);
}

/** Lines (without newlines) as a batch. */
export function batchOfLines(lines: readonly string[]): LineBatch {
  const buf = Buffer.from(lines.length === 0 ? "" : `${lines.join("\n")}\n`);
  const offsets: number[] = [];
  splitLines(buf, buf.length, offsets);
  return { buf, offsets };
}

/** Finds the lines of `buf[0, length)`; `offsets` (emptied first) is filled, the offset after the last newline returned. */
function splitLines(buf: Buffer, length: number, offsets: number[]): number {
  offsets.length = 0;
  offsets.push(0);
  let pos = 0;
  for (;;) {
    const newline = buf.indexOf(LF, pos);
    if (newline < 0 || newline >= length) break;
    pos = newline + 1;
    offsets.push(pos);
  }
  return pos;
}

/**
 * Cuts a byte stream into batches of whole lines: a chunk may end inside a line (or inside a UTF-8
 * character), so whatever follows the last newline waits for more. COPY escapes the newlines inside
 * values, so every raw newline ends a row.
 *
 * Each chunk is copied as it comes into a buffer of the splitter's own, and buffers are handed back with
 * `release` once their batch is read: the stream's chunks die young, and a long read reuses a few buffers
 * instead of leaving a trail for the garbage collector, so memory stays flat however many rows go by.
 */
export class LineSplitter {
  /** The batch being filled: its buffer holds `#length` bytes, its offsets are set when it is taken. */
  #current: LineBatch | undefined;
  #length = 0;
  /** Batches handed back, their buffers and offset lists to be filled again. */
  readonly #free: LineBatch[] = [];

  /** Bytes written and not yet taken. */
  get buffered(): number {
    return this.#length;
  }

  write(chunk: Buffer): void {
    const needed = this.#length + chunk.length;
    if (this.#current === undefined || this.#current.buf.length < needed) {
      const bigger = this.#batch(needed);
      if (this.#current !== undefined) {
        this.#current.buf.copy(bigger.buf, 0, 0, this.#length);
        this.release(this.#current);
      }
      this.#current = bigger;
    }
    chunk.copy(this.#current.buf, this.#length);
    this.#length = needed;
  }

  /** The whole lines written so far, as a batch; undefined when there is no whole line yet. */
  take(): LineBatch | undefined {
    const batch = this.#current;
    if (batch === undefined || this.#length === 0) return undefined;
    const rest = splitLines(batch.buf, this.#length, batch.offsets);
    if (batch.offsets.length < 2) return undefined;
    const left = this.#length - rest;
    this.#current = this.#batch(left);
    batch.buf.copy(this.#current.buf, 0, rest, this.#length);
    this.#length = left;
    return batch;
  }

  /** Hands a batch back to be filled again: nothing may read it after. */
  release(batch: LineBatch): void {
    if (this.#free.length < 4) this.#free.push(batch);
  }

  /** The last lines, the last one without a newline included. */
  end(): LineBatch | undefined {
    if (this.#length > 0 && this.#current?.buf[this.#length - 1] !== LF) this.write(Buffer.from([LF]));
    return this.take();
  }

  /** A free batch whose buffer holds `length` bytes, or a new one. */
  #batch(length: number): LineBatch {
    const index = this.#free.findIndex((b) => b.buf.length >= length);
    if (index >= 0) return this.#free.splice(index, 1)[0] as LineBatch;
    return { buf: Buffer.allocUnsafeSlow(Math.max(length, 1 << 19)), offsets: [] };
  }
}

const UNESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

/** A field as COPY wrote it → its value (`\N` → null). */
export function unescapeField(field: string): string | null {
  if (field === NULL_FIELD) return null;
  if (!field.includes("\\")) return field;
  return field.replace(/\\(x[0-9a-fA-F]{1,2}|[0-7]{1,3}|.)/g, (_, code: string) => {
    if (code.length > 1 && code[0] === "x") return String.fromCharCode(Number.parseInt(code.slice(1), 16));
    if (/^[0-7]/.test(code)) return String.fromCharCode(Number.parseInt(code, 8));
    return UNESCAPES[code] ?? code;
  });
}

/** A value → the field COPY would write for it. */
export function escapeField(value: string | null): string {
  if (value === null) return NULL_FIELD;
  if (!/[\\\t\n\r\b\f\v]/.test(value)) return value;
  return value.replace(/[\\\t\n\r\b\f\v]/g, (c) => ESCAPES[c] as string);
}

const ESCAPES: Record<string, string> = {
  "\\": "\\\\",
  "\t": "\\t",
  "\n": "\\n",
  "\r": "\\r",
  "\b": "\\b",
  "\f": "\\f",
  "\v": "\\v",
};

/** A line → its values. */
export function splitFields(line: string): (string | null)[] {
  return line.split("\t").map(unescapeField);
}

/** The first `count` values of a line, without splitting the rest of it. */
export function leadingFields(line: string, count: number): (string | null)[] {
  const out: (string | null)[] = [];
  let start = 0;
  for (let i = 0; i < count; i++) {
    const tab = line.indexOf("\t", start);
    const end = tab < 0 ? line.length : tab;
    out.push(unescapeField(line.slice(start, end)));
    start = end + 1;
  }
  return out;
}

/** Values → a line. */
export function joinFields(values: readonly (string | null)[]): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += "\t";
    line += escapeField(values[i] as string | null);
  }
  return line;
}

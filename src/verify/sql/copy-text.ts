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
  return (
    splitLines(Buffer.from(lines.length === 0 ? "" : `${lines.join("\n")}\n`)).batch ?? { buf: Buffer.alloc(0), offsets: [0] }
  );
}

function splitLines(buf: Buffer): { batch: LineBatch | undefined; rest: number } {
  const offsets = [0];
  let pos = 0;
  for (;;) {
    const newline = buf.indexOf(LF, pos);
    if (newline < 0) break;
    pos = newline + 1;
    offsets.push(pos);
  }
  return { batch: offsets.length > 1 ? { buf, offsets } : undefined, rest: pos };
}

/**
 * Cuts a byte stream into batches of whole lines: a chunk may end inside a line (or inside a UTF-8
 * character), so whatever follows its last newline waits for the next chunk. COPY escapes the newlines
 * inside values, so every raw newline ends a row.
 */
export class LineSplitter {
  #carry: Buffer | undefined;

  push(chunks: readonly Buffer[]): LineBatch | undefined {
    const parts = this.#carry ? [this.#carry, ...chunks] : chunks;
    const buf = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    const { batch, rest } = splitLines(buf);
    this.#carry = rest < buf.length ? buf.subarray(rest) : undefined;
    return batch;
  }

  /** The last line, when the stream did not end with a newline. */
  end(): LineBatch | undefined {
    const rest = this.#carry;
    this.#carry = undefined;
    return rest && rest.length > 0 ? splitLines(Buffer.concat([rest, Buffer.from([LF])])).batch : undefined;
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

/**
 * The sorted merge of two sides' rows, in bounded memory: each side is a stream of line batches in key
 * order, and one group of rows (the rows with the smallest key not yet seen, on either side) is
 * settled at a time — missing, extra, duplicated, equal or changed. Work within a batch is synchronous;
 * the merge awaits only when a side's batch runs out. Each row's key is compared with the group before
 * it, so a side that is not in ZTOQ's key order is caught, not merged wrong.
 */
import { BadInputError } from "../../errors.js";
import type { Difference } from "../../report/verification-report.js";
import type { Findings } from "../checks/findings.js";
import { type LineBatch, unescapeField } from "./copy-text.js";
import { type KeyColumns, keyCodec } from "./merge-keys.js";
import type { LineSource } from "./side.js";

export interface MergePlan {
  /** The key columns (source names, for naming rows), their order and canonical forms. */
  keys: KeyColumns;
  /** How the key is ordered, for the message when a side is out of order. */
  orderNote: string;
  /** The compared columns, in the order they follow the key in each line. */
  values: readonly { name: string; equal: (a: string | null, b: string | null) => boolean }[];
}

export interface MergeSides {
  source: LineSource;
  target: LineSource;
  /** How messages name each side. */
  sourceDescription: string;
  targetDescription: string;
}

const EMPTY: LineBatch = { buf: Buffer.alloc(0), offsets: [0] };

class Cursor {
  buf = EMPTY.buf;
  offsets = EMPTY.offsets;
  i = 0;
  count = 0;
  end = false;
  rows = 0;
  key: unknown;
  batch: LineBatch | undefined;

  constructor(
    private readonly input: LineSource,
    private readonly parseKey: (buf: Buffer, start: number, end: number) => unknown,
  ) {}

  get pending(): boolean {
    return !this.end && this.i >= this.count;
  }

  get start(): number {
    return this.offsets[this.i] as number;
  }

  /** Where the current line ends (its newline). */
  get stop(): number {
    return (this.offsets[this.i + 1] as number) - 1;
  }

  /** The next batch; the one read to its end goes back to the source, once `retire` has copied out what is held in it. */
  async refill(retire: (buf: Buffer) => void): Promise<void> {
    const done = this.batch;
    this.batch = undefined;
    if (done !== undefined && this.input.release !== undefined) {
      retire(done.buf);
      this.input.release(done);
    }
    for (;;) {
      const batch = await this.input.next();
      if (batch === null) {
        this.end = true;
        this.count = 0;
        this.i = 0;
        return;
      }
      const count = batch.offsets.length - 1;
      if (count > 0) {
        this.batch = batch;
        this.buf = batch.buf;
        this.offsets = batch.offsets;
        this.count = count;
        this.i = 0;
        this.rows += count;
        this.key = this.parseKey(this.buf, 0, this.stop);
        return;
      }
    }
  }

  advance(): void {
    this.i++;
    if (this.i < this.count) this.key = this.parseKey(this.buf, this.offsets[this.i] as number, this.stop);
  }
}

/** A line kept while its key's group is settled: a range of its batch, or of `own` once the batch is handed back. */
interface Held {
  buf: Buffer;
  start: number;
  stop: number;
  own: Buffer;
}

/** Copies a held line out of `buf` (a batch about to be reused) into its own buffer. */
function rescue(line: Held, buf: Buffer): void {
  if (line.buf !== buf) return;
  const length = line.stop - line.start;
  if (line.own.length < length) line.own = Buffer.allocUnsafeSlow(Math.max(length, line.own.length * 2));
  buf.copy(line.own, 0, line.start, line.stop);
  line.buf = line.own;
  line.start = 0;
  line.stop = length;
}

function sameBytes(a: Held, b: Held): boolean {
  // Buffer#compare is a memcmp: twice as fast as a byte loop here.
  return a.stop - a.start === b.stop - b.start && a.buf.compare(b.buf, b.start, b.stop, a.start, a.stop) === 0;
}

/** Merges the two sides into `findings`; returns the rows read on each. */
export async function mergeSides(
  sides: MergeSides,
  plan: MergePlan,
  findings: Findings,
): Promise<{ source: number; target: number }> {
  const codec = keyCodec(plan.keys);
  const source = new Cursor(sides.source, codec.parse);
  const target = new Cursor(sides.target, codec.parse);
  const compare = codec.compare;
  const keyCount = plan.keys.names.length;
  const outOfOrder = (side: string, before: unknown, after: unknown) =>
    new BadInputError(
      `sql check: ${side} is not in key order: ${codec.render(after)} came after ${codec.render(before)} ` +
        `(keys ordered ${plan.orderNote}); if the key's type differs between the sides, cast it in sourceQuery or targetQuery`,
    );

  let matched = 0;
  let group: unknown;
  let inGroup = false;
  let sourceCount = 0;
  let targetCount = 0;
  const sourceLine: Held = { buf: EMPTY.buf, start: 0, stop: 0, own: Buffer.allocUnsafeSlow(4096) };
  const targetLine: Held = { buf: EMPTY.buf, start: 0, stop: 0, own: Buffer.allocUnsafeSlow(4096) };
  // A group's first lines may sit in a batch its side has read to the end (the last row of a batch
  // always does): they are copied out before the batch is reused.
  const retire = (buf: Buffer) => {
    rescue(sourceLine, buf);
    rescue(targetLine, buf);
  };
  const hold = (line: Held, cursor: Cursor) => {
    line.buf = cursor.buf;
    line.start = cursor.start;
    line.stop = cursor.stop;
  };

  const settle = (key: unknown) => {
    if (sourceCount === 1 && targetCount === 1) {
      // Most rows end here: alike byte for byte, or alike under the columns' rules, never named.
      if (sameBytes(sourceLine, targetLine)) {
        matched++;
        return;
      }
      const found = differences(sourceLine, targetLine, keyCount, plan.values);
      if (found.length === 0) matched++;
      else findings.compared(codec.render(key), found);
      return;
    }
    const name = codec.render(key);
    if (sourceCount > 0 && targetCount > 0) {
      if (sameBytes(sourceLine, targetLine)) matched++;
      else findings.compared(name, differences(sourceLine, targetLine, keyCount, plan.values));
    } else if (sourceCount > 0) {
      findings.missingInTarget(name);
    } else {
      findings.extraInTarget(name);
    }
    if (sourceCount > 1 || targetCount > 1) findings.duplicates(name, { source: sourceCount, target: targetCount });
  };

  for (;;) {
    if (source.pending) await source.refill(retire);
    if (target.pending) await target.refill(retire);
    while (!source.pending && !target.pending) {
      if (inGroup) {
        if (!source.end) {
          const c = compare(source.key, group);
          if (c === 0) {
            if (sourceCount++ === 0) hold(sourceLine, source);
            source.advance();
            continue;
          }
          if (c < 0) throw outOfOrder(sides.sourceDescription, group, source.key);
        }
        if (!target.end) {
          const c = compare(target.key, group);
          if (c === 0) {
            if (targetCount++ === 0) hold(targetLine, target);
            target.advance();
            continue;
          }
          if (c < 0) throw outOfOrder(sides.targetDescription, group, target.key);
        }
        settle(group);
        inGroup = false;
      }
      if (source.end && target.end) {
        findings.match(matched);
        return { source: source.rows, target: target.rows };
      }
      const c = source.end ? 1 : target.end ? -1 : compare(source.key, target.key);
      group = c <= 0 ? source.key : target.key;
      inGroup = true;
      sourceCount = 0;
      targetCount = 0;
      if (c === 0) {
        // Both sides have the key (most rows): take both rows now, two comparisons fewer per row.
        sourceCount = 1;
        targetCount = 1;
        hold(sourceLine, source);
        hold(targetLine, target);
        source.advance();
        target.advance();
      }
    }
  }
}

/**
 * The columns in which two rows with one key differ: the lines are walked field by field in step, and a
 * field is made into text (and put to its column's rule) only when its bytes differ.
 */
function differences(a: Held, b: Held, keyCount: number, values: MergePlan["values"]): Difference[] {
  const out: Difference[] = [];
  let i = a.start;
  let j = b.start;
  for (let field = 0; field < keyCount + values.length; field++) {
    const iEnd = fieldEnd(a, i);
    const jEnd = fieldEnd(b, j);
    if (field >= keyCount) {
      const same = sameField(a.buf, i, iEnd, b.buf, j, jEnd);
      if (!same) {
        const column = values[field - keyCount] as MergePlan["values"][number];
        const x = unescapeField(a.buf.toString("utf8", i, iEnd));
        const y = unescapeField(b.buf.toString("utf8", j, jEnd));
        if (!column.equal(x, y)) out.push({ path: column.name, source: x, target: y });
      }
    }
    i = iEnd + 1;
    j = jEnd + 1;
  }
  return out;
}

/** Fields are short: a byte loop beats a call into Buffer#compare for them. */
function sameField(x: Buffer, i: number, iEnd: number, y: Buffer, j: number, jEnd: number): boolean {
  if (iEnd - i !== jEnd - j) return false;
  for (; i < iEnd; i++, j++) if (x[i] !== y[j]) return false;
  return true;
}

/** Where the field starting at `from` ends: the next tab, or the line's end. */
function fieldEnd(line: Held, from: number): number {
  const buf = line.buf;
  let k = from;
  while (k < line.stop && buf[k] !== 9) k++;
  return k;
}

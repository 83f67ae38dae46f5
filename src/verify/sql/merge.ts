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
import { type LineBatch, splitFields } from "./copy-text.js";
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

  async refill(): Promise<void> {
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

/** A line kept while its key's group is settled: the batch it is in stays alive as long as it does. */
interface Held {
  buf: Buffer;
  start: number;
  stop: number;
}

function sameBytes(a: Held, b: Held): boolean {
  // Buffer#compare is a memcmp: twice as fast as a byte loop here.
  return a.stop - a.start === b.stop - b.start && a.buf.compare(b.buf, b.start, b.stop, a.start, a.stop) === 0;
}

const text = (line: Held) => line.buf.toString("utf8", line.start, line.stop);

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
  const sourceLine: Held = { buf: EMPTY.buf, start: 0, stop: 0 };
  const targetLine: Held = { buf: EMPTY.buf, start: 0, stop: 0 };
  const hold = (line: Held, cursor: Cursor) => {
    line.buf = cursor.buf;
    line.start = cursor.start;
    line.stop = cursor.stop;
  };

  const settle = (key: unknown) => {
    if (sourceCount === 1 && targetCount === 1 && sameBytes(sourceLine, targetLine)) {
      matched++;
      return;
    }
    // Only a row with a problem (or normalized differences) is named or made into text: most rows never are.
    const name = codec.render(key);
    if (sourceCount > 0 && targetCount > 0) {
      if (sameBytes(sourceLine, targetLine)) matched++;
      else findings.compared(name, differences(text(sourceLine), text(targetLine), keyCount, plan.values));
    } else if (sourceCount > 0) {
      findings.missingInTarget(name);
    } else {
      findings.extraInTarget(name);
    }
    if (sourceCount > 1 || targetCount > 1) findings.duplicates(name, { source: sourceCount, target: targetCount });
  };

  for (;;) {
    if (source.pending) await source.refill();
    if (target.pending) await target.refill();
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
    }
  }
}

/** The columns in which two rows with one key differ. */
function differences(sourceLine: string, targetLine: string, keyCount: number, values: MergePlan["values"]): Difference[] {
  const a = splitFields(sourceLine);
  const b = splitFields(targetLine);
  const out: Difference[] = [];
  for (let j = 0; j < values.length; j++) {
    const column = values[j] as MergePlan["values"][number];
    const x = a[keyCount + j] ?? null;
    const y = b[keyCount + j] ?? null;
    if (!column.equal(x, y)) out.push({ path: column.name, source: x, target: y });
  }
  return out;
}

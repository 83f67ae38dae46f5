/**
 * The checksum method, for a side that is far away: each database counts and checksums key ranges
 * itself (md5 of each row's text, summed), so equal ranges cost a query, not a transfer. A range whose
 * count or checksum differs is split again at keys sampled from the source, down to ranges small enough
 * to merge row by row. Equal checksums prove equal rows (bar a hash collision); unequal ones prove
 * nothing, since both engines or two column types may spell one value differently — so a differing range
 * is always compared row by row under the check's normalization, and when most of a range differs it is
 * merged whole rather than split further.
 */
import type { Logger } from "../../log/logger.js";
import type { Findings } from "../checks/findings.js";
import { type Key, keyComparator } from "./key-order.js";
import { type MergePlan, mergeSides } from "./merge.js";
import type { RangeSum, SqlSide } from "./side.js";
import type { KeyRange, ReadSpec } from "./sql-text.js";

/** Parts a differing range is split into. */
export const PARTS = 32;
/** Ranges of at most this many rows (on the larger side) are merged rather than split. */
export const LEAF_ROWS = 16_384;
const MAX_DEPTH = 8;

export interface ChecksumRun {
  /** Rows each side holds (counted by the databases). */
  source: number;
  target: number;
  /** Whether every differing range was compared row by row. */
  exhaustive: boolean;
  /** What ran, for the report. */
  note: string;
}

interface Sides {
  source: SqlSide;
  target: SqlSide;
  sourceSpec: ReadSpec;
  targetSpec: ReadSpec;
}

export async function checksumCompare(sides: Sides, plan: MergePlan, findings: Findings, log: Logger): Promise<ChecksumRun> {
  const stats = { queries: 0, merged: 0, mergedRows: 0, differing: 0 };
  const sums = async (range: KeyRange, bounds: readonly Key[]) => {
    stats.queries++;
    const [s, t] = await Promise.all([
      sides.source.checksums({ ...sides.sourceSpec, range }, bounds),
      sides.target.checksums({ ...sides.targetSpec, range }, bounds),
    ]);
    return { source: bySegment(s), target: bySegment(t) };
  };
  const merge = async (range: KeyRange) => {
    stats.merged++;
    const read = await mergeSides(
      {
        source: sides.source.read({ ...sides.sourceSpec, range }),
        target: sides.target.read({ ...sides.targetSpec, range }),
        sourceDescription: `the source ${sides.source.description}`,
        targetDescription: `the target ${sides.target.description}`,
      },
      plan,
      findings,
    );
    stats.mergedRows += read.source + read.target;
  };

  const descend = async (range: KeyRange, sourceRows: number, targetRows: number, depth: number): Promise<void> => {
    if (range.nulls || Math.max(sourceRows, targetRows) <= LEAF_ROWS || depth >= MAX_DEPTH || sourceRows === 0) {
      await merge(range);
      return;
    }
    const sampled = await sides.source.sampleKeys({ ...sides.sourceSpec, range }, Math.ceil(sourceRows / PARTS));
    const bounds = distinctBounds(sampled, range, keyComparator(plan.keys.orders));
    if (bounds.length === 0) {
      await merge(range);
      return;
    }
    const parts = await sums(range, bounds);
    const segments = [...new Set([...parts.source.keys(), ...parts.target.keys()])].sort((a, b) => a - b);
    const differing = segments.filter((s) => !sameSum(parts.source.get(s), parts.target.get(s)));
    // Split further only while few parts differ: when most do, reading the range whole is cheaper.
    if (differing.length > PARTS / 2) {
      await merge(range);
      return;
    }
    stats.differing += differing.length;
    for (const segment of segments) {
      if (!differing.includes(segment)) findings.match(parts.source.get(segment)?.count ?? 0);
    }
    for (const segment of differing) {
      const sub: KeyRange =
        segment < 0
          ? { nulls: true }
          : { from: segment === 0 ? range.from : bounds[segment - 1], to: bounds[segment] ?? range.to };
      await descend(sub, parts.source.get(segment)?.count ?? 0, parts.target.get(segment)?.count ?? 0, depth + 1);
    }
  };

  const whole = await sums({}, []);
  const count = (m: Map<number, RangeSum>) => [...m.values()].reduce((n, s) => n + s.count, 0);
  const totals = { source: count(whole.source), target: count(whole.target) };
  log.debug({ source: totals.source, target: totals.target }, "sql check: whole-table counts and checksums");
  for (const segment of new Set([...whole.source.keys(), ...whole.target.keys()])) {
    const [s, t] = [whole.source.get(segment), whole.target.get(segment)];
    if (sameSum(s, t)) findings.match(s?.count ?? 0);
    else await descend(segment < 0 ? { nulls: true } : { notNull: true }, s?.count ?? 0, t?.count ?? 0, 0);
  }
  const note =
    `count and md5 checksum of key ranges computed by each database (${stats.queries} range queries; ranges split ${PARTS} ways ` +
    `down to ${LEAF_ROWS} rows); ranges with equal counts and checksums count as matched; ` +
    `${stats.merged} differing range${stats.merged === 1 ? "" : "s"} compared row by row (${stats.mergedRows} rows read)`;
  return { ...totals, exhaustive: true, note };
}

function bySegment(sums: readonly RangeSum[]): Map<number, RangeSum> {
  return new Map(sums.map((s) => [s.segment, s]));
}

function sameSum(a: RangeSum | undefined, b: RangeSum | undefined): boolean {
  return (a?.count ?? 0) === (b?.count ?? 0) && (a === undefined || b === undefined || a.checksum === b.checksum);
}

/** The sampled keys that split the range: strictly increasing, past its start (a run of one key cannot be split). */
function distinctBounds(sampled: readonly Key[], range: KeyRange, compare: (a: Key, b: Key) => number): Key[] {
  const out: Key[] = [];
  let last = range.from;
  for (const key of sampled) {
    if (last !== undefined && compare(key, last) <= 0) continue;
    if (range.to !== undefined && compare(key, range.to) >= 0) continue;
    out.push(key);
    last = key;
  }
  return out;
}

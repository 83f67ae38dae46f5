/**
 * The order both sides are merged in, decided here rather than by either database: two collations
 * disagree on hyphens, accents and full-width letters, so text keys are ordered by their UTF-8 bytes,
 * numbers by value, and NULL before everything (as SQLite does; PostgreSQL is told NULLS FIRST).
 */

/** How a key column orders: `integer` and `number` by value, `text` by UTF-8 bytes. */
export type KeyOrder = "integer" | "number" | "text";

/** One row's key: the key columns' values, as read (NULL as null). */
export type Key = (string | null)[];

/** Code point order, which is UTF-8 byte order (UTF-16 code units differ once surrogates are involved). */
export function compareText(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  return codeUnitRank(a.charCodeAt(i)) - codeUnitRank(b.charCodeAt(i));
}

/** Surrogates (U+D800–DFFF, code points above U+FFFF) rank after U+E000–FFFF in code point order. */
function codeUnitRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** Decimal integer strings of any length, by value. */
export function compareInteger(a: string, b: string): number {
  if (a === b) return 0;
  const negA = a.charCodeAt(0) === 45;
  const negB = b.charCodeAt(0) === 45;
  if (negA !== negB) return negA ? -1 : 1;
  const order = a.length !== b.length ? a.length - b.length : a < b ? -1 : 1;
  return negA ? -order : order;
}

export function compareNumber(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (x < y) return -1;
  if (x > y) return 1;
  if (x === y) return 0;
  // NaN sorts after every number, as both engines do.
  return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
}

const COMPARERS: Record<KeyOrder, (a: string, b: string) => number> = {
  integer: compareInteger,
  number: compareNumber,
  text: compareText,
};

/** The comparison of two keys, column by column, NULL first. */
export function keyComparator(orders: readonly KeyOrder[]): (a: Key, b: Key) => number {
  const comparers = orders.map((order) => COMPARERS[order]);
  if (comparers.length === 1) {
    const compare = comparers[0] as (a: string, b: string) => number;
    return (a, b) => compareNullable(a[0] as string | null, b[0] as string | null, compare);
  }
  return (a, b) => {
    for (let i = 0; i < comparers.length; i++) {
      const c = compareNullable(a[i] as string | null, b[i] as string | null, comparers[i] as (a: string, b: string) => number);
      if (c !== 0) return c;
    }
    return 0;
  };
}

function compareNullable(a: string | null, b: string | null, compare: (a: string, b: string) => number): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  return compare(a, b);
}

/** `id=42`, `tenant=a, id=7`: how findings name a row. */
export function renderKey(names: readonly string[], key: Key): string {
  return names.map((name, i) => `${name}=${key[i] ?? "NULL"}`).join(", ");
}

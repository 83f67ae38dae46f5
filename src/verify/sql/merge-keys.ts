/**
 * Keys as the merge holds them, read straight from a line's bytes and chosen for the hot path: one
 * integer key column is a JS number (from its digits, no string made), one other key column a string,
 * several an array. The comparison is `key-order.ts`'s whatever the form.
 */
import { leadingFields, unescapeField } from "./copy-text.js";
import { compareInteger, type Key, type KeyOrder, keyComparator, renderKey } from "./key-order.js";

export interface KeyCodec {
  /** The key of the line `buf[start, end)`, in the merge's own form. */
  parse(buf: Buffer, start: number, end: number): unknown;
  compare(a: unknown, b: unknown): number;
  /** The key as key-order.ts spells it (strings, NULL as null). */
  toKey(key: unknown): Key;
  /** `id=42`, `tenant=a, id=7`. */
  render(key: unknown): string;
}

export interface KeyColumns {
  names: readonly string[];
  orders: readonly KeyOrder[];
  /** Per key column: what makes two spellings of one key alike, if anything. */
  canonical: readonly (((value: string) => string) | undefined)[];
}

const TAB = 9;

/** Where the first `count` fields of a line end. */
function fieldsEnd(buf: Buffer, start: number, end: number, count: number): number {
  let pos = start;
  for (let i = 0; i < count; i++) {
    const tab = buf.indexOf(TAB, pos);
    if (tab < 0 || tab >= end) return end;
    pos = tab + 1;
  }
  return pos - 1;
}

export function keyCodec(columns: KeyColumns): KeyCodec {
  const { names, orders, canonical } = columns;
  const single = names.length === 1 && canonical[0] === undefined;
  if (single && orders[0] === "integer") return integerCodec(names);
  const compare = keyComparator(orders);
  if (single) {
    return {
      parse: (buf, start, end) => unescapeField(buf.toString("utf8", start, fieldsEnd(buf, start, end, 1))),
      compare: (a, b) => compare([a as string | null], [b as string | null]),
      toKey: (key) => [key as string | null],
      render: (key) => renderKey(names, [key as string | null]),
    };
  }
  const count = names.length;
  return {
    parse: (buf, start, end) => {
      const key = leadingFields(buf.toString("utf8", start, fieldsEnd(buf, start, end, count)), count);
      for (let i = 0; i < count; i++) {
        const make = canonical[i];
        const value = key[i];
        if (make !== undefined && value !== null && value !== undefined) key[i] = make(value);
      }
      return key;
    },
    compare: (a, b) => compare(a as Key, b as Key),
    toKey: (key) => key as Key,
    render: (key) => renderKey(names, key as Key),
  };
}

/** Digits a double holds exactly, with room: longer integers stay strings. */
const MAX_DIGITS = 15;

/** One integer key column: a number when it has at most 15 digits, else its text; NULL as null. */
function integerCodec(names: readonly string[]): KeyCodec {
  const asText = (key: unknown) => (key === null ? null : typeof key === "number" ? String(key) : (key as string));
  return {
    parse: (buf, start, end) => {
      let i = start;
      let negative = false;
      if (buf[i] === 45) {
        negative = true;
        i++;
      }
      const first = i;
      let value = 0;
      for (; i < end; i++) {
        const c = buf[i] as number;
        if (c === TAB) break;
        if (c < 48 || c > 57) return unescapeField(buf.toString("utf8", start, fieldsEnd(buf, start, end, 1)));
        value = value * 10 + (c - 48);
      }
      if (i === first || i - first > MAX_DIGITS) return unescapeField(buf.toString("utf8", start, i));
      return negative ? -value : value;
    },
    compare: (a, b) => {
      if (typeof a === "number" && typeof b === "number") return a - b;
      if (a === null) return b === null ? 0 : -1;
      if (b === null) return 1;
      return compareInteger(asText(a) as string, asText(b) as string);
    },
    toKey: (key) => [asText(key)],
    render: (key) => renderKey(names, [asText(key)]),
  };
}

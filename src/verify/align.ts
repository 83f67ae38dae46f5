/**
 * Pairing two small ordered lists by identity rather than by position, as `diff` of two step lists
 * would: one deleted item reads as one missing item, not as every later item changed.
 */

/** One expected item and its target item (equal, or changed), or an item on one side only. */
export type Aligned =
  | { kind: "equal" | "changed"; expected: number; target: number }
  | { kind: "missing"; expected: number }
  | { kind: "extra"; target: number };

/**
 * Aligns `expected` with `target` by `key` (the items' normalized content): a longest common
 * subsequence of equal keys pairs the items that are the same; between two such anchors the leftover
 * items are paired in order as changed, and what is left of the longer side is missing or extra.
 * The result is in order of both lists. Time and memory are O(n·m) in the lengths, after the common
 * head and tail are set aside: meant for the steps of one test case, not for whole projects.
 */
export function align<T>(expected: readonly T[], target: readonly T[], key: (item: T) => string): Aligned[] {
  const a = expected.map(key);
  const b = target.map(key);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const n = a.length - head - tail;
  const m = b.length - head - tail;

  // lcs[i][j]: the length of a longest common subsequence of a[head+i…] and b[head+j…].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as Uint32Array;
    const below = lcs[i + 1] as Uint32Array;
    for (let j = m - 1; j >= 0; j--) {
      row[j] = a[head + i] === b[head + j] ? (below[j + 1] as number) + 1 : Math.max(below[j] as number, row[j + 1] as number);
    }
  }

  const out: Aligned[] = [];
  for (let k = 0; k < head; k++) out.push({ kind: "equal", expected: k, target: k });
  let gapA: number[] = [];
  let gapB: number[] = [];
  const closeGap = () => {
    const paired = Math.min(gapA.length, gapB.length);
    for (let k = 0; k < paired; k++) out.push({ kind: "changed", expected: gapA[k] as number, target: gapB[k] as number });
    for (const e of gapA.slice(paired)) out.push({ kind: "missing", expected: e });
    for (const t of gapB.slice(paired)) out.push({ kind: "extra", target: t });
    gapA = [];
    gapB = [];
  };
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[head + i] === b[head + j]) {
      closeGap();
      out.push({ kind: "equal", expected: head + i, target: head + j });
      i++;
      j++;
    } else if (j >= m || (i < n && (lcs[i + 1]?.[j] as number) >= (lcs[i]?.[j + 1] as number))) {
      gapA.push(head + i);
      i++;
    } else {
      gapB.push(head + j);
      j++;
    }
  }
  closeGap();
  for (let k = 0; k < tail; k++) out.push({ kind: "equal", expected: a.length - tail + k, target: b.length - tail + k });
  return out;
}

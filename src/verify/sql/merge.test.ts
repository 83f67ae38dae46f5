import { describe, expect, it } from "vitest";
import { BadInputError } from "../../errors.js";
import { Findings } from "../checks/findings.js";
import { batchOfLines, joinFields } from "./copy-text.js";
import type { KeyOrder } from "./key-order.js";
import { type MergePlan, mergeSides } from "./merge.js";
import type { LineSource } from "./side.js";

/**
 * Rows as lines, handed out `batch` at a time (batches may be empty, as a chunk without a whole line is).
 * A batch handed back is scribbled over, as a reused buffer would be: the merge must not read it after.
 */
function lines(rows: (string | null)[][], batch: number): LineSource {
  const all = rows.map(joinFields);
  let at = 0;
  let empty = true;
  return {
    release: (done) => {
      done.buf.fill("#");
    },
    next: async () => {
      empty = !empty;
      if (empty) return batchOfLines([]);
      if (at >= all.length) return null;
      const out = all.slice(at, at + batch);
      at += batch;
      return batchOfLines(out);
    },
  };
}

function plan(orders: KeyOrder[], values: MergePlan["values"] = [{ name: "v", equal: (a, b) => a === b }]): MergePlan {
  const names = orders.length === 1 ? ["id"] : ["tenant", "id"];
  return { keys: { names, orders, canonical: orders.map(() => undefined) }, orderNote: "by value", values };
}

async function merge(source: (string | null)[][], target: (string | null)[][], p = plan(["integer"]), batch = 2) {
  const findings = new Findings();
  const read = await mergeSides(
    {
      source: lines(source, batch),
      target: lines(target, batch),
      sourceDescription: "the source S",
      targetDescription: "the target T",
    },
    p,
    findings,
  );
  const { matched, missing, extra, changed, duplicated } = findings;
  return { read, counts: { matched, missing, extra, changed, duplicated }, samples: findings.samples };
}

describe("merging two sides in key order", () => {
  const source = [
    ["1", "a"],
    ["2", "b"],
    ["3", "c"],
    ["5", "e"],
    ["6", "f"],
  ];
  const target = [
    ["1", "a"],
    ["3", "C"],
    ["4", "d"],
    ["5", "e"],
    ["6", "f"],
    ["6", "f"],
    ["7", "g"],
  ];

  it("settles every key: matched, missing, extra, changed, duplicated", async () => {
    const { read, counts, samples } = await merge(source, target);
    expect(read).toEqual({ source: 5, target: 7 });
    expect(counts).toEqual({ matched: 3, missing: 1, extra: 2, changed: 1, duplicated: 1 });
    expect(samples.map((s) => `${s.problem} ${s.key}`)).toEqual([
      "missing id=2",
      "changed id=3",
      "extra id=4",
      "duplicated id=6",
      "extra id=7",
    ]);
    expect(samples[1]?.differences).toEqual([{ path: "v", source: "c", target: "C" }]);
    expect(samples[3]?.differences).toEqual([{ path: "(occurrences)", source: 1, target: 2 }]);
  });

  it("comes to the same whatever the batches", async () => {
    const expected = (await merge(source, target)).counts;
    for (const batch of [1, 3, 100]) expect((await merge(source, target, plan(["integer"]), batch)).counts).toEqual(expected);
  });

  it("keeps a group's first line while its duplicates run on into later batches", async () => {
    const dup = Array.from({ length: 7 }, () => ["4", "d"]);
    const { counts, samples } = await merge([["4", "d"]], [["4", "x"], ...dup], plan(["integer"]), 1);
    expect(counts).toEqual({ matched: 0, missing: 0, extra: 0, changed: 1, duplicated: 7 });
    expect(samples[0]?.differences).toEqual([{ path: "v", source: "d", target: "x" }]);
  });

  it("counts a key only one side holds twice as missing and duplicated", async () => {
    const { counts } = await merge(
      [
        ["1", "a"],
        ["1", "a"],
        ["1", "a"],
      ],
      [],
    );
    expect(counts).toEqual({ matched: 0, missing: 1, extra: 0, changed: 0, duplicated: 2 });
  });

  it("takes values equal under the column's rule as a match", async () => {
    const lenient = plan(["integer"], [{ name: "v", equal: (a, b) => a?.toLowerCase() === b?.toLowerCase() }]);
    expect((await merge([["3", "c"]], [["3", "C"]], lenient)).counts).toMatchObject({ matched: 1, changed: 0 });
  });

  it("merges NULL keys first, and compound keys column by column", async () => {
    const p = plan(["text", "integer"]);
    const { counts, samples } = await merge(
      [
        [null, "1", "x"],
        ["a", "2", "x"],
        ["a", "10", "x"],
        ["b", "1", "x"],
      ],
      [
        [null, "1", "x"],
        ["a", "10", "y"],
        ["b", "1", "x"],
      ],
      p,
    );
    expect(counts).toEqual({ matched: 2, missing: 1, extra: 0, changed: 1, duplicated: 0 });
    expect(samples.map((s) => `${s.problem} ${s.key}`)).toEqual(["missing tenant=a, id=2", "changed tenant=a, id=10"]);
  });

  it("stops with bad input when a side is not in key order", async () => {
    const run = merge(
      [
        ["1", "a"],
        ["3", "c"],
        ["2", "b"],
      ],
      [
        ["1", "a"],
        ["2", "b"],
        ["3", "c"],
      ],
    );
    await expect(run).rejects.toThrow(BadInputError);
    await expect(
      merge(
        [
          ["1", "a"],
          ["3", "c"],
          ["2", "b"],
        ],
        [],
      ),
    ).rejects.toThrow(/the source S is not in key order: id=2 came after id=3/);
    await expect(
      merge(
        [],
        [
          ["b", "1"],
          ["a", "1"],
        ],
        plan(["text"]),
      ),
    ).rejects.toThrow(/the target T is not in key order: id=a came after id=b/);
  });
});

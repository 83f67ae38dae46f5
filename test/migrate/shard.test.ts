import { describe, expect, it } from "vitest";
import { BadInputError } from "../../src/errors.js";
import { parseShard, shardOf, shardOfOwner, shardOwner } from "../../src/migrate/shard.js";

describe("parseShard", () => {
  it("reads i/n, with spaces allowed; 1/1 and empty mean not sharded", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    expect(parseShard(" 3 / 3 ")).toEqual({ index: 3, count: 3 });
    for (const none of [undefined, "", "  ", "1/1"]) expect(parseShard(none)).toBeUndefined();
  });

  it("refuses anything else, naming the flag or input and the value", () => {
    for (const bad of ["0/2", "3/2", "1/0", "2", "a/b", "1/2/3", "-1/2", "1.5/2", "1/1001", "1/99999999999999999999"]) {
      expect(() => parseShard(bad)).toThrow(
        new BadInputError(`--shard takes i/n with 1 ≤ i ≤ n ≤ 1000, e.g. 2/4; got "${bad}".`),
      );
    }
    expect(() => parseShard("5/4", "Input shard")).toThrow(/^Input shard takes i\/n/);
  });
});

describe("shardOf", () => {
  it("is stable: the same key falls to the same shard in every process, on every run", () => {
    // FNV-1a of the key: fixed values, so a change of hash (which would re-deal a running migration) fails here.
    expect(["PROJ-T1", "PROJ-T2", "PROJ-T3", "ünïcödé-T4"].map((key) => shardOf(key, 4))).toEqual([3, 4, 1, 2]);
    expect(["PROJ-T1", "PROJ-T2", "PROJ-T3"].map((key) => shardOf(key, 3))).toEqual([3, 1, 2]);
    expect(shardOf("PROJ-T1", 1)).toBe(1);
  });

  it("deals keys evenly enough over the shards", () => {
    for (const count of [2, 3, 4, 8]) {
      const sizes = new Array<number>(count).fill(0);
      for (let i = 1; i <= 20_000; i++) {
        const shard = shardOf(`PROJ-T${i}`, count);
        expect(shard).toBeGreaterThanOrEqual(1);
        expect(shard).toBeLessThanOrEqual(count);
        sizes[shard - 1] = (sizes[shard - 1] ?? 0) + 1;
      }
      const share = 20_000 / count;
      for (const size of sizes) expect(Math.abs(size - share) / share).toBeLessThan(0.1);
    }
  });
});

describe("lease owners", () => {
  it("are signed with the shard and the run, and read back to the shard", () => {
    const owner = shardOwner({ index: 2, count: 4 }, "20261121T120000-abc123");
    expect(owner).toBe("shard 2/4 (20261121T120000-abc123)");
    expect(shardOfOwner(owner)).toBe("2/4");
    expect(shardOfOwner("someone else")).toBeUndefined();
  });
});

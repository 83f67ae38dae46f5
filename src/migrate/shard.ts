import { BadInputError } from "../errors.js";

/** One of N jobs of a sharded migration, coordinated through a shared state store. */
export interface Shard {
  /** 1-based, as in a GitHub Actions matrix. */
  index: number;
  count: number;
  /** How this shard signs its leases: `shard 2/4 (run …)`. */
  owner: string;
  /** How long a claim lasts before another shard may take the entity over. */
  leaseMs: number;
  /** When this shard started (ms since the epoch): what other shards finished since is theirs to report. */
  startedAt: number;
}

/** The most shards a migration is split into: far more than a matrix holds (GitHub Actions: 256 jobs). */
export const MAX_SHARDS = 1000;

/** Parses `i/n` (1 ≤ i ≤ n ≤ MAX_SHARDS); `1/1` and empty mean "not sharded". `what` names the flag or input in errors. */
export function parseShard(spec: string | undefined, what = "--shard"): { index: number; count: number } | undefined {
  if (spec === undefined || spec.trim() === "" || spec.trim() === "1/1") return undefined;
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(spec);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count || count > MAX_SHARDS) {
    throw new BadInputError(`${what} takes i/n with 1 ≤ i ≤ n ≤ ${MAX_SHARDS}, e.g. 2/4; got "${spec}".`);
  }
  return { index, count };
}

/** How a shard signs its leases in the state store: `shard 2/4 (run …)`. */
export function shardOwner(shard: { index: number; count: number }, runId: string): string {
  return `shard ${shard.index}/${shard.count} (${runId})`;
}

/** The `i/n` of a lease owner `shardOwner` made; undefined for any other owner. */
export function shardOfOwner(owner: string): string | undefined {
  return /^shard (\d+\/\d+) \(/.exec(owner)?.[1];
}

/**
 * Which shard owns a source key: a stable hash (FNV-1a), so every job, on every run, agrees without
 * talking to the others.
 */
export function shardOf(key: string, count: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return ((hash >>> 0) % count) + 1;
}

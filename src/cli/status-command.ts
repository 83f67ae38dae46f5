import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { settings } from "../config/settings.js";
import { recordedTypeSchema } from "../entity-types.js";
import { BadInputError, ExitCode, ZtoqError } from "../errors.js";
import { shardOfOwner } from "../migrate/shard.js";
import { createStateStore } from "../state/open-store.js";
import { type EntityStatus, entityStatusSchema, type StateStore, StateStoreError } from "../state/store.js";
import { settingOption } from "./setting-option.js";

export function registerStatusCommand(program: Command): void {
  program
    .command("status")
    .description("What the state store knows: per entity type, how many are done, pending, in flight or failed")
    .addOption(settingOption(settings.config, "status"))
    .addOption(settingOption(settings.state, "status"))
    .option("--json", "print JSON instead of a table")
    .action(async (flags: { config?: string; state?: string; json?: boolean }) => {
      const location = flags.state ?? process.env.ZTOQ_STATE ?? (await stateFromConfig(flags.config));
      const store = createStateStore(location);
      try {
        await store.open();
      } catch (error) {
        if (error instanceof StateStoreError) {
          throw new ZtoqError(
            `State store ${store.location}: ${error.message}`, // never the raw location: a URL may carry a password
            error.reason === "unreachable" ? ExitCode.incomplete : ExitCode.badInput,
          );
        }
        throw error;
      }
      try {
        const counts = await store.counts();
        const lastRun = await store.lastRun();
        const shards = shardTotals(await store.countsByOwner());
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ location: store.location, counts, shards, lastRun }, null, 2)}\n`);
          return;
        }
        const statuses = entityStatusSchema.options;
        const rows = recordedTypeSchema.options.map((type) => [type, ...statuses.map((s) => String(counts[type][s]))]);
        const header = ["entity", ...statuses];
        const shardRows = shards.map((s) => [s.shard, ...statuses.map((status) => String(s.counts[status]))]);
        const widths = header.map((h, i) => Math.max(h.length, ...[...rows, ...shardRows].map((r) => (r[i] ?? "").length)));
        const format = (cells: string[]) =>
          cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
        const lines = [`State: ${store.location}`, format(header), ...rows.map(format)];
        if (shards.some((s) => s.shard !== "unsharded")) {
          lines.push("", "Per shard, all entity types:", format(["shard", ...statuses]), ...shardRows.map(format));
        }
        lines.push(
          lastRun
            ? `Last run: ${lastRun.id} (${lastRun.mode}) ${lastRun.status}, started ${lastRun.startedAt}`
            : "No run recorded yet.",
        );
        process.stdout.write(`${lines.join("\n")}\n`);
      } finally {
        await store.close();
      }
    });
}

async function stateFromConfig(path: string | undefined): Promise<string> {
  try {
    // Status needs no credentials: only the state location is read from the configuration.
    const config = await loadConfig({
      ...(path && { path }),
      env: {
        ...process.env,
        ZTOQ_ZEPHYR_TOKEN: process.env.ZTOQ_ZEPHYR_TOKEN ?? "unused",
        ZTOQ_QTEST_TOKEN: process.env.ZTOQ_QTEST_TOKEN ?? "unused",
      },
    });
    return config.state;
  } catch (error) {
    if (error instanceof BadInputError && !path) return ".ztoq/state.db";
    throw error;
  }
}

/** Sums per shard (of every run); records never claimed belong to no shard. */
function shardTotals(byOwner: Awaited<ReturnType<StateStore["countsByOwner"]>>) {
  const totals = new Map<string, Record<EntityStatus, number>>();
  for (const { owner, counts } of byOwner) {
    const shard = owner === null ? "unsharded" : (shardOfOwner(owner) ?? owner);
    const sum =
      totals.get(shard) ?? (Object.fromEntries(entityStatusSchema.options.map((s) => [s, 0])) as Record<EntityStatus, number>);
    for (const type of recordedTypeSchema.options)
      for (const status of entityStatusSchema.options) sum[status] += counts[type][status];
    totals.set(shard, sum);
  }
  return [...totals]
    .sort(([a], [b]) => a.localeCompare(b, "en", { numeric: true }))
    .map(([shard, counts]) => ({ shard: shard === "unsharded" ? shard : `shard ${shard}`, counts }));
}

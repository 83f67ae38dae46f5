import { hostname } from "node:os";
import type { Command } from "commander";
import { loadConfig } from "../config/load.js";
import { settings } from "../config/settings.js";
import { recordedTypeSchema } from "../entity-types.js";
import { BadInputError, ExitCode, ZtoqError } from "../errors.js";
import { shardOfOwner } from "../migrate/shard.js";
import { deadReason, describeHold, describeProject } from "../state/hold.js";
import { createStateStore } from "../state/open-store.js";
import {
  type EntityStatus,
  entityStatusSchema,
  HOLD_STALE_MS,
  type MigrationRun,
  RUN_HEARTBEAT_MS,
  STALE_HEARTBEATS,
  type StateStore,
  StateStoreError,
} from "../state/store.js";
import { processAlive, processScope } from "../state/this-process.js";
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
      const { store, found } = await openToRead(location);
      if (!found) {
        // Asking before the first run is no mistake: nothing to report is an answer, and exit 0.
        process.stdout.write(
          flags.json
            ? `${JSON.stringify({ location: store.location, recorded: false })}\n`
            : `no migration recorded at ${store.location}\n`,
        );
        return;
      }
      try {
        const counts = await store.counts();
        const recorded = await store.lastRun();
        const lastRun = recorded && { ...recorded, ...runState(recorded, here()) };
        const shards = shardTotals(await store.countsByOwner());
        const project = (await store.project()) ?? null;
        const judge = { host: hostname(), scope: processScope(), alive: processAlive };
        const holds = (await store.holds()).map((hold) => ({
          ...hold,
          dead: deadReason(hold, judge, { staleMs: HOLD_STALE_MS, local: !store.shared }) ?? null,
        }));
        if (flags.json) {
          const json = { location: store.location, recorded: true, project, holds, counts, shards, lastRun };
          process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
          return;
        }
        const statuses = entityStatusSchema.options;
        const rows = recordedTypeSchema.options.map((type) => [type, ...statuses.map((s) => String(counts[type][s]))]);
        const header = ["entity", ...statuses];
        const shardRows = shards.map((s) => [s.shard, ...statuses.map((status) => String(s.counts[status]))]);
        const widths = header.map((h, i) => Math.max(h.length, ...[...rows, ...shardRows].map((r) => (r[i] ?? "").length)));
        const format = (cells: string[]) =>
          cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
        const lines = [
          `State: ${store.location}${project ? ` (${describeProject(project)})` : ""}`,
          format(header),
          ...rows.map(format),
        ];
        if (shards.some((s) => s.shard !== "unsharded")) {
          lines.push("", "Per shard, all entity types:", format(["shard", ...statuses]), ...shardRows.map(format));
        }
        lines.push(
          lastRun
            ? `Last run: ${lastRun.id} (${lastRun.mode}) ${lastRun.status}${lastRun.interrupted ? ` (${lastRun.interrupted}; re-run the same command to resume)` : ""}, started ${lastRun.startedAt}`
            : "No run recorded yet.",
          ...(holds.length === 0
            ? ["Held by: no run (the next run that writes takes the store)"]
            : holds.map(
                (hold) => `Held by: ${describeHold(hold)}${hold.dead ? ` — dead (${hold.dead}): the next run takes over` : ""}`,
              )),
        );
        process.stdout.write(`${lines.join("\n")}\n`);
      } finally {
        await store.close();
      }
    });
}

/** The store at `location`, opened to read only when `found`; nothing is created where there is none. */
async function openToRead(location: string): Promise<{ store: StateStore; found: boolean }> {
  let store: StateStore | undefined;
  try {
    store = createStateStore(location);
    return { store, found: await store.openExisting() };
  } catch (error) {
    if (error instanceof StateStoreError) {
      // The store's location, never the raw one: a URL may carry a password. A location too malformed
      // to make a store of is left out; the error says what is wrong with it.
      throw new ZtoqError(
        `State store ${store ? `${store.location}: ` : ""}${error.message}`,
        error.reason === "unreachable" ? ExitCode.incomplete : ExitCode.badInput,
      );
    }
    throw error;
  }
}

/** Where `ztoq status` runs, and how it asks whether a process lives there. */
export interface Vantage {
  host: string;
  now: number;
  alive: (pid: number) => boolean;
}

function here(): Vantage {
  return { host: hostname(), now: Date.now(), alive: processAlive };
}

/**
 * What became of a run: a run recorded as running whose process is gone was killed (or its machine
 * lost) and is interrupted, for the same command to resume. On the machine that runs it, the process
 * answers for itself at once; from anywhere else (another runner, a shard's PostgreSQL store read from
 * a laptop), a heartbeat older than `STALE_HEARTBEATS` beats says the process stopped. The heartbeat
 * also catches a recorded pid that a new process has taken since. A run recorded before ZTOQ kept its
 * process and heartbeat cannot be told, and stays as recorded.
 */
export function runState(
  run: MigrationRun,
  vantage: Vantage,
): { status: MigrationRun["status"] | "interrupted"; interrupted?: string } {
  if (run.status !== "running") return { status: run.status };
  if (run.host === vantage.host && run.pid !== null && !vantage.alive(run.pid)) {
    return { status: "interrupted", interrupted: `its process ${run.pid} on ${run.host} is gone` };
  }
  const beat = run.heartbeatAt === null ? Number.NaN : Date.parse(run.heartbeatAt);
  if (vantage.now - beat > STALE_HEARTBEATS * RUN_HEARTBEAT_MS) {
    const seconds = Math.round((vantage.now - beat) / 1000);
    const where = run.host === null ? "" : ` on ${run.host}`;
    return { status: "interrupted", interrupted: `its process${where} has given no sign of life for ${seconds} s` };
  }
  return { status: "running" };
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

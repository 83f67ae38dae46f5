import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { settings } from "../config/settings.js";
import { BadInputError, ExitCode, ZtoqError } from "../errors.js";
import type { Logger } from "../log/logger.js";
import {
  describeHold,
  describeProject,
  type Hold,
  type HoldRequest,
  type StoreHold,
  type StoreProject,
  sameProject,
  workflowRunOf,
} from "./hold.js";
import { type StateStore, StateStoreError } from "./store.js";
import { processScope } from "./this-process.js";

/**
 * A run that writes takes its store's hold before its first write and keeps it to its end (see
 * hold.ts); this is how it asks, waits (`migration.waitSeconds`), and what it says when it cannot.
 */

/** How often a waiting run asks again: a hold decision is a millisecond's transaction. */
const POLL_MS = 1_000;

export interface TakeHoldOptions {
  /** The run's id, which names its hold. */
  runId: string;
  command: HoldRequest["command"];
  /** One shard of a sharded migration: holds together with the other shards. */
  shard?: { index: number; count: number } | undefined;
  project: StoreProject;
  /** Record the project on a store that has none yet: what a run that writes to qTest does. */
  recordProject: boolean;
  /** How long to wait for the holder to finish; 0: give up at once. */
  waitSeconds: number;
  log: Logger;
  /** Stops a wait (Ctrl-C): rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Takes the hold of an open store: resolves with it once taken; throws a one-line `ZtoqError` when the
 * store belongs to another project (exit 2) or another run holds it past the wait (exit 3).
 */
export async function takeHold(state: StateStore, options: TakeHoldOptions): Promise<StoreHold> {
  const { shard, log, signal } = options;
  const request: HoldRequest = {
    holder: options.runId,
    command: options.command,
    shard: shard ? `${shard.index}/${shard.count}` : null,
    host: hostname(),
    pid: process.pid,
    scope: processScope(),
    workflow: workflowRunOf(options.env ?? process.env),
    project: options.project,
    recordProject: options.recordProject,
  };
  const deadline = Date.now() + options.waitSeconds * 1000;
  let waiting = false;
  for (;;) {
    const attempt = await state.acquireHold(request).catch((error: unknown) => {
      throw unreachable(state, error);
    });
    if (attempt.taken) {
      for (const { hold, why } of attempt.tookOver) {
        log.warn({ holder: describeHold(hold) }, `took over the state store's hold from a run that died (${why})`);
      }
      if (waiting) log.info("the state store is free: going on");
      return attempt.hold;
    }
    if (attempt.reason === "project") throw otherProject(state, attempt.project, options.project);
    const left = deadline - Date.now();
    if (left <= 0) throw held(state, attempt.holders, request, waiting ? options.waitSeconds : 0);
    if (!waiting) {
      log.warn(
        { holders: attempt.holders.map(describeHold) },
        `the state store is held by another run: waiting up to ${options.waitSeconds} s for it`,
      );
      waiting = true;
    }
    try {
      await sleep(Math.min(POLL_MS, left), undefined, { signal });
    } catch (error) {
      throw signal?.aborted ? signal.reason : error;
    }
  }
}

/**
 * What a run needs before its first write: the hold; or, for a dry run, which writes nothing, only the
 * project's check (see `checkProject`). The caller closes the store when this throws.
 */
export async function holdUnlessDryRun(
  state: StateStore,
  options: TakeHoldOptions & { dryRun: boolean },
): Promise<StoreHold | undefined> {
  if (!options.dryRun) return takeHold(state, options);
  await checkProject(state, options.project);
  return undefined;
}

/**
 * A run that writes nothing (a dry run) takes no hold, and so neither waits for nor blocks a run that
 * writes; a store of another project is refused all the same, so the mistake shows before the real run.
 */
export async function checkProject(state: StateStore, project: StoreProject): Promise<void> {
  const recorded = await state.project().catch((error: unknown) => {
    throw unreachable(state, error);
  });
  if (recorded && !sameProject(recorded, project)) throw otherProject(state, recorded, project);
}

/** How to name the wait setting everywhere it can be given. */
function waitSetting(): string {
  const { flag, env, input, config } = settings.waitSeconds;
  return `${flag.flags.split(" ")[0]} N (${env}, input ${input.name}, ${config} in the config)`;
}

function held(state: StateStore, holders: readonly Hold[], request: HoldRequest, waitedSeconds: number): ZtoqError {
  const who =
    holders.length === 1 ? describeHold(holders[0] as Hold) : `${holders.length} runs: ${holders.map(describeHold).join("; ")}`;
  const why =
    request.shard !== null
      ? "shards of one migration hold it together, but not with a run that is not a shard"
      : holders.every((hold) => hold.shard !== null)
        ? "a sharded migration is running, and an unsharded run would duplicate what its shards create"
        : "one run at a time writes through a store, or the second would duplicate what the first creates";
  const waited = waitedSeconds > 0 ? ` still, after waiting ${waitedSeconds} s,` : "";
  return new ZtoqError(
    `State store ${state.location} is${waited} held by ${who} (${why}). Nothing was written; re-run once it has finished, or let this run wait for it with ${waitSetting()}.`,
    ExitCode.incomplete,
  );
}

function otherProject(state: StateStore, recorded: StoreProject, ours: StoreProject): BadInputError {
  return new BadInputError(
    `State store ${state.location} belongs to ${describeProject(recorded)}, not ${describeProject(ours)}: its records name no project, so one store serves one project. Nothing was written; give this project a state location of its own (--state, ZTOQ_STATE, input state or state in the config).`,
  );
}

function unreachable(state: StateStore, error: unknown): ZtoqError {
  if (error instanceof ZtoqError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const reason = error instanceof StateStoreError ? message : `could not take the run's hold: ${message}`;
  return new ZtoqError(`State store ${state.location}: ${reason} (nothing was written; safe to re-run)`, ExitCode.incomplete);
}

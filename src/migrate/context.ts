import type { ResolvedConfig } from "../config/load.js";
import type { Logger } from "../log/logger.js";
import type { NotCarriedContext, NotCarriedTally } from "../plan/not-carried.js";
import type { Resolution } from "../plan/resolution.js";
import type { Progress } from "../progress/progress.js";
import type { QTestClient } from "../qtest/client.js";
import type { StateStore } from "../state/store.js";
import type { SourceReader } from "../zephyr/prefetch.js";
import type { TargetMarkers } from "./adoption.js";
import type { Shard } from "./shard.js";
import type { OutcomeTally } from "./tally.js";
import type { TargetPresence } from "./target-presence.js";

/** Everything a phase needs, passed explicitly: the phases share no module state. */
export interface RunContext {
  runId: string;
  /** When the run started (ms since the epoch): a record written since was written by it. */
  startedAt: number;
  mode: "full" | "incremental";
  prune: boolean;
  /** Every migrated object is compared with the target and repaired, whatever the state says. */
  reconcile: boolean;
  /** Set when this process is one job of a sharded migration. */
  shard: Shard | undefined;
  /** Only source entities changed after this instant are read in full (incremental runs). */
  updatedAfter: string | undefined;
  config: ResolvedConfig;
  state: StateStore;
  /** The source, read ahead of the phases in a full unsharded run. */
  zephyr: SourceReader;
  qtest: QTestClient;
  resolution: Resolution;
  /** What the target holds by marker, read in bulk when the state lacks a record. */
  markers: TargetMarkers;
  /** The containers qTest held when the run started: what the state records and qTest lost is put back. */
  targetPresence: TargetPresence;
  tally: OutcomeTally;
  /** What the source entities this run reads hold that qTest does not receive (the report's not-carried list). */
  notCarried: NotCarriedTally;
  notCarriedRules: NotCarriedContext;
  progress: Progress;
  log: Logger;
}

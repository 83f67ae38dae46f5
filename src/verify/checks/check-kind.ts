import type { Logger } from "../../log/logger.js";
import type { Findings } from "./findings.js";

/** What a check of a standalone kind (sql, http, script) is given to run. */
export interface CheckContext {
  /** The check's `name` in the checks file: unique, used in logs and the report. */
  name: string;
  /** The checks file's directory: relative paths in the check (requests, module) resolve against it. */
  baseDir: string;
  log: Logger;
}

/** One side of a check, as the report describes it. */
export interface CheckSide {
  /** What was read, secrets removed: `postgres://host:5432/db table public.orders`, `http://old:8080`. */
  description: string;
  /** Items read on this side: rows, responses, items a script compared. */
  count: number;
}

/** What running one check of a standalone kind produced; the runner adds name, verdict and thresholds. */
export interface CheckOutcome {
  source: CheckSide;
  target: CheckSide;
  findings: Findings;
  /** How the comparison ran, e.g. `merge` (both sides streamed in key order) or `checksum`. */
  method: string;
  /** Whether every item was compared (false: a checksum method that stopped descending, a sample). */
  exhaustive: boolean;
  /** The comparison rules as applied, name → what it does (normalizations, ignored paths, noise). */
  normalization: Record<string, string>;
  /** What `count` counts on both sides: rows, requests, items. */
  unit: "rows" | "requests" | "items";
}

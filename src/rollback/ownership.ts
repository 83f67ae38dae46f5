import { isProjectMarker, markerOwner } from "../plan/markers.js";

/**
 * Whose an object is, for a rollback (pure): what ZTOQ made for this Zephyr project, and nothing else.
 *
 * With a state store, an object is ZTOQ's for this project only when the target and the run history
 * agree: a test case, suite, run or log when its marker names this project (`src/plan/markers.ts`)
 * *and* the state recorded its id; a module or test cycle, which carries no marker, when the state
 * recorded its id. A legacy marker that names no project (`ad-hoc`, `execution-<id>`, written by an
 * earlier ZTOQ) is tied to this project by that same record.
 *
 * Without a state store nothing records what ZTOQ made, so no module or test cycle is taken as ZTOQ's
 * (one made by hand looks the same), and a marked object is ZTOQ's when its marker names this project
 * — a legacy marker only where the object's place ties it to the project (the ad-hoc suite in the
 * project's root test cycle, a log on one of the project's runs). Another project's objects carry
 * their own project's key, so neither way takes them.
 */

export interface OwnershipBasis {
  /** The Zephyr project rolled back. */
  projectKey: string;
  /** The label of the marker field. */
  markerField: string;
  /** Whether there is a state store (one with no records is still a state: it recorded nothing). */
  stateStore: boolean;
}

export type Verdict =
  | { ours: true }
  | {
      ours: false;
      reason: string;
      /**
       * Listed among what is kept even when it holds nothing of ZTOQ's back: it looks like this
       * project's work (its marker, or its place in a state-less rollback) and the report says why it stays.
       */
      listed: boolean;
    };

/** A test case, suite, run or log. `recorded`: the state names its id; `tied`: its place ties it to this project. */
export function markedVerdict(
  basis: OwnershipBasis,
  object: { marker: string | null; recorded: boolean; tied: boolean },
): Verdict {
  const { projectKey, markerField } = basis;
  const { marker } = object;
  if (marker === null) return { ours: false, reason: `not made by ZTOQ: no '${markerField}' value`, listed: false };
  const owner = markerOwner(marker);
  // Recorded by this project's state yet marked otherwise (edited by hand since): listed, so the report shows it.
  const recorded = basis.stateStore && object.recorded;
  if (owner.kind === "unknown") {
    return { ours: false, reason: `not made by ZTOQ: its '${markerField}' value names no Zephyr project`, listed: recorded };
  }
  if (owner.kind === "project" && owner.projectKey !== projectKey) {
    return { ours: false, reason: `another project's: its '${markerField}' value names ${owner.projectKey}`, listed: recorded };
  }
  const legacy = owner.kind === "legacy";
  if (basis.stateStore) {
    if (isProjectMarker(marker, projectKey, object.recorded) && object.recorded) return { ours: true };
    const names = legacy ? "an earlier ZTOQ's marker that names no project" : `this project's marker (${projectKey})`;
    return {
      ours: false,
      reason: `not made by this migration: it carries ${names}, but the state does not record it`,
      listed: true,
    };
  }
  if (isProjectMarker(marker, projectKey, object.tied)) return { ours: true };
  return {
    ours: false,
    reason: `no state store, and its marker '${marker}' (an earlier ZTOQ's) names no project: nothing ties it to ${projectKey}`,
    listed: true,
  };
}

/** A module or test cycle. `recorded`: the state names its id. */
export function containerVerdict(basis: OwnershipBasis, recorded: boolean): Verdict {
  if (!basis.stateStore) {
    return {
      ours: false,
      reason: "no state store: only the state tells the modules and test cycles ZTOQ made from those made by hand",
      listed: true,
    };
  }
  if (recorded) return { ours: true };
  return { ours: false, reason: "not made by ZTOQ: the state does not record it", listed: false };
}

/** How ownership was decided, in one sentence for the report. */
export function ownershipRule(basis: OwnershipBasis): string {
  return basis.stateStore
    ? `ZTOQ's for ${basis.projectKey}: test cases, suites, runs and logs whose '${basis.markerField}' value names ` +
        `${basis.projectKey} and whose id the state recorded; modules and test cycles whose id the state recorded`
    : `no state store: test cases, suites, runs and logs whose '${basis.markerField}' value names ${basis.projectKey} ` +
        `(an earlier ZTOQ's 'ad-hoc' or 'execution-<id>' only in ${basis.projectKey}'s root test cycle or on its runs); ` +
        "no module or test cycle";
}

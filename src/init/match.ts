import leven from "leven";
import { type Choice, matchChoice } from "../mapping/value-matching.js";

/**
 * How a proposed target was found, strongest first. `observed` is what an earlier migration wrote,
 * `closest` an execution status with nothing close (qTest cannot add one, so a person must look).
 */
export type MatchKind = "observed" | "same" | "synonym" | "close" | "closest" | "none";

export interface ValueMatch {
  target?: Choice;
  how: MatchKind;
  /** The other allowed labels, nearest first: what a person may pick instead. */
  alternatives: string[];
}

/**
 * Names this close count as the same value misspelt or reworded ("Canceled" / "Cancelled",
 * "In-Progress" / "In Progress"): at most two edits, and at most a third of the longer name, so
 * short names ("Low" / "New", two edits in three letters) are not taken for each other.
 */
export const MAX_EDITS = 2;
export const MAX_EDIT_SHARE = 1 / 3;

/** Edit distance between two names, ignoring case and surrounding blanks. */
export function distance(a: string, b: string): number {
  return leven(a.trim().toLowerCase(), b.trim().toLowerCase());
}

export function closeEnough(a: string, b: string): boolean {
  const edits = distance(a, b);
  return edits <= MAX_EDITS && edits <= Math.max(a.trim().length, b.trim().length) * MAX_EDIT_SHARE;
}

/** The choices nearest to `source` first (ties in their given order). */
export function byDistance(source: string, choices: readonly Choice[]): Choice[] {
  return choices
    .map((choice, index) => ({ choice, index, edits: distance(source, choice.label) }))
    .sort((a, b) => a.edits - b.edits || a.index - b.index)
    .map((entry) => entry.choice);
}

/**
 * The best target for a source value: the same name in any case, a known synonym (the matching
 * preflight does on its own), else the nearest name when close enough. With `forceClosest`, the
 * nearest name even when it is not close (for lists qTest cannot extend).
 */
export function proposeMatch(source: string, choices: readonly Choice[], options: { forceClosest?: boolean } = {}): ValueMatch {
  const ranked = byDistance(source, choices);
  const others = (target: Choice | undefined) => ranked.filter((c) => c !== target).map((c) => c.label);
  const matched = matchChoice(source, choices);
  if (matched) {
    const how = matched.label.toLowerCase() === source.toLowerCase() ? "same" : "synonym";
    return { target: matched, how, alternatives: others(matched) };
  }
  const nearest = ranked[0];
  if (nearest && closeEnough(source, nearest.label)) return { target: nearest, how: "close", alternatives: others(nearest) };
  if (nearest && options.forceClosest) return { target: nearest, how: "closest", alternatives: others(nearest) };
  return { how: "none", alternatives: others(undefined) };
}

/** A target taken from what a migration did; it wins when it is still an allowed value. */
export function observedMatch(label: string, choices: readonly Choice[], source: string): ValueMatch | undefined {
  const target = choices.find((c) => c.label === label) ?? choices.find((c) => c.label.toLowerCase() === label.toLowerCase());
  if (!target) return undefined;
  return {
    target,
    how: "observed",
    alternatives: byDistance(source, choices)
      .filter((c) => c !== target)
      .map((c) => c.label),
  };
}

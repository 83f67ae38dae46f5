/**
 * Diffy's idea: what differs between two answers of the old service to the same request (a timestamp,
 * a generated id) cannot be a regression of the new one. Those paths, and everything beneath them, are
 * dropped from that request's differences — for that request only, so a field that is noisy on one
 * endpoint is still compared on the others.
 */
import type { Difference } from "../../report/verification-report.js";
import { isWithin } from "./paths.js";

/** The source-vs-target differences left once the paths of the source-vs-source differences are removed. */
export function withoutNoise(differences: readonly Difference[], noise: readonly Difference[]): Difference[] {
  if (noise.length === 0) return [...differences];
  const noisy = noise.map((d) => d.path);
  return differences.filter((d) => !noisy.some((path) => isWithin(d.path, path)));
}

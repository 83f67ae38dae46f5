/**
 * The verdict on one replayed request, from what each side did with it: the differences between the
 * two answers less the request's noise, or — when a side gave no answer — one difference at `error`
 * naming what happened on each side.
 */
import type { Difference } from "../../report/verification-report.js";
import { withoutNoise } from "./noise.js";
import { compareResponses, type ResponseRules } from "./response-compare.js";
import type { Exchange } from "./send.js";

export const ERROR_PATH = "error";

export interface Replayed {
  id: string;
  source: Exchange;
  target: Exchange;
  /** The source's second answer, when noise is measured for this request. */
  repeat?: Exchange | undefined;
}

export interface Verdict {
  differences: Difference[];
  /** Paths dropped as noise (source-vs-source differences) for this request. */
  noise: string[];
  /** Neither side answered: nothing about the request could be compared. */
  unanswered: boolean;
}

export function judge(replayed: Replayed, rules: ResponseRules): Verdict {
  const { source, target, repeat } = replayed;
  if (!source.ok || !target.ok) {
    return {
      differences: [{ path: ERROR_PATH, source: outcomeOf(source), target: outcomeOf(target) }],
      noise: [],
      unanswered: !source.ok && !target.ok,
    };
  }
  const differences = compareResponses(source.response, target.response, rules);
  if (differences.length === 0 || !repeat?.ok) return { differences, noise: [], unanswered: false };
  const noise = compareResponses(source.response, repeat.response, rules);
  return { differences: withoutNoise(differences, noise), noise: noise.map((d) => d.path), unanswered: false };
}

function outcomeOf(exchange: Exchange): string {
  return exchange.ok ? `HTTP ${exchange.response.status}` : exchange.error;
}

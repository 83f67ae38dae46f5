/**
 * The `http` check: every request replayed against the old service (source) and the new one (target),
 * the two answers compared, one finding per request that differs. What is compared, and under which
 * rules, is stated in the outcome's `normalization`, so a report says how its verdict was reached.
 */
import { forEachConcurrent } from "../../concurrency/pool.js";
import { ExitCode, ZtoqError } from "../../errors.js";
import type { CheckContext, CheckOutcome } from "../checks/check-kind.js";
import { Findings } from "../checks/findings.js";
import { fieldOf } from "../diff.js";
import { judge, type Replayed, type Verdict } from "./judge.js";
import { canonicalPattern } from "./paths.js";
import { type PreparedCheck, type PreparedRequest, prepareHttpCheck } from "./prepare.js";
import { type Exchange, exchange, HostGates } from "./send.js";
import type { HttpCheckSettings } from "./settings.js";

/** Methods that read only, and so may be sent to the source twice to measure its noise. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
/** Noisy paths named in `normalization`; the rest are counted. */
const NOISE_PATHS_SHOWN = 10;

export async function runHttpCheck(settings: HttpCheckSettings, context: CheckContext): Promise<CheckOutcome> {
  const check = await prepareHttpCheck(settings, context, process.env);
  const gates = new HostGates(settings.rateLimit, settings.concurrency);
  const timeoutMs = settings.timeoutSeconds * 1000;
  const verdicts: Verdict[] = [];
  const answered = { source: 0, target: 0 };

  await forEachConcurrent(check.requests.entries(), settings.concurrency, async ([index, request]) => {
    const replayed = await replay(request, gates, timeoutMs, settings.noise);
    if (replayed.source.ok) answered.source++;
    if (replayed.target.ok) answered.target++;
    logFailures(context, replayed);
    verdicts[index] = judge(replayed, check.rules);
  });

  if (verdicts.every((v) => v.unanswered)) throw unreachable(check, context, verdicts);

  // In request order, whatever order the answers came in, so the samples of two runs line up.
  const findings = new Findings();
  check.requests.forEach((request, index) => {
    const verdict = verdicts[index] as Verdict;
    findings.compared(
      request.id,
      verdict.differences.map((d) => check.redactor.difference(d)),
    );
  });
  context.log.info(
    { check: context.name, requests: check.requests.length, matched: findings.matched, changed: findings.changed },
    "http check compared",
  );

  return {
    source: { description: check.shown.source, count: answered.source },
    target: { description: check.shown.target, count: answered.target },
    findings,
    method: settings.noise ? "replay+noise" : "replay",
    exhaustive: verdicts.every((v) => !v.unanswered),
    normalization: normalization(settings, verdicts),
    unit: "requests",
  };
}

async function replay(request: PreparedRequest, gates: HostGates, timeoutMs: number, noise: boolean): Promise<Replayed> {
  const outgoing = { method: request.method, headers: request.headers, body: request.body };
  const send = (url: string): Promise<Exchange> => exchange(gates, { ...outgoing, url }, timeoutMs);
  const [source, target, repeat] = await Promise.all([
    send(request.sourceUrl),
    send(request.targetUrl),
    noise && SAFE_METHODS.has(request.method) ? send(request.sourceUrl) : undefined,
  ]);
  return { id: request.id, source, target, repeat };
}

/** Which request failed where and why; never a header, a body or a query. */
function logFailures(context: CheckContext, replayed: Replayed): void {
  for (const side of ["source", "target", "repeat"] as const) {
    const exchanged = replayed[side];
    if (exchanged && !exchanged.ok) {
      context.log.debug({ check: context.name, request: replayed.id, side, error: exchanged.error }, "http request failed");
    }
  }
}

function unreachable(check: PreparedCheck, context: CheckContext, verdicts: readonly Verdict[]): ZtoqError {
  const first = verdicts[0]?.differences[0];
  const why = first ? ` (source: ${String(first.source)}; target: ${String(first.target)})` : "";
  return new ZtoqError(
    `check "${context.name}": neither ${check.shown.source} nor ${check.shown.target} answered any of ` +
      `its ${verdicts.length} requests${check.redactor.text(why)}`,
    ExitCode.incomplete,
  );
}

function normalization(settings: HttpCheckSettings, verdicts: readonly Verdict[]): Record<string, string> {
  const headers = ["content-type", ...settings.compareHeaders.filter((h) => h !== "content-type")];
  const out: Record<string, string> = {
    compared:
      `status, ${headers.map((h) => `header.${h}`).join(", ")}; JSON bodies field by field at $ paths ($ the body, .name a ` +
      "field, [2] an element from 0), other bodies as text at body; a failed request at error",
    absent: "a field present on one side only is a difference; the side without it shows no value",
    redirects: "not followed: a 3xx is compared as it is",
  };
  if (settings.ignore.length > 0) {
    out.ignore = `${settings.ignore.map(canonicalPattern).join(", ")}: never compared, nor anything beneath ([] is any element)`;
  }
  const keys = Object.entries(settings.arrayKeys);
  if (keys.length > 0) {
    out.arrayKeys =
      `${keys.map(([path, field]) => `${canonicalPattern(path)} by ${field}`).join(", ")}: elements paired by key, order is ` +
      "no difference; a paired or removed element is named by its source index, an inserted one by its target index";
  }
  if (settings.noise) out.noise = describeNoise(verdicts);
  return out;
}

function describeNoise(verdicts: readonly Verdict[]): string {
  const counts = new Map<string, number>();
  for (const verdict of verdicts) {
    for (const path of new Set(verdict.noise.map(fieldOf))) counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = ranked.slice(0, NOISE_PATHS_SHOWN).map(([path, n]) => `${path} (${n} request${n === 1 ? "" : "s"})`);
  const more = ranked.length > NOISE_PATHS_SHOWN ? `, and ${ranked.length - NOISE_PATHS_SHOWN} more` : "";
  const found = ranked.length === 0 ? "none found" : `${shown.join(", ")}${more}`;
  return `GET, HEAD and OPTIONS requests sent to the source twice; paths differing between its two answers were not compared for that request: ${found}`;
}

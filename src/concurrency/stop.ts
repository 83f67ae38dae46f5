/**
 * Stopping a run part-way without losing work: the CLI's signal handler asks for a stop, and the loops
 * that take up new work (`forEachConcurrent` inside `stoppingIntake`) take nothing more, let what is in
 * flight finish and be recorded, then throw the `InterruptedError`.
 *
 * Process-wide because a signal is: one migrate or verify runs per process.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { InterruptedError } from "../errors.js";

const controller = new AbortController();

/** Aborted, with an `InterruptedError` as its reason, once a stop has been asked for. */
export const stopSignal: AbortSignal = controller.signal;

export function requestStop(signal: "SIGINT" | "SIGTERM"): void {
  if (!controller.signal.aborted) controller.abort(new InterruptedError(signal));
}

export function throwIfStopped(signal: AbortSignal = stopSignal): void {
  if (signal.aborted) throw signal.reason;
}

/**
 * Only the loops a run takes its work from stop; a loop inside one item's work (a bulk read by marker
 * that the item waits for) must run to its end, or the item in flight would fail instead of finishing.
 * So the signal travels by async context to the outer loops, and each item's work runs without it.
 */
const intake = new AsyncLocalStorage<AbortSignal | undefined>();

export function stoppingIntake<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T> {
  return intake.run(signal, run);
}

/** The stop the current loop's intake obeys, if any. */
export function intakeStop(): AbortSignal | undefined {
  return intake.getStore();
}

export function outsideIntake<T>(run: () => T): T {
  return intake.run(undefined, run);
}

/**
 * `work`, or the stop's reason as soon as the stop comes, whichever is first: for reads only (verify),
 * where nothing in flight needs to finish. The abandoned work's failure is swallowed.
 */
export async function untilStopped<T>(signal: AbortSignal, work: Promise<T>): Promise<T> {
  throwIfStopped(signal);
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
    work.catch(() => undefined);
    stopped.catch(() => undefined);
  }
}

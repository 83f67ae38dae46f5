/**
 * SIGINT and SIGTERM during `migrate`, `verify` and `rollback`. The first asks the run to stop
 * (stop.ts): migrate and rollback finish and record the work in flight and write their report, verify
 * gives up its reads. The second exits at once: whoever presses Ctrl-C twice wants out now, and the
 * state's protocol makes even that safe to re-run.
 */

import { requestStop } from "../concurrency/stop.js";
import { ExitCode } from "../errors.js";

type Handled = "SIGINT" | "SIGTERM";
const SIGNALS: readonly Handled[] = ["SIGINT", "SIGTERM"];

export interface InterruptHandlers {
  /** Removes the handlers; once a signal came, the process exits once the event loop has had a turn. */
  dispose(): void;
}

function leaving(): void {}

export function handleInterrupts(): InterruptHandlers {
  let received: Handled | undefined;
  const onSignal = (signal: Handled) => {
    const code = signal === "SIGTERM" ? ExitCode.terminated : ExitCode.interrupted;
    if (received) {
      process.stderr.write(`ztoq: ${signal} again: stopped at once; re-run the same command to resume\n`);
      process.exit(code);
    }
    received = signal;
    process.exitCode = code;
    // A progress-style line: the outcome line comes when the run has stopped.
    process.stderr.write(
      `[ztoq] ${signal}: finishing the work in flight, then stopping (${signal === "SIGINT" ? "Ctrl-C" : "SIGTERM"} again to stop at once)\n`,
    );
    requestStop(signal);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    dispose() {
      for (const signal of SIGNALS) process.off(signal, onSignal);
      if (received) {
        // The outcome is decided and said. A signal from now on must not kill the process by that signal,
        // which would lose its exit code (130, 143) and its one line: it is leaving anyway.
        for (const signal of SIGNALS) process.on(signal, leaving);
        // Abandoned reads (verify, a preflight) or a read-ahead may still hold sockets open.
        setTimeout(() => process.exit(), 100).unref();
      }
    },
  };
}

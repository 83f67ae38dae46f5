import { afterEach, vi } from "vitest";

/**
 * Call at the top of a describe block: returns `setEnv(vars)` (undefined deletes a variable); every
 * variable touched is restored after each test. The toolkit reads `process.env` at call time.
 */
export function useEnv(): (vars: Record<string, string | undefined>) => void {
  const saved = new Map<string, string | undefined>();
  afterEach(() => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    saved.clear();
  });
  return (vars) => {
    for (const [name, value] of Object.entries(vars)) {
      if (!saved.has(name)) saved.set(name, process.env[name]);
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Captures what `@actions/core` writes to stdout (workflow commands such as `::warning::`), one entry per line. */
export function captureStdout(): { lines: () => string[]; restore: () => void } {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  });
  return {
    lines: () =>
      written
        .join("")
        .split(/\r?\n/)
        .filter((line) => line !== ""),
    restore: () => spy.mockRestore(),
  };
}

/** The workflow commands of one kind (`error`, `warning`, `notice`, `debug`) among captured lines. */
export function commands(lines: string[], kind: string): string[] {
  return lines.filter((line) => line.startsWith(`::${kind}`));
}

/**
 * Whether a file can be written at a path, found out before a run writes anything anywhere: the state
 * file, a report, a log file. What no retry mends is named in words — a directory where the file
 * should be, a file where a directory should be, a directory that may not be made or written to —
 * rather than left to the "unable to open" or EISDIR that would otherwise come at the end of a run.
 *
 * Missing directories are made one level at a time. `mkdir -p` (`mkdirSync` with `recursive`) must not
 * be used for this: on a file system that refuses a new entry with ENOENT, such as /proc, it retries
 * the parent forever, at 100 % CPU, deaf to signals.
 */
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname } from "node:path";

export interface PathProblem {
  /**
   * `directory`: the path names a directory; `blocked`: an ancestor is a file (or a device), not a
   * directory; `refused`: a directory could not be made, or the file or its directory may not be written.
   */
  kind: "directory" | "blocked" | "refused";
  /** In a few words, naming the path at fault (an ancestor, the directory, "the file") but not the path itself. */
  message: string;
}

/**
 * Makes the missing directories of `path` and checks that the file there can be written (and read,
 * with `read`). Returns what is wrong, or undefined; the caller says which file it is about.
 */
export function prepareWritableFile(path: string, options: { read?: boolean } = {}): PathProblem | undefined {
  const self = entry(path);
  if (self.kind === "directory") return { kind: "directory", message: "is a directory, not a file" };
  if (self.kind === "unreachable") return blockedBy(path) ?? refused(self.problem);

  const missing: string[] = [];
  let parent = dirname(path);
  for (;;) {
    const found = entry(parent);
    if (found.kind === "directory") break;
    if (found.kind === "missing" && dirname(parent) !== parent) {
      missing.unshift(parent);
      parent = dirname(parent);
      continue;
    }
    if (found.kind === "file" || found.kind === "other") return notADirectory(parent, found.kind);
    return found.kind === "unreachable" ? (blockedBy(parent) ?? refused(found.problem)) : refused(`${parent} does not exist`);
  }
  for (const directory of missing) {
    try {
      mkdirSync(directory);
    } catch (error) {
      // Made meanwhile by another process: as good as made here.
      if (errorCode(error) === "EEXIST" && entry(directory).kind === "directory") continue;
      return refused(
        `cannot create its directory ${directory}: ${describeFailure(error, "the file system there refuses new directories")}`,
      );
    }
  }

  const directory = dirname(path);
  try {
    accessSync(directory, constants.W_OK);
  } catch (error) {
    return refused(`its directory ${directory} is not writable (${describeFailure(error)})`);
  }
  if (self.kind !== "missing") {
    try {
      accessSync(path, options.read ? constants.R_OK | constants.W_OK : constants.W_OK);
    } catch (error) {
      return refused(`the file is not ${options.read ? "readable and writable" : "writable"} (${describeFailure(error)})`);
    }
  }
  return undefined;
}

type Entry =
  | { kind: "missing" | "directory" | "file" | "other" }
  /** A stat error other than "no such entry": an ancestor that is no directory (ENOTDIR), no search permission. */
  | { kind: "unreachable"; problem: string };

function entry(path: string): Entry {
  try {
    const stats = statSync(path, { throwIfNoEntry: false });
    if (!stats) return { kind: "missing" };
    return { kind: stats.isDirectory() ? "directory" : stats.isFile() ? "file" : "other" };
  } catch (error) {
    return { kind: "unreachable", problem: `${path} cannot be reached (${describeFailure(error)})` };
  }
}

/** The nearest ancestor of `path` that exists and is no directory (ENOTDIR says there is one). */
function blockedBy(path: string): PathProblem | undefined {
  for (let ancestor = dirname(path); dirname(ancestor) !== ancestor; ancestor = dirname(ancestor)) {
    const found = entry(ancestor);
    if (found.kind === "file" || found.kind === "other") return notADirectory(ancestor, found.kind);
  }
  return undefined;
}

function notADirectory(path: string, kind: "file" | "other"): PathProblem {
  return { kind: "blocked", message: kind === "file" ? `${path} is a file, not a directory` : `${path} is not a directory` };
}

function refused(message: string): PathProblem {
  return { kind: "refused", message };
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** `permission denied, EACCES`; `enoent` words what ENOENT means where the parent does exist. */
function describeFailure(error: unknown, enoent?: string): string {
  const code = errorCode(error);
  const reason =
    code === "EACCES" || code === "EPERM"
      ? "permission denied"
      : code === "EROFS"
        ? "read-only file system"
        : code === "ENAMETOOLONG"
          ? "the name is too long"
          : code === "ENOSPC"
            ? "no space left on the device"
            : code === "ENOENT" && enoent
              ? enoent
              : undefined;
  if (reason && code) return `${reason}, ${code}`;
  return code ?? (error instanceof Error ? error.message : String(error));
}

import { readFileSync, readlinkSync } from "node:fs";
import { hostname } from "node:os";
import type { Vantage } from "./hold.js";

/** This process as a judge of holds (see `deadReason`): its machine, its pid namespace, and its view of other pids. */
export function thisVantage(): Vantage {
  return { host: hostname(), scope: processScope(), alive: processAlive };
}

let scope: string | null | undefined;

/**
 * The boot of this machine and the pid namespace of this process (Linux: `/proc`), or null where the
 * system does not say. A pid means one process only within both: a container named like its host, or
 * the same machine after a reboot, has other processes under the same numbers.
 */
export function processScope(): string | null {
  if (scope !== undefined) return scope;
  try {
    scope = `${readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim()}/${readlinkSync("/proc/self/ns/pid")}`;
  } catch {
    scope = null;
  }
  return scope;
}

/** Whether a process of this machine lives; one of another user (EPERM) does. */
export function processAlive(pid: number): boolean {
  // 0 and below name process groups, not a process.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

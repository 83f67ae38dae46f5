import { randomBytes } from "node:crypto";

/**
 * A run's id, on every log line and in every report: when it started (UTC, to the second, so ids sort
 * by time) and a random suffix, so that shards starting the same second differ.
 */
export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, "").slice(0, 15)}-${randomBytes(3).toString("hex")}`;
}

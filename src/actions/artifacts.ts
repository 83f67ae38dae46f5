import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import * as core from "@actions/core";
import { uploadArtifact } from "../github/artifact.js";

/** Uploads what exists of `files` under the workspace as one artifact; a failure is only a warning. */
export async function uploadFiles(name: string, files: readonly string[], retentionDays: number | undefined) {
  const root = process.cwd();
  const present = files.map((f) => resolve(f)).filter((f) => existsSync(f));
  const inside = present.filter((f) => !relative(root, f).startsWith(".."));
  for (const f of present) if (!inside.includes(f)) core.warning(`${f} is outside the workspace and was not uploaded.`);
  if (inside.length === 0) return undefined;
  return uploadArtifact({ name, files: inside, rootDirectory: root, ...(retentionDays !== undefined && { retentionDays }) });
}

/** The SQLite file behind a state location, or undefined for a database URL. */
export function sqliteFile(location: string): string | undefined {
  if (/^postgres(ql)?:\/\//i.test(location)) return undefined;
  return location.replace(/^sqlite:/i, "");
}

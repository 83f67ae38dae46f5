import { DefaultArtifactClient } from "@actions/artifact";
import * as core from "@actions/core";

export interface UploadArtifactInput {
  /** Artifact name (unique per run; give each matrix shard its own). */
  name: string;
  /** Absolute paths of the files to upload; they must live under `rootDirectory`. */
  files: string[];
  /** The directory the paths inside the zip are relative to. */
  rootDirectory: string;
  /** Days before the artifact expires (capped by the repository's setting; default: the repository's). */
  retentionDays?: number;
}

export interface UploadedArtifact {
  id: number;
  size: number;
}

/** The variables `@actions/artifact` needs; only node (and container) actions receive them. */
export const ARTIFACT_RUNTIME_VARIABLES = ["ACTIONS_RUNTIME_TOKEN", "ACTIONS_RESULTS_URL"] as const;

/**
 * Uploads `files` as one zipped artifact. Returns undefined, with a debug line, outside Actions
 * (no runtime token / results URL), and undefined with a warning when the upload fails: a report
 * upload must never fail the step.
 */
export async function uploadArtifact(input: UploadArtifactInput): Promise<UploadedArtifact | undefined> {
  const missing = ARTIFACT_RUNTIME_VARIABLES.filter((variable) => !process.env[variable]);
  if (missing.length > 0) {
    core.debug(
      `Not uploading artifact "${input.name}": ${missing.join(" and ")} not set (not inside a GitHub Actions node step)`,
    );
    return undefined;
  }
  try {
    const client = new DefaultArtifactClient();
    const options = input.retentionDays === undefined ? {} : { retentionDays: input.retentionDays };
    const result = await client.uploadArtifact(input.name, input.files, input.rootDirectory, options);
    if (result.id === undefined) {
      core.warning(`Artifact "${input.name}" was uploaded but the service returned no artifact id`);
      return undefined;
    }
    return { id: result.id, size: result.size ?? 0 };
  } catch (error) {
    core.warning(`Could not upload artifact "${input.name}": ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

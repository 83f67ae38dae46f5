/**
 * Small facts about where we run, read from the environment at call time (never cached, so tests
 * and long-lived processes see the current values).
 */

/** True inside a GitHub Actions job (the runner sets `GITHUB_ACTIONS=true`). */
export function inActions(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === "true";
}

/** The events whose payload carries a pull request we may comment on. */
export const PULL_REQUEST_EVENTS: readonly string[] = ["pull_request", "pull_request_target"];

/** True when the triggering event is `pull_request` or `pull_request_target`. */
export function isPullRequest(eventName: string | undefined = process.env.GITHUB_EVENT_NAME): boolean {
  return eventName !== undefined && PULL_REQUEST_EVENTS.includes(eventName);
}

/**
 * The browser link to an artifact of the current run, for the job summary:
 * `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}/artifacts/${id}`.
 * Undefined when the repository or run id is unknown (local runs).
 */
export function artifactUrl(id: number | string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const repository = env.GITHUB_REPOSITORY;
  const runId = env.GITHUB_RUN_ID;
  if (!repository || !runId) return undefined;
  const server = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");
  return `${server}/${repository}/actions/runs/${runId}/artifacts/${id}`;
}

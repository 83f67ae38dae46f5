import { BadInputError } from "../errors.js";
import type { JiraClient, JiraIssueRef } from "./client.js";

/** What Jira said of a run's issue ids: whether it was asked, the issues it knows, and why it could not be asked. */
export interface JiraAnswers {
  configured: boolean;
  issues: ReadonlyMap<string, JiraIssueRef>;
  failure?: string;
}

/**
 * Jira's keys and summaries for the ids, when a Jira is configured. A rejected account is the user's to
 * fix, named (exit 2); Jira out of reach does not stop a migration or a verification: the ids stay
 * unresolved, with the reason, and what needed their keys is reported as not carried.
 */
export async function askJira(jira: JiraClient | undefined, ids: readonly string[]): Promise<JiraAnswers> {
  if (!jira || ids.length === 0) return { configured: jira !== undefined, issues: new Map() };
  try {
    return { configured: true, issues: await jira.issues(ids) };
  } catch (error) {
    if (error instanceof BadInputError) throw error;
    return { configured: true, issues: new Map(), failure: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The account tried once before anything is written (and in a dry run): a rejected e-mail or token is
 * bad input now, not after hours of migrating. Jira out of reach is not: said, and left to the run.
 */
export async function checkJiraAccount(
  jira: JiraClient | undefined,
  log: { warn: (o: object, m: string) => void },
): Promise<void> {
  if (!jira) return;
  const answer = await askJira(jira, ["1"]);
  if (answer.failure !== undefined)
    log.warn({ error: answer.failure }, "Jira could not be asked: the issues' keys will stay unknown");
}

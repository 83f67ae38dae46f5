import type { JiraIssue } from "../../zephyr/snapshot.js";

/** The issues one Jira Cloud site holds, by id. Ids it does not hold are ones Jira cannot resolve. */
export class JiraIssues {
  readonly #byId = new Map<string, JiraIssue>();

  constructor(issues: readonly JiraIssue[]) {
    for (const issue of issues) this.#byId.set(issue.id, issue);
  }

  /** The known issues among `ids`, ordered by id, each once. */
  find(ids: readonly string[]): JiraIssue[] {
    return [...new Set(ids)]
      .flatMap((id) => this.#byId.get(id) ?? [])
      .sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
  }

  /** Not an API operation: an issue deleted (or hidden) in Jira between two runs. */
  remove(id: string): void {
    this.#byId.delete(id);
  }

  /** Not an API operation: an issue created, or renamed, in Jira. */
  put(issue: JiraIssue): void {
    this.#byId.set(issue.id, issue);
  }

  get size(): number {
    return this.#byId.size;
  }
}

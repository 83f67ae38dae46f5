import { QTestApiError } from "./errors.js";
import { executionStatuses } from "./system-fields.js";

/** A log's or step log's status must be one of the site's execution statuses. */
export function checkExecutionStatus(id: number, where: string): number {
  if (!executionStatuses.some((s) => s.id === id)) {
    const choices = executionStatuses.map((s) => `${s.id} (${s.name})`).join(", ");
    throw new QTestApiError(400, `${where}: ${id} is not an execution status; allowed: ${choices}.`);
  }
  return id;
}

export function statusName(id: number): string {
  return executionStatuses.find((s) => s.id === id)?.name ?? String(id);
}

/** A run with no log yet is Unexecuted. */
export const UNEXECUTED = 605;

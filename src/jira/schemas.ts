/**
 * The few Jira Cloud REST v3 shapes ZTOQ reads (docs/api-notes.md J): the enhanced JQL search that
 * turns the issue ids Zephyr links carry into keys and summaries. Responses are loose objects, as
 * for the other vendors: fields ZTOQ does not read are kept, and a missing summary does not fail a page.
 */
import { z } from "zod";

/** Body of `POST /rest/api/3/search/jql`. Paging is by `nextPageToken` only: `startAt` is refused (400). */
export const searchJqlBodySchema = z.object({
  jql: z.string().min(1),
  fields: z.array(z.string()),
  maxResults: z.int().min(1),
  nextPageToken: z.string().optional(),
});
export type SearchJqlBody = z.infer<typeof searchJqlBodySchema>;

/** One issue of a search page, with the fields asked for (`summary` only, here). */
export const jiraIssueSchema = z.looseObject({
  id: z.string(),
  key: z.string(),
  self: z.string().nullish(),
  fields: z.looseObject({ summary: z.string().nullish() }).nullish(),
});
export type JiraIssue = z.infer<typeof jiraIssueSchema>;

/** A page of `/rest/api/3/search/jql`: `nextPageToken` is absent or null on the last page. */
export const searchJqlPageSchema = z.looseObject({
  issues: z.array(jiraIssueSchema),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().nullish(),
});
export type SearchJqlPage = z.infer<typeof searchJqlPageSchema>;

/** Jira's error body (`{"errorMessages": [...], "errors": {...}}`). */
export const jiraErrorSchema = z.looseObject({
  errorMessages: z.array(z.string()).optional(),
  errors: z.record(z.string(), z.unknown()).optional(),
});

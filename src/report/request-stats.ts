import { z } from "zod";

/** Per API, what a run asked of it: requests, retries, 429s answered, requests that failed for good. */
export const requestStatsSchema = z
  .object({
    requests: z.number().int(),
    retries: z.number().int(),
    throttled: z.number().int(),
    failures: z.number().int(),
  })
  .catchall(z.number());

export type RequestStats = z.infer<typeof requestStatsSchema>;

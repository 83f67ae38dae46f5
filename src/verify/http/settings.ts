/**
 * The settings of an `http` check, as written in the checks file. The framework adds `name`,
 * `kind: "http"` and `failOn`; everything here is this kind's own.
 */
import { z } from "zod";
import { numberInRange, RATE_LIMIT_RANGE, TIMEOUT_SECONDS_RANGE } from "../../http/limits.js";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;

export const httpRequestSchema = z.strictObject({
  id: z.string().trim().min(1).describe("Names the request in findings and logs; unique within the check."),
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(METHODS))
    .default("GET")
    .describe(`HTTP method (${METHODS.join(", ")}). Default: GET.`),
  path: z
    .string()
    .trim()
    .min(1)
    .refine((p) => !/^[a-z][a-z0-9+.-]*:/i.test(p), "a path, not an absolute URL: it is appended to source and target")
    .describe("Path and query appended to each base URL, e.g. /api/orders?status=open."),
  headers: z
    .record(z.string(), z.string())
    .optional()
    .describe(`Headers of this request only, over the check's headers; \${VAR} references are expanded from the environment.`),
  body: z
    .unknown()
    .optional()
    .describe("Request body: a string is sent as it is, anything else as JSON (with content-type application/json)."),
});
export type HttpRequestSpec = z.infer<typeof httpRequestSchema>;

/** A request list, from the checks file or a requests file: at least one request, ids unique. */
export const httpRequestListSchema = z
  .array(httpRequestSchema)
  .min(1)
  .superRefine((requests, ctx) => {
    const seen = new Set<string>();
    requests.forEach((request, index) => {
      if (seen.has(request.id))
        ctx.addIssue({ code: "custom", path: [index, "id"], message: `duplicate request id "${request.id}"` });
      seen.add(request.id);
    });
  });

const baseUrl = (side: string) =>
  z
    .string()
    .trim()
    .min(1)
    .describe(
      `Base URL of the ${side} service, e.g. http://${side === "old" ? "old" : "new"}:8080/api; request paths are appended to it. ` +
        `\${VAR} references are expanded from the environment. No credentials in it: send them in headers.`,
    );

export const httpCheckSettingsSchema = z.strictObject({
  source: baseUrl("old"),
  target: baseUrl("new"),
  requests: z
    .union([z.string().trim().min(1), httpRequestListSchema])
    .describe(
      "The requests sent to both services: a YAML or JSON file holding a list (its path relative to the checks file), or " +
        "the list itself. Each request: { id, method?, path, headers?, body? }; ids unique.",
    ),
  headers: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      `Headers sent with every request to both services, e.g. authorization: Bearer \${API_TOKEN}. \${VAR} references are ` +
        "expanded from the environment; their values are never logged or reported (echoed back in a response, they are redacted).",
    ),
  compareHeaders: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .transform((name) => name.toLowerCase()),
    )
    .default([])
    .describe(
      "Response headers compared besides the status and content-type (found at path header.<name>), e.g. [cache-control, location].",
    ),
  ignore: z
    .array(z.string().trim().min(1))
    .default([])
    .describe(
      "JSON body paths never compared, with everything beneath them. Paths are written as in findings: $ is the body, " +
        ".name a field, [2] an element, [] any element; the leading $. may be left out. E.g. [$.meta.requestId, items[].updatedAt].",
    ),
  arrayKeys: z
    .record(z.string().trim().min(1), z.string().trim().min(1))
    .default({})
    .describe(
      "Path of a JSON array → the field that identifies its elements, e.g. { $.items: id, $.items[].lines: sku }. Elements pair " +
        "by that field, so a reordering is no difference and one inserted element is one difference (at its index in the target).",
    ),
  noise: z
    .boolean()
    .default(false)
    .describe(
      "Send each GET, HEAD or OPTIONS request to the source a second time; the paths where the two source answers differ " +
        "(timestamps, generated ids) are noise for that request and not findings. Default: false.",
    ),
  concurrency: z
    .int({ error: "expected a whole number from 1 to 64" })
    .min(1, { error: "expected a whole number from 1 to 64" })
    .max(64, { error: "expected a whole number from 1 to 64" })
    .default(4)
    .describe("Requests compared at the same time (1 to 64). Default: 4."),
  rateLimit: numberInRange(RATE_LIMIT_RANGE, "requests per second")
    .default(10)
    .describe("Most requests per second sent to each host (source and target apart), from 0.1 to 10000. Default: 10."),
  timeoutSeconds: numberInRange(TIMEOUT_SECONDS_RANGE, "seconds")
    .default(30)
    .describe(
      "Timeout of one request, response body included, in seconds, from 0.1 to 3600; a timeout is a finding at path error. Default: 30.",
    ),
});

export type HttpCheckSettings = z.infer<typeof httpCheckSettingsSchema>;
/** The settings as written, before defaults: what a caller may pass. */
export type HttpCheckSettingsInput = z.input<typeof httpCheckSettingsSchema>;

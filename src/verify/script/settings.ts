import { z } from "zod";

/** A check written in TypeScript or JavaScript (`docs/script-checks.md`). */
export const scriptCheckSettingsSchema = z.strictObject({
  module: z
    .string()
    .min(1)
    .describe(
      "Path of the module (.ts, .mts, .js or .mjs), relative to the checks file, whose default export is the check: an async function given the helpers (compare, missing, extra, rows, json, normalize).",
    ),
  options: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Passed to the check as `options`, as written (no secrets: read those from the environment in the module)."),
});
export type ScriptCheckSettings = z.infer<typeof scriptCheckSettingsSchema>;

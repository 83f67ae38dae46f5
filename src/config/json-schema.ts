/**
 * The published JSON Schema of `ztoq.config.yml`, committed as `schemas/ztoq.config.schema.json` so
 * editors complete and check the file (YAML: `# yaml-language-server: $schema=…`; JSON: `"$schema"`).
 * A test keeps the committed file equal to this; `npm run schemas` rewrites it.
 */
import { z } from "zod";
import { configFileSchema } from "./schema.js";

export const configSchemaId = "urn:ztoq:schema:config";
export const configSchemaFile = "schemas/ztoq.config.schema.json";

/** The input side: what a user writes, with the defaults shown and nothing required. */
export function configJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(configFileSchema, { io: "input", target: "draft-2020-12" });
  return { $schema, $id: configSchemaId, title: "ZTOQ configuration (ztoq.config.yml)", ...rest };
}

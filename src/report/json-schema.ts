/**
 * Published JSON Schemas of the reports, committed under schemas/ so consumers (dashboards, other
 * jobs) can validate what ZTOQ uploads. A test keeps them equal to the zod schemas.
 */
import { z } from "zod";
import { migrationReportSchema } from "./migration-report.js";

export const migrationReportSchemaFile = "schemas/migration-report.schema.json";

export function migrationReportJsonSchema(): Record<string, unknown> {
  const { $schema, ...rest } = z.toJSONSchema(migrationReportSchema, { io: "output", target: "draft-2020-12" });
  return { $schema, $id: "urn:ztoq:schema:migration-report", title: "ZTOQ migration report", ...rest };
}

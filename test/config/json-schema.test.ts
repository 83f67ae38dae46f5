import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { configJsonSchema, configSchemaFile } from "../../src/config/json-schema.js";
import { migrationReportJsonSchema, migrationReportSchemaFile } from "../../src/report/json-schema.js";
import { verificationReportJsonSchema } from "../../src/report/verification-report.js";
import { checksFileJsonSchema } from "../../src/verify/checks/checks-file.js";

const committed = join(import.meta.dirname, "../..", configSchemaFile);
const expected = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;

describe("the committed config JSON Schema", () => {
  if (process.env.UPDATE_SCHEMAS === "1") {
    it(`is written to ${configSchemaFile}`, async () => {
      await mkdir(dirname(committed), { recursive: true });
      await writeFile(committed, expected);
    });
    return;
  }

  it("equals configJsonSchema()", async () => {
    const text = await readFile(committed, "utf8").catch(() => "(missing)");
    expect(text, `${configSchemaFile} is stale: run \`npm run schemas\` and commit the result`).toBe(expected);
  });

  it("describes every property, and names an $id and a title", () => {
    const schema = configJsonSchema();
    expect(schema.$id).toMatch(/^urn:ztoq:/);
    expect(schema.title).toContain("ztoq.config.yml");
    const undescribed: string[] = [];
    const visit = (node: unknown, path: string) => {
      if (typeof node !== "object" || node === null) return;
      const record = node as Record<string, unknown>;
      const properties = record.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, property] of Object.entries(properties ?? {})) {
        if (typeof property.description !== "string" || property.description === "") undescribed.push(`${path}${key}`);
        visit(property, `${path}${key}.`);
      }
      for (const key of ["additionalProperties", "anyOf", "oneOf", "items"]) {
        const child = record[key];
        if (Array.isArray(child)) for (const item of child) visit(item, path);
        else visit(child, `${path}*.`);
      }
    };
    visit(schema, "");
    expect(undescribed).toEqual([]);
  });
});

describe("the committed migration report JSON Schema", () => {
  const file = join(import.meta.dirname, "../..", migrationReportSchemaFile);
  const generated = `${JSON.stringify(migrationReportJsonSchema(), null, 2)}\n`;
  if (process.env.UPDATE_SCHEMAS === "1") {
    it(`is written to ${migrationReportSchemaFile}`, async () => {
      await writeFile(file, generated);
    });
    return;
  }
  it("equals migrationReportJsonSchema()", async () => {
    const text = await readFile(file, "utf8").catch(() => "(missing)");
    expect(text, `${migrationReportSchemaFile} is stale: run \`npm run schemas\` and commit the result`).toBe(generated);
  });
});

describe("the committed verification report JSON Schema", () => {
  const file = join(import.meta.dirname, "../..", "schemas/verification-report.schema.json");
  const generated = `${JSON.stringify(verificationReportJsonSchema(), null, 2)}\n`;
  if (process.env.UPDATE_SCHEMAS === "1") {
    it("is written to schemas/verification-report.schema.json", async () => {
      await writeFile(file, generated);
    });
    return;
  }
  it("equals verificationReportJsonSchema()", async () => {
    const text = await readFile(file, "utf8").catch(() => "(missing)");
    expect(text, "schemas/verification-report.schema.json is stale: run `npm run schemas` and commit the result").toBe(generated);
  });
});

describe("the committed checks file JSON Schema", () => {
  const file = join(import.meta.dirname, "../..", "schemas/ztoq.checks.schema.json");
  const generated = `${JSON.stringify(checksFileJsonSchema(), null, 2)}\n`;
  if (process.env.UPDATE_SCHEMAS === "1") {
    it("is written to schemas/ztoq.checks.schema.json", async () => {
      await writeFile(file, generated);
    });
    return;
  }
  it("equals checksFileJsonSchema()", async () => {
    const text = await readFile(file, "utf8").catch(() => "(missing)");
    expect(text, "schemas/ztoq.checks.schema.json is stale: run `npm run schemas` and commit the result").toBe(generated);
  });
});

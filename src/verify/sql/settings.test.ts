import { describe, expect, it } from "vitest";
import { z } from "zod";
import { sqlCheckSettingsSchema } from "./settings.js";

const base = { source: "postgres://u@old:5432/shop", target: "sqlite:new.db", key: "id" };
const problems = (settings: Record<string, unknown>) => {
  const result = sqlCheckSettingsSchema.safeParse(settings);
  return result.success ? [] : result.error.issues.map((i) => i.message);
};

describe("sql check settings", () => {
  it("takes a table for both sides, merge by default", () => {
    const parsed = sqlCheckSettingsSchema.parse({ ...base, table: "public.orders", key: ["tenant", "id"] });
    expect(parsed.method).toBe("merge");
    expect(parsed.key).toEqual(["tenant", "id"]);
  });

  it("takes each side's own table or query", () => {
    expect(problems({ ...base, sourceTable: "orders", targetQuery: "SELECT * FROM orders_v2" })).toEqual([]);
  });

  it("wants exactly one thing to read on each side", () => {
    expect(problems(base)).toEqual([
      "the source needs table, sourceTable or sourceQuery",
      "the target needs table, targetTable or targetQuery",
    ]);
    expect(problems({ ...base, table: "a", sourceTable: "b" })).toEqual([
      "table names both sides' table; drop it or sourceTable",
    ]);
    expect(problems({ ...base, sourceTable: "a", sourceQuery: "SELECT 1", targetTable: "b" })).toEqual([
      "sourceTable and sourceQuery both given; keep one",
    ]);
  });

  it("refuses unknown settings and engines", () => {
    expect(problems({ ...base, table: "t", colums: {} })[0]).toMatch(/colums/);
    expect(problems({ ...base, table: "t", source: "mysql://old/shop" })).toEqual([
      `postgres://… or sqlite:PATH (or a \${VAR} holding one)`,
    ]);
    expect(problems({ ...base, table: "t", source: `\${OLD_DATABASE_URL}` })).toEqual([]);
    expect(problems({ ...base, table: "t", normalize: { total: { decimals: -1 } } }).length).toBe(1);
    expect(problems({ ...base, table: "t", normalize: { at: { timestamp: "ns" } } }).length).toBe(1);
  });

  it("describes every field, for the checks file's JSON Schema", () => {
    const schema = z.toJSONSchema(sqlCheckSettingsSchema, { io: "input" }) as {
      properties: Record<string, { description?: string }>;
    };
    const undescribed = Object.entries(schema.properties).filter(([, p]) => !p.description);
    expect(undescribed.map(([name]) => name)).toEqual([]);
  });
});

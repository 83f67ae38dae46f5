import { describe, expect, it } from "vitest";
import { keyLiteral, orderExpression, rangeCondition, type SideKey, segmentExpression, selectRows } from "./sql-text.js";

const id: SideKey = { name: "id", type: "integer", order: "integer", collatable: false };
const code: SideKey = { name: "code", type: "text", order: "text", collatable: true };

describe("the SQL sent to either engine", () => {
  it("orders text keys by bytes in both engines", () => {
    expect(orderExpression("postgres", code)).toBe('"code" COLLATE "C"');
    expect(orderExpression("sqlite", code)).toBe('"code" COLLATE BINARY');
    expect(orderExpression("postgres", id)).toBe('"id"');
    // A number on one side and text on the other: both ordered as text.
    expect(orderExpression("postgres", { ...id, order: "text" })).toBe('("id")::text COLLATE "C"');
    expect(orderExpression("sqlite", { ...id, order: "text" })).toBe('CAST("id" AS TEXT)');
    expect(orderExpression("postgres", { name: "u", type: "text", order: "text", collatable: false })).toBe(
      '("u")::text COLLATE "C"',
    );
    expect(orderExpression("postgres", { name: "at", type: "timestamp", order: "text", collatable: false })).toBe('"at"');
  });

  it("selects key columns first, in key order, NULL first", () => {
    expect(selectRows("postgres", "orders", { keys: [code, id], values: ["total"], where: "total > 0" })).toBe(
      'SELECT "code", "id", "total" FROM orders WHERE (total > 0) ORDER BY "code" COLLATE "C" NULLS FIRST, "id" NULLS FIRST',
    );
  });

  it("leaves NULLS FIRST out for a NOT NULL key in PostgreSQL, so its index gives the order", () => {
    expect(selectRows("postgres", "orders", { keys: [{ ...id, nullable: false }], values: [] })).toBe(
      'SELECT "id" FROM orders ORDER BY "id"',
    );
    expect(selectRows("sqlite", "orders", { keys: [{ ...id, nullable: false }], values: [] })).toBe(
      'SELECT "id" FROM orders ORDER BY "id" NULLS FIRST',
    );
  });

  it("writes key bounds as literals: plain numbers as they are, the rest quoted", () => {
    expect(keyLiteral("integer", "42")).toBe("42");
    expect(keyLiteral("number", "-1.5e3")).toBe("-1.5e3");
    expect(keyLiteral("integer", "1; DROP TABLE x")).toBe("'1; DROP TABLE x'");
    expect(keyLiteral("text", "it's")).toBe("'it''s'");
  });

  it("bounds a range of keys, none NULL, or picks the rows with a NULL key", () => {
    expect(rangeCondition("sqlite", [code, id], { from: ["a", "1"], to: ["b", "2"] })).toBe(
      `"code" IS NOT NULL AND "id" IS NOT NULL AND ("code" COLLATE BINARY, "id") >= ('a', 1) AND ("code" COLLATE BINARY, "id") < ('b', 2)`,
    );
    expect(rangeCondition("postgres", [id], {}, ["7"])).toBe('"id" IS NOT NULL AND "id" > 7');
    expect(rangeCondition("postgres", [code, id], { nulls: true })).toBe('("code" IS NULL OR "id" IS NULL)');
    expect(rangeCondition("postgres", [id], {})).toBeUndefined();
  });

  it("finds a row's part of a range by halving the bounds", () => {
    expect(segmentExpression("postgres", [id], [["10"], ["20"], ["30"]], false)).toBe(
      'CASE WHEN "id" < 20 THEN CASE WHEN "id" < 10 THEN 0 ELSE 1 END ELSE CASE WHEN "id" < 30 THEN 2 ELSE 3 END END',
    );
    expect(segmentExpression("sqlite", [id], [], true)).toBe('CASE WHEN "id" IS NULL THEN -1 ELSE 0 END');
  });
});

import { describe, expect, it } from "vitest";
import { BadInputError } from "../../errors.js";
import { type PlanSettings, planComparison, type SideColumns } from "./plan.js";

const source: SideColumns = {
  description: "the source postgres://h:5432/db table orders",
  columns: [
    { name: "id", type: "integer" },
    { name: "cust_id", type: "integer" },
    { name: "total", type: "decimal" },
    { name: "created_at", type: "timestamp" },
    { name: "legacy", type: "text" },
  ],
};
const target: SideColumns = {
  description: "the target sqlite:new.db table orders",
  columns: [
    { name: "ID", type: "integer" },
    { name: "customer_id", type: "integer" },
    { name: "total", type: "float" },
    { name: "created_at", type: "text" },
    { name: "extra", type: "text" },
  ],
};

const plan = (settings: PlanSettings) => planComparison(settings, source, target);

describe("pairing the columns", () => {
  it("compares the columns both sides have by default, the key matched in any case", () => {
    const p = plan({ key: "id" });
    expect(p.keys.map((k) => [k.source.name, k.target.name, k.order])).toEqual([["id", "ID", "integer"]]);
    expect(p.values.map((v) => v.source.name)).toEqual(["total", "created_at"]);
    expect(p.normalization["(not compared)"]).toBe("source only: cust_id, legacy; target only: customer_id, extra");
    expect(p.normalization.total).toMatch(/numbers by value/);
    expect(p.normalization.created_at).toMatch(/timestamps in UTC/);
  });

  it("pairs renamed columns, and the others by name", () => {
    const p = plan({ key: "id", columns: { cust_id: "customer_id" } });
    expect(p.values.map((v) => `${v.source.name}→${v.target.name}`)).toEqual([
      "cust_id→customer_id",
      "total→total",
      "created_at→created_at",
    ]);
    expect(p.normalization["(renamed)"]).toBe("id → ID, cust_id → customer_id");
    expect(p.normalization["(not compared)"]).toBe("source only: legacy; target only: extra");
  });

  it("lets a rename take a name the target uses for it, not twice", () => {
    const p = plan({ key: "id", columns: { legacy: "total" } });
    expect(p.values.map((v) => `${v.source.name}→${v.target.name}`)).toEqual(["created_at→created_at", "legacy→total"]);
  });

  it("leaves ignored columns out and applies normalization by column", () => {
    const p = plan({ key: "id", ignore: ["created_at"], normalize: { total: { decimals: 2 } } });
    expect(p.values.map((v) => v.source.name)).toEqual(["total"]);
    expect(p.values[0]?.equal("12.345", "12.35")).toBe(true);
    expect(p.normalization["(ignored)"]).toBe("created_at");
  });

  it("names every unknown column as bad input, with the side and its columns", () => {
    expect(() => plan({ key: "idd" })).toThrow(BadInputError);
    expect(() => plan({ key: "idd" })).toThrow(
      /key column "idd" is not a column of the source postgres:\/\/h:5432\/db table orders \(columns: id, cust_id/,
    );
    expect(() => plan({ key: "id", columns: { cust_id: "cust_id" } })).toThrow(
      /column "cust_id" is not a column of the target sqlite:new.db/,
    );
    expect(() => plan({ key: "id", ignore: ["nope"] })).toThrow(/ignore names "nope", which is a column of neither side/);
    expect(() => plan({ key: "id", ignore: ["id"] })).toThrow(/ignore names the key column "id"/);
    expect(() => plan({ key: "id", normalize: { nope: { trim: true } } })).toThrow(
      /normalize names "nope", which is a column of neither side/,
    );
    expect(() => plan({ key: "id", normalize: { id: { trim: true } } })).toThrow(/normalize names the key column "id"/);
    expect(() => plan({ key: "id", normalize: { legacy: { trim: true } } })).toThrow(
      /normalize names "legacy", which is not compared/,
    );
  });

  it("orders a key by value when both sides hold numbers, by bytes otherwise, timestamps made canonical", () => {
    const p = planComparison({ key: ["created_at", "total", "id"] }, source, {
      ...target,
      columns: [...target.columns.filter((c) => c.name !== "ID"), { name: "id", type: "text" }],
    });
    expect(p.keys.map((k) => k.order)).toEqual(["text", "number", "text"]);
    expect(p.keys[0]?.canonical?.("2024-05-01 10:00:00+00")).toBe("2024-05-01T10:00:00.000000Z");
    expect(p.keys[1]?.canonical).toBeUndefined();
  });
});

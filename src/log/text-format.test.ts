import { describe, expect, it } from "vitest";
import { formatLogRecord } from "./text-format.js";

describe("formatLogRecord", () => {
  const time = new Date(2024, 0, 2, 9, 5, 7).getTime();

  it("says time, level and message, then the entity key, the error and the run", () => {
    const line = formatLogRecord({
      level: 40,
      time,
      component: "migrate",
      runId: "20240102T090507-abc123",
      entity: "testCase",
      key: "PROJ-T12",
      error: "qTest said 400:\nbad field",
      msg: "qTest refused the entity",
    });
    expect(line).toBe(
      "09:05:07 WARN  qTest refused the entity · testCase PROJ-T12 · qTest said 400: bad field · run 20240102T090507-abc123",
    );
  });

  it("shows an error object by its message, and nothing of the record's other fields", () => {
    const line = formatLogRecord({ level: 50, time, msg: "stopped", err: { message: "boom", stack: "at x" }, token: "secret" });
    expect(line).toBe("09:05:07 ERROR stopped · boom");
  });

  it("names the qTest object type and field, and the report written", () => {
    expect(
      formatLogRecord({ level: 30, time, msg: "creating field in qTest", objectType: "test-cases", field: "Zephyr Key" }),
    ).toBe("09:05:07 INFO  creating field in qTest · test-cases Zephyr Key");
    expect(formatLogRecord({ level: 30, time, msg: "migration finished", report: "r.json", totals: { created: 1 } })).toBe(
      "09:05:07 INFO  migration finished · report r.json",
    );
  });

  it("is one line even when the message is not", () => {
    expect(formatLogRecord({ level: 30, time, msg: "a\nb" })).toBe("09:05:07 INFO  a b");
  });
});

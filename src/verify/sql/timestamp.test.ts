import { describe, expect, it } from "vitest";
import { canonicalTimestamp, sameInstant } from "./timestamp.js";

describe("timestamps", () => {
  it("reads PostgreSQL's and ISO spellings as one UTC instant", () => {
    const spellings = [
      "2024-05-01 10:00:00.123456+00",
      "2024-05-01T10:00:00.123456Z",
      "2024-05-01T12:00:00.123456+02:00",
      "2024-05-01 05:30:00.123456-0430",
      "2024-05-01 10:00:00.123456",
    ];
    for (const text of spellings) expect(canonicalTimestamp(text, "us")).toBe("2024-05-01T10:00:00.123456Z");
  });

  it("cuts finer digits at the precision asked for", () => {
    expect(canonicalTimestamp("2024-05-01 10:00:00.123999+00", "ms")).toBe("2024-05-01T10:00:00.123Z");
    expect(canonicalTimestamp("2024-05-01 10:00:00.999+00", "s")).toBe("2024-05-01T10:00:00Z");
    expect(canonicalTimestamp("2024-05-01T10:00:00Z", "us")).toBe("2024-05-01T10:00:00.000000Z");
  });

  it("reads a date alone as midnight UTC, and dates before 1970", () => {
    expect(canonicalTimestamp("2024-05-01", "s")).toBe("2024-05-01T00:00:00Z");
    expect(canonicalTimestamp("1969-12-31 23:59:59.5+00", "ms")).toBe("1969-12-31T23:59:59.500Z");
    expect(canonicalTimestamp("0099-01-01 00:00:00+00", "s")).toBe("0099-01-01T00:00:00Z");
  });

  it("compares instants without spelling them", () => {
    expect(sameInstant("2024-05-01 10:00:00.123456+00", "2024-05-01T12:00:00.123+02:00", "ms")).toBe(true);
    expect(sameInstant("2024-05-01 10:00:00.123456+00", "2024-05-01T12:00:00.123+02:00", "us")).toBe(false);
    expect(sameInstant("1969-12-31 23:59:59.9+00", "1969-12-31T23:59:59Z", "s")).toBe(true);
    expect(sameInstant("2024-02-29", "2024-02-29T00:00:00Z", "us")).toBe(true);
    expect(sameInstant("2024-02-29", "nope", "us")).toBeUndefined();
  });

  it("agrees with Date on every day across four centuries", () => {
    for (let day = -200_000; day < 200_000; day += 97) {
      const iso = new Date(day * 86_400_000 + 45_296_789).toISOString();
      expect(canonicalTimestamp(iso, "ms")).toBe(iso);
    }
  });

  it("is undefined for what it does not read", () => {
    for (const text of ["infinity", "yesterday", "12:00", "2024-05-01 BC", "1714557600"]) {
      expect(canonicalTimestamp(text, "us")).toBeUndefined();
    }
  });
});

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadChecksFile } from "../../../src/verify/checks/checks-file.js";

/** The checks files the example workflows use are valid checks files. */
const dir = join(import.meta.dirname, "../../../examples/checks");

describe("the example checks files", () => {
  for (const name of readdirSync(dir).filter((file) => file.endsWith(".yml"))) {
    it(`${name} loads`, async () => {
      const file = await loadChecksFile(join(dir, name));
      expect(file.checks.length).toBeGreaterThan(0);
    });
  }
});

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withGeneratedSections } from "../../src/config/settings-readme.js";

const readmePath = join(import.meta.dirname, "../..", "README.md");

describe("the README's tables of inputs and environment variables", () => {
  if (process.env.UPDATE_README === "1") {
    it("are written from the settings manifest", async () => {
      await writeFile(readmePath, withGeneratedSections(await readFile(readmePath, "utf8")));
    });
    return;
  }

  it("equal what the settings manifest generates", async () => {
    const readme = await readFile(readmePath, "utf8");
    expect(readme, "README.md is stale: run `npm run readme` and commit the result").toBe(withGeneratedSections(readme));
  });
});

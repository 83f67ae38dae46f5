import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

it("the README carries the complete config example verbatim", () => {
  const root = join(import.meta.dirname, "../..");
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const example = readFileSync(join(root, "ztoq.config.example.yml"), "utf8");
  expect(readme).toContain(`\`\`\`yaml\n${example}\`\`\``);
});

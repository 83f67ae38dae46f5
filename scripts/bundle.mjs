// Bundles the CLI and the actions into dist/, which is committed: actions run from it as is.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

// The CLI, and one bundle per action (action.yml → migrate, verify/action.yml → verify).
const entryPoints = { cli: "src/cli/index.ts", migrate: "src/actions/migrate-main.ts", verify: "src/actions/verify-main.ts" };

await build({
  entryPoints,
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node24",
  format: "esm",
  sourcemap: false,
  legalComments: "none",
  logLevel: "warning",
  define: { ZTOQ_VERSION: JSON.stringify(version) },
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __ztoqCreateRequire } from 'node:module'; const require = __ztoqCreateRequire(import.meta.url);",
  },
});

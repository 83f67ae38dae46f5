// Bundles the CLI and the actions into dist/, which is committed: actions run from it as is.
import { readFileSync } from "node:fs";
import { build } from "esbuild";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

// The CLI, one bundle per action (action.yml → migrate, verify/action.yml → verify), and the sql
// check's worker thread, which the CLI and the verify action start from beside them.
const entryPoints = {
  cli: "src/cli/index.ts",
  migrate: "src/actions/migrate-main.ts",
  verify: "src/actions/verify-main.ts",
  "sql-worker": "src/verify/sql/worker.ts",
};

/**
 * Start-up cost: an ESM `import` of a Node built-in builds its ESM facade, which reads every export —
 * for node:http that includes lazy getters that load all of undici (~27 ms of a ~140 ms `ztoq --version`).
 * `require()` hands back the plain object and leaves those getters untouched, so the bundle takes the
 * built-ins through the banner's `require` instead; esbuild keeps the named imports bound lazily.
 */
const builtinsThroughRequire = {
  name: "builtins-through-require",
  setup(build) {
    build.onResolve({ filter: /^node:/ }, (args) =>
      args.kind === "import-statement" ? { path: args.path, namespace: "builtin-require" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "builtin-require" }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: "js",
    }));
  },
};

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
  // Less to read and compile at every start; identifiers stay, so class names and stack traces read as in the sources.
  minifyWhitespace: true,
  minifySyntax: true,
  plugins: [builtinsThroughRequire],
  define: { ZTOQ_VERSION: JSON.stringify(version) },
  // CommonJS dependencies call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __ztoqCreateRequire } from 'node:module'; const require = __ztoqCreateRequire(import.meta.url);",
  },
});

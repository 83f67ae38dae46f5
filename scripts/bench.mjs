// `npm run bench`: bundles a benchmark from bench/ (TypeScript importing src/) and runs it.
// Benchmarks print figures as ratios against a measured floor; they are not tests and assert nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";

const names = process.argv.slice(2);
const all = ["migrate", "verify", "shards", "adopt", "sql", "pace"];
const dir = mkdtempSync(join(tmpdir(), "ztoq-bench-"));
// The sql check starts its worker thread from beside the bundle that runs it, as dist/ has it.
writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
try {
  for (const name of names.length > 0 ? names : all) {
    const outfile = join(dir, `${name}.js`);
    await build({
      entryPoints: { [name]: `bench/${name}.ts`, "sql-worker": "src/verify/sql/worker.ts" },
      outdir: dir,
      bundle: true,
      platform: "node",
      target: "node24",
      format: "esm",
      logLevel: "warning",
      define: { ZTOQ_VERSION: '"bench"' },
      banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    });
    const result = spawnSync(process.execPath, [outfile], { stdio: "inherit" });
    if (result.status !== 0) process.exitCode = result.status ?? 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

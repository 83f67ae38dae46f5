/**
 * The package as a user gets it: `npm pack`, installed into an empty project (and globally, under a
 * temp prefix) from npm's cache, then run there — through `npx`, and through the bin straight from PATH
 * while the first `node` on PATH is older than 24 (the machine's /usr/bin/node here), which the
 * launcher in bin/ztoq.js answers by re-running itself under the `node` dependency.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
/** A Node older than 24, put first on PATH; the test of the re-exec needs one. */
const OLD_NODE_DIR = process.env.ZTOQ_TEST_OLD_NODE_DIR ?? "/usr/bin";

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function sh(command: string, args: string[], options: { cwd: string; path?: string }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      // Only what a user's shell would have: no npm_* variables of the test run, no ZTOQ_* settings.
      env: {
        PATH: options.path ?? process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function describeResult(r: Result): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;
}

async function nodeMajor(nodeDir: string): Promise<number | undefined> {
  const node = join(nodeDir, "node");
  if (!existsSync(node)) return undefined;
  const r = await sh(node, ["-p", "process.versions.node"], { cwd: tmpdir() });
  return r.code === 0 ? Number(r.stdout.trim().split(".")[0]) : undefined;
}

// npm resolves what it can from ~/.npm and asks the registry only for what the cache lacks.
const NPM_INSTALL = ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];

describe("the packed package, installed elsewhere", () => {
  let scratch: string;
  let tarball: string;
  let project: string;
  let oldNodeMajor: number | undefined;
  /** PATH of a machine whose default Node is the old one; npm itself comes from the same directory. */
  let oldPath: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "ztoq-package-"));
    oldNodeMajor = await nodeMajor(OLD_NODE_DIR);
    oldPath = [OLD_NODE_DIR, process.env.PATH ?? ""].join(delimiter);
    const pack = await sh("npm", ["pack", "--silent", "--pack-destination", scratch], { cwd: ROOT });
    if (pack.code !== 0) throw new Error(`npm pack: ${describeResult(pack)}`);
    const name = (await readdir(scratch)).find((f) => f.endsWith(".tgz"));
    if (!name) throw new Error(`npm pack wrote no tarball: ${describeResult(pack)}`);
    tarball = join(scratch, name);
    project = join(scratch, "project");
    await mkdir(project);
    await writeFile(join(project, "package.json"), `${JSON.stringify({ name: "empty", private: true }, null, 2)}\n`);
    const install = await sh("npm", [...NPM_INSTALL, tarball], { cwd: project, path: oldPath });
    if (install.code !== 0) throw new Error(`npm install: ${describeResult(install)}`);
  }, 120_000);

  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it("runs `npx ztoq demo` in the project, leaving its files under .ztoq/", async () => {
    const r = await sh("npx", ["--no-install", "ztoq", "demo", "--generate", "10"], { cwd: project, path: oldPath });
    expect(r.code, describeResult(r)).toBe(0);
    expect(existsSync(join(project, ".ztoq", "demo", "verification-report.json"))).toBe(true);
    expect((await readdir(project)).sort()).toEqual([".ztoq", "node_modules", "package-lock.json", "package.json"]);
  }, 60_000);

  it("runs a sql check in its worker thread, which the package ships beside the CLI", async () => {
    const dir = join(scratch, "sql-check");
    await mkdir(dir);
    for (const [file, note] of [
      ["old.db", "paid"],
      ["new.db", "refunded"],
    ] as const) {
      const db = new DatabaseSync(join(dir, file));
      db.exec(`CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT); INSERT INTO orders VALUES (1, 'open'), (2, '${note}')`);
      db.close();
    }
    await writeFile(
      join(dir, "checks.yml"),
      "checks:\n  - name: orders\n    kind: sql\n    source: sqlite:old.db\n    target: sqlite:new.db\n    table: orders\n    key: id\n",
    );
    const r = await sh(
      "npx",
      ["--no-install", "--prefix", project, "ztoq", "verify", "--checks", "checks.yml", "--report", "report.json"],
      {
        cwd: dir,
        path: oldPath,
      },
    );
    expect(r.code, describeResult(r)).toBe(1);
    expect(r.stdout).toContain("| `id=2` | changed | `note` |");
  }, 60_000);

  it("runs the installed bin straight from PATH when the first node on PATH is older than 24", async (ctx) => {
    ctx.skip(oldNodeMajor === undefined || oldNodeMajor >= 24, `${OLD_NODE_DIR}/node is not older than Node 24`);
    const demo = join(scratch, "bin-demo");
    const bin = join(project, "node_modules", ".bin");
    const r = await sh("ztoq", ["demo", "--generate", "10", "--dir", demo], {
      cwd: scratch,
      path: [OLD_NODE_DIR, bin, process.env.PATH].join(delimiter),
    });
    expect(r.code, describeResult(r)).toBe(0);
    expect(existsSync(join(demo, "migration-report.json"))).toBe(true);
    // `node bin/ztoq.js` with the old node, and npx from another directory, take the same way.
    const direct = await sh(join(OLD_NODE_DIR, "node"), [join(project, "node_modules", "ztoq", "bin", "ztoq.js"), "--version"], {
      cwd: scratch,
      path: oldPath,
    });
    expect(direct.code, describeResult(direct)).toBe(0);
    const npx = await sh("npx", ["--no-install", "--prefix", project, "ztoq", "--version"], { cwd: scratch, path: oldPath });
    expect(npx.code, describeResult(npx)).toBe(0);
    expect(npx.stdout.trim()).toBe(direct.stdout.trim());
  }, 60_000);

  it("installs globally and runs from the global bin under an old node", async (ctx) => {
    ctx.skip(oldNodeMajor === undefined || oldNodeMajor >= 24, `${OLD_NODE_DIR}/node is not older than Node 24`);
    const prefix = join(scratch, "global");
    const install = await sh("npm", [...NPM_INSTALL, "--global", "--prefix", prefix, tarball], { cwd: scratch, path: oldPath });
    expect(install.code, describeResult(install)).toBe(0);
    const r = await sh("ztoq", ["status", "--help"], {
      cwd: scratch,
      path: [OLD_NODE_DIR, join(prefix, "bin"), process.env.PATH].join(delimiter),
    });
    expect(r.code, describeResult(r)).toBe(0);
    expect(r.stdout).toContain("Usage: ztoq status");
  }, 60_000);

  it("says in one line which Node it needs when the node is too old and the `node` dependency is missing", async (ctx) => {
    ctx.skip(oldNodeMajor === undefined || oldNodeMajor >= 24, `${OLD_NODE_DIR}/node is not older than Node 24`);
    // The package without its dependencies: nothing to re-run under.
    const bare = join(scratch, "bare", "ztoq");
    await cp(join(project, "node_modules", "ztoq"), bare, { recursive: true });
    const r = await sh(join(OLD_NODE_DIR, "node"), [join(bare, "bin", "ztoq.js"), "demo"], { cwd: scratch, path: oldPath });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.split("\n").filter((line) => line !== "");
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^ztoq: needs Node\.js 24 or newer, this is Node\.js \d+\.\d+\.\d+/);
  });
});

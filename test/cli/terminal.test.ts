/**
 * What a person sees on a terminal (the CLI under a pseudo-terminal, against the mocks) and what a
 * machine reads elsewhere: readable log lines above one live progress line, never glued onto it, a
 * plain-text summary; JSON records when asked for, and in a file; CI output as it always was.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { demoMapping } from "../../src/mock/demo-target.js";
import { BIN, type CliResult, runCli, startCli, writeYamlConfig } from "../support/cli.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

const CLEAR = "\r\x1b[K";
const TEXT_LOG = /\d\d:\d\d:\d\d (TRACE|DEBUG|INFO|WARN|ERROR|FATAL) /;
const PROGRESS =
  /^(modules|test cases|test steps|test cycles|test suites|test runs|executions) \d+(\/\d+ \(\d+%\))?( [\d.]+\/s)?( ETA \w+)?( · (Zephyr|qTest) .*)?$/;

/** What the screen received, as the pieces between newlines and line clears, in order. */
function pieces(screen: string): string[] {
  return screen
    .replaceAll("\r\n", "\n")
    .split("\n")
    .flatMap((line) => line.split(CLEAR))
    .filter((piece) => piece !== "");
}

function onTerminal(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  // A pseudo-terminal carries stdout and stderr alike: all of it is in `stdout`.
  return startCli(args, env, { terminal: { input: "" } }).done;
}

let f: MigrationFixture;
let file: string;

beforeAll(async () => {
  expect(existsSync(BIN), "dist/cli.js: run `npm run build` first").toBe(true);
  // Latency keeps the phases long enough for the progress line to be drawn; faults add retry logs.
  f = await migrationFixture({ generate: 40, seed: 3, latencyMs: 10, faultRate: 0.03 });
  file = await writeYamlConfig(f.dir, {
    zephyr: { rateLimit: 500, timeoutSeconds: 5 },
    qtest: { rateLimit: 500, timeoutSeconds: 5 },
    state: f.statePath,
    migration: { concurrency: 4, retries: 8 },
    mapping: await demoMapping(f.mocks),
    report: { dir: f.dir },
  });
});
afterAll(async () => {
  await f?.close();
});

describe("the terminal", () => {
  it("shows readable log lines above a live progress line, a JSON copy in --log-file, and a plain-text summary", async () => {
    const logFile = join(f.dir, "logs", "migrate.log");
    const result = await onTerminal(["migrate", "--config", file, "--log-file", logFile], f.env);
    expect(result.code, result.stdout).toBe(ExitCode.ok);
    const screen = pieces(result.stdout);

    expect(result.stdout).not.toContain('"level":');
    // The live line shows the pace each API is being sent (adaptive pacing: src/http/pacing.ts).
    expect(result.stdout).toMatch(/ · (Zephyr|qTest) \d+\/s/);
    // Redrawn in place: several states of the live line, each after a clear.
    expect(result.stdout.split(CLEAR).filter((p) => PROGRESS.test(p.split(/\r?\n/)[0] ?? "")).length).toBeGreaterThan(2);
    for (const piece of screen) {
      // A log line starts its own line: nothing of the progress line before it, nothing after the progress line.
      if (TEXT_LOG.test(piece)) expect(piece, piece).toMatch(new RegExp(`^${TEXT_LOG.source}`));
      if (/^(modules|test cases|test cycles|test suites|executions) \d/.test(piece)) expect(piece).toMatch(PROGRESS);
    }
    expect(screen.some((p) => /^\d\d:\d\d:\d\d INFO {2}migration started · run \d{8}T\d{6}-[0-9a-f]{6}$/.test(p))).toBe(true);
    expect(result.stdout).not.toContain(f.mocks.qtest.token);

    expect(result.stdout).toContain("ZTOQ migration: succeeded");
    expect(screen.some((p) => /^Entity +Created +Updated +Unchanged +Failed +Skipped +Disappeared +Pruned$/.test(p))).toBe(true);
    expect(screen.some((p) => /^Total +\d+/.test(p))).toBe(true);
    expect(result.stdout).not.toMatch(/<details>|^## |\| Entity \|/m);

    const records = (await readFile(logFile, "utf8"))
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    expect(records.length).toBeGreaterThan(5);
    for (const record of records) expect(record).toMatchObject({ level: expect.any(Number), msg: expect.any(String) });
    expect(records.some((r) => r.msg === "migration finished" && typeof r.runId === "string")).toBe(true);
  });

  it("shows JSON records with --log-format json, each on a line of its own", async () => {
    const result = await onTerminal(["migrate", "--config", file, "--log-format", "json"], f.env);
    expect(result.code, result.stdout).toBe(ExitCode.ok);
    const records = pieces(result.stdout).filter((p) => p.includes('"level":'));
    expect(records.map((record) => JSON.parse(record).msg)).toEqual(
      expect.arrayContaining(["migration started", "migration finished"]),
    );
    expect(pieces(result.stdout).some((p) => TEXT_LOG.test(p))).toBe(false);
    // A run with nothing to do keeps every row, zeros included.
    expect(pieces(result.stdout).some((p) => /^Test cases +0 +0 +40 +0 +0 +0 +0$/.test(p))).toBe(true);
    expect(pieces(result.stdout).some((p) => /^Test runs +0 +0 +\d+/.test(p))).toBe(true);
  });

  it("prints the verification summary as plain text", async () => {
    const result = await onTerminal(["verify", "--config", file], f.env);
    expect(result.code, result.stdout).toBe(ExitCode.ok);
    expect(result.stdout).toContain("ZTOQ verification: passed");
    expect(pieces(result.stdout).some((p) => /^Entity +Source +Target +Matched/.test(p))).toBe(true);
    expect(result.stdout).not.toMatch(/<details>|^## |^\| /m);
    expect(result.stdout).not.toContain('"level":');
  });
});

describe("where machines read", () => {
  it("keeps JSON records on stderr, periodic [ztoq] lines and the Markdown summary on stdout", async () => {
    const result = await runCli(["verify", "--config", file], f.env);
    expect(result.code, result.stderr).toBe(ExitCode.ok);
    expect(result.stderr).not.toContain("\r");
    const lines = result.stderr.split("\n").filter((line) => line !== "");
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      if (!line.startsWith("[ztoq] ")) expect(JSON.parse(line)).toMatchObject({ level: expect.any(Number), component: "verify" });
    }
    expect(result.stdout).toMatch(/^## ✅ ZTOQ verification: passed/);
  });

  it("writes text lines when ZTOQ_LOG_FORMAT asks for them, and refuses a format it does not know", async () => {
    const text = await runCli(["verify", "--config", file], { ...f.env, ZTOQ_LOG_FORMAT: "text" });
    expect(text.code, text.stderr).toBe(ExitCode.ok);
    expect(text.stderr).toMatch(new RegExp(`^${TEXT_LOG.source}`, "m"));
    expect(text.stderr).not.toContain('"level":');

    const bad = await runCli(["verify", "--config", file], { ...f.env, ZTOQ_LOG_FORMAT: "yaml" });
    expect(bad.code).toBe(ExitCode.badInput);
    expect(bad.stderr).toContain("ZTOQ_LOG_FORMAT must be one of json, text");
  });
});

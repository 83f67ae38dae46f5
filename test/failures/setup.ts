/**
 * What the failure tests share: mocks with a provisioned target, a valid configuration file they
 * break one thing of, and the one-line check every failure message must pass.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";
import { demoMapping } from "../../src/mock/demo-target.js";
import type { MockOptions } from "../../src/mock/start.js";
import { type CliResult, messageLines, writeYamlConfig } from "../support/cli.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

export const fixtures: MigrationFixture[] = [];

export async function closeFixtures(): Promise<void> {
  await Promise.all(fixtures.splice(0).map((f) => f.close()));
}

export function expectBundle(): void {
  // The child processes run the bundle: it must be the current source (`npm run build`).
  expect(existsSync(join(import.meta.dirname, "..", "..", "dist", "cli.js")), "dist/cli.js: run `npm run build` first").toBe(
    true,
  );
}

export interface Setup {
  f: MigrationFixture;
  config: Record<string, unknown>;
  /** qTest writes made provisioning the target, before any run: a failed run adds none. */
  writesBefore: number;
  /** Writes `config` (default: the valid one) and returns the `migrate --config` arguments. */
  args(config?: Record<string, unknown>, command?: string): Promise<string[]>;
}

/** Default retries (5) on purpose: an unreachable host must fail fast without anyone lowering them. */
export async function setUp(options: MockOptions = {}): Promise<Setup> {
  const f = await migrationFixture({ generate: 20, seed: 5, ...options });
  fixtures.push(f);
  const config = {
    zephyr: { rateLimit: 500, timeoutSeconds: 5 },
    qtest: { rateLimit: 500, timeoutSeconds: 5 },
    state: f.statePath,
    migration: { concurrency: 4 },
    mapping: await demoMapping(f.mocks),
    report: { dir: f.dir },
  };
  return {
    f,
    config,
    writesBefore: f.mocks.qtest.stats.writes,
    args: async (changed = config, command = "migrate") => [command, "--config", await writeYamlConfig(f.dir, changed)],
  };
}

/** The exit code, and exactly one message line (starting `ztoq:`) matching `message`; no stack trace. */
export function expectOneLine(result: CliResult, code: number, message: RegExp): string {
  expect(result.stderr).not.toMatch(/\n\s+at /);
  const lines = messageLines(result.stderr);
  expect({ code: result.code, lines }).toEqual({ code, lines: [expect.stringMatching(/^ztoq: /)] });
  const [line = ""] = lines;
  expect(line).toMatch(message);
  return line;
}

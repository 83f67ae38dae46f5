/** What the loadConfig tests share: secrets to look for, environments, a temp working directory. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect } from "vitest";
import { type ConfigOverrides, type LoadConfigOptions, loadConfig } from "../../src/config/load.js";
import { BadInputError } from "../../src/errors.js";

export const ZEPHYR_TOKEN = "zephyr-token-VALUE-1234";
export const QTEST_TOKEN = "qtest-token-VALUE-5678";
export const QTEST_PASSWORD = "qtest-password-VALUE-9012";
export const SECRETS = [ZEPHYR_TOKEN, QTEST_TOKEN, QTEST_PASSWORD, "s3cr3t-in-file", "pg-pass-VALUE"];

/** Enough for a run with no file at all. */
export const fullEnv = {
  ZTOQ_ZEPHYR_TOKEN: ZEPHYR_TOKEN,
  ZTOQ_ZEPHYR_PROJECT: "QA",
  ZTOQ_QTEST_URL: "https://qtest.example.com",
  ZTOQ_QTEST_TOKEN: QTEST_TOKEN,
  ZTOQ_QTEST_PROJECT: "42",
} satisfies NodeJS.ProcessEnv;

export const tokensOnly = { ZTOQ_ZEPHYR_TOKEN: ZEPHYR_TOKEN, ZTOQ_QTEST_TOKEN: QTEST_TOKEN } satisfies NodeJS.ProcessEnv;

export const minimalYaml = `zephyr:\n  projectKey: QA\nqtest:\n  url: https://qtest.example.com\n  projectId: 7\n`;

/** Overrides as a caller without the types could pass them. */
export const untyped = (overrides: unknown) => overrides as ConfigOverrides;

/** A fresh working directory per test; `write` puts files in it, `load` loads from it with no environment. */
export function workingDirectory() {
  let dir = "";
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "ztoq-config-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get path() {
      return dir;
    },
    async write(name: string, text: string): Promise<string> {
      const path = join(dir, name);
      await mkdir(join(path, ".."), { recursive: true });
      await writeFile(path, text);
      return path;
    },
    load(options: Omit<LoadConfigOptions, "cwd"> = {}) {
      return loadConfig({ cwd: dir, env: {}, ...options });
    },
  };
}

/** Rejects with a BadInputError whose message is exactly one line, free of secrets, and matches. */
export async function expectBadInput(promise: Promise<unknown>, expected: string | RegExp): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(BadInputError);
  const message = (error as BadInputError).message;
  expect((error as BadInputError).exitCode).toBe(2);
  expect(message).not.toContain("\n");
  for (const secret of SECRETS) expect(message).not.toContain(secret);
  if (typeof expected === "string") expect(message).toBe(expected);
  else expect(message).toMatch(expected);
  return message;
}

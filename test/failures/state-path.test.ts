import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../support/cli.js";
import { closeFixtures, expectBundle, expectOneLine, setUp } from "./setup.js";

/**
 * A state path no retry mends is bad input (exit 2): one line naming the path and what is wrong,
 * nothing written. Given as ZTOQ_STATE: the fixture's environment sets it, and it outranks the file.
 */

afterEach(closeFixtures);
beforeAll(expectBundle);

const isRoot = process.getuid?.() === 0;

async function migrateWithState(state: string) {
  const setup = await setUp();
  const result = await runCli(await setup.args(), { ...setup.f.env, ZTOQ_STATE: state });
  expect(setup.f.mocks.qtest.stats.writes).toBe(setup.writesBefore);
  return { setup, result };
}

describe("an unusable state path", () => {
  it("a directory: exit 2 naming it and suggesting a file in it", async () => {
    const setup = await setUp();
    const dir = join(setup.f.dir, "state-dir");
    await mkdir(dir);
    const result = await runCli(await setup.args(), { ...setup.f.env, ZTOQ_STATE: dir });
    const line = expectOneLine(result, 2, /is a directory, not a file/);
    expect(line).toContain(dir);
    expect(line).toContain(join(dir, "state.db"));
    expect(setup.f.mocks.qtest.stats.writes).toBe(setup.writesBefore);
  }, 30_000);

  it("a parent that is a file: exit 2 naming that file", async () => {
    const setup = await setUp();
    const file = join(setup.f.dir, "plain-file");
    await writeFile(file, "not a directory\n");
    const result = await runCli(await setup.args(), { ...setup.f.env, ZTOQ_STATE: join(file, "sub", "state.db") });
    expectOneLine(result, 2, new RegExp(`${file.replaceAll(".", "\\.")} is a file, not a directory`));
  }, 30_000);

  it.skipIf(isRoot)(
    "a directory without write permission: exit 2 saying so",
    async () => {
      const setup = await setUp();
      const dir = join(setup.f.dir, "read-only");
      await mkdir(dir);
      await chmod(dir, 0o555);
      try {
        const result = await runCli(await setup.args(), { ...setup.f.env, ZTOQ_STATE: join(dir, "state.db") });
        expectOneLine(result, 2, new RegExp(`${dir.replaceAll(".", "\\.")} is not writable \\(permission denied`));
      } finally {
        await chmod(dir, 0o755);
      }
    },
    30_000,
  );

  // As root no mode bit refuses a write, but the kernel still refuses a directory under /sys.
  it.runIf(isRoot)(
    "a directory that may not be created: exit 2 saying so",
    async () => {
      const { result } = await migrateWithState("/sys/ztoq-state/state.db");
      expectOneLine(result, 2, /cannot create its directory \/sys\/ztoq-state: (permission denied|read-only)/);
    },
    30_000,
  );
});

describe("a state path the kernel refuses in its own way", () => {
  // mkdir -p loops forever under /proc (ENOENT for an entry it will never make), at 100 % CPU and deaf
  // to SIGTERM; the run must exit on its own. The timeout is generous on purpose: this asserts an exit.
  it.runIf(existsSync("/proc/self"))(
    "under /proc: exit 2 naming the directory that cannot be made",
    async () => {
      const { result } = await migrateWithState("/proc/ztoq-nope/state.db");
      expectOneLine(
        result,
        2,
        /^ztoq: State store \/proc\/ztoq-nope\/state\.db: cannot create its directory \/proc\/ztoq-nope: the file system there refuses new directories, ENOENT$/,
      );
    },
    60_000,
  );

  it.runIf(existsSync("/dev/null"))(
    "under /dev/null: exit 2 naming /dev/null, not /",
    async () => {
      const { result } = await migrateWithState("/dev/null/state.db");
      expectOneLine(
        result,
        2,
        /^ztoq: State store \/dev\/null\/state\.db: \/dev\/null is not a directory, so it cannot hold the state file$/,
      );
    },
    60_000,
  );
});

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

/**
 * A value no mapping covers that appears after preflight (someone edited Zephyr while the run went on)
 * stops the run as bad input — exit 2 naming the case, the field and the value — never as "could not
 * finish, re-run to resume", which would fail the same way forever. Real HTTP to the mocks, in process.
 */
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BadInputError, ExitCode } from "../../src/errors.js";
import { createLogger } from "../../src/log/logger.js";
import { migrate } from "../../src/migrate/run.js";
import { Progress } from "../../src/progress/progress.js";
import type { TestCaseUpdate } from "../../src/zephyr/schemas.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

const log = createLogger({ test: true });
log.level = "silent";

/** Progress that runs `then` when the named phase starts: a hook into the run between preflight and writes. */
class PhaseHook extends Progress {
  constructor(
    readonly at: string,
    readonly then: () => void,
  ) {
    super({ quiet: true });
  }
  override phase(name: string): void {
    if (name.startsWith(this.at)) this.then();
    super.phase(name);
  }
}

describe("a mapping that fails mid-run", () => {
  let f: MigrationFixture | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it("is exit 2 naming the case, the custom field and the value", async () => {
    f = await migrationFixture({ generate: 20, seed: 3 });
    const store = f.mocks.zephyr.store;
    const victim = store.testCases().find((t) => t.customFields && "Reviewer" in t.customFields);
    if (!victim) throw new Error("no case with a Reviewer field");
    const stranger = "5b10a2844c20165700edeff9";
    const error = await migrate({
      config: f.config,
      mode: "full",
      dryRun: false,
      prune: false,
      reportPath: join(f.dir, "migration-report.json"),
      log,
      // After preflight resolved every value in use, Zephyr gets a reviewer nobody mapped.
      progress: new PhaseHook("Modules", () =>
        store.updateTestCase(victim.key, {
          ...victim,
          customFields: { ...victim.customFields, Reviewer: stranger },
        } as TestCaseUpdate),
      ),
    }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BadInputError);
    expect((error as BadInputError).exitCode).toBe(ExitCode.badInput);
    expect((error as Error).message).toContain(
      `test case ${victim.key}, custom field 'Reviewer': user '${stranger}' is not mapped`,
    );
    expect((error as Error).message).not.toMatch(/re-run.*resume/i);
  }, 60_000);
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseWorkflowCommands } from "../support/action-runner.js";
import { clearTextLeaks, describeRun, MIGRATE_ACTION, type Stage, type StepRun, startStage, VERIFY_ACTION } from "./harness.js";

/** Bad input given to the actions: exit code 2 and one `::error::` line that says what to fix. */
describe("bad input through the actions", () => {
  let stage: Stage;
  let before: ReturnType<Stage["mocks"]["qtest"]["store"]["counts"]>;

  beforeAll(async () => {
    stage = await startStage({ generate: 40, seed: 7 });
    before = stage.mocks.qtest.store.counts();
  }, 60_000);
  afterAll(async () => {
    await stage?.close();
  });

  function errors(run: StepRun): string[] {
    return parseWorkflowCommands(run)
      .filter((c) => c.command === "error")
      .map((c) => c.message);
  }

  describe.each([
    ["migrate", MIGRATE_ACTION],
    ["verify", VERIFY_ACTION],
  ])("the %s action", (_, action) => {
    it("a wrong qtest-token → exit 2, one ::error:: naming qTest, nothing written, the token masked", async () => {
      const wrong = "0123456789abcdef0123456789abcdef";
      const run = await stage.run(action, { inputs: { "qtest-token": wrong } });
      expect(run.exitCode, describeRun(run)).toBe(2);
      expect(errors(run)).toHaveLength(1);
      expect(run.lines.filter((line) => line.startsWith("::error::"))).toHaveLength(1);
      expect(errors(run)[0]).toMatch(/qTest/);
      expect(errors(run)[0]).toMatch(/token/i);
      expect(stage.mocks.qtest.store.counts()).toEqual(before);
      expect(run.lines).toContain(`::add-mask::${wrong}`);
      expect(clearTextLeaks(run, wrong)).toEqual([]);
      expect(clearTextLeaks(run, stage.mocks.zephyr.token)).toEqual([]);
      expect(run.artifacts.size).toBe(0);
    }, 60_000);
  });

  it("an invalid mode input → exit 2, one ::error:: naming the input and its choices", async () => {
    const run = await stage.run(MIGRATE_ACTION, { inputs: { mode: "sideways" } });
    expect(run.exitCode, describeRun(run)).toBe(2);
    expect(errors(run)).toEqual(['Input mode must be one of full, incremental; got "sideways".']);
    expect(run.outputs).toEqual({});
    expect(stage.mocks.qtest.store.counts()).toEqual(before);
  }, 60_000);

  it("an invalid comment input of verify → exit 2", async () => {
    const run = await stage.run(VERIFY_ACTION, { inputs: { comment: "sometimes" } });
    expect(run.exitCode, describeRun(run)).toBe(2);
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toContain("Input comment must be one of auto, always, never");
  }, 60_000);
});

/**
 * The rollback plan, a pure function of what was read: which objects are ZTOQ's, what stays because
 * of what it holds, and the order of the deletions.
 */
import { describe, expect, it } from "vitest";
import { planRollback, type RollbackPlan } from "./plan.js";
import { emptyState, type ProjectSnapshot } from "./snapshot.js";

/**
 * ZTOQ's area: module 1 "DEMO" ⊃ 2 "Login" ⊃ case 20 (DEMO-T1); cycle 100 "DEMO" ⊃ 101 "Sprint"
 * ⊃ suite 200 (DEMO-R1) ⊃ run 300 (DEMO-R1/DEMO-T1) with log 400 (DEMO-E1). All recorded.
 */
function snapshot(change: (s: ProjectSnapshot) => void = () => {}): ProjectSnapshot {
  const s: ProjectSnapshot = {
    projectKey: "DEMO",
    markerField: "Zephyr Key",
    rootModuleName: "DEMO",
    rootCycleName: "DEMO",
    modules: [
      { id: 1, name: "DEMO", parentId: null },
      { id: 2, name: "Login", parentId: 1 },
    ],
    listedModules: [1, 2],
    testCases: [{ id: 20, name: "Log in", moduleId: 2, marker: "DEMO-T1" }],
    cycles: [
      { id: 100, name: "DEMO", parent: { type: "root", id: 0 } },
      { id: 101, name: "Sprint", parent: { type: "test-cycle", id: 100 } },
    ],
    suites: [{ id: 200, name: "Regression", parent: { type: "test-cycle", id: 101 }, marker: "DEMO-R1" }],
    runs: [{ id: 300, name: "Log in", parent: { type: "test-suite", id: 200 }, testCaseId: 20, marker: "DEMO-R1/DEMO-T1" }],
    logs: [{ id: 400, runId: 300, marker: "DEMO-E1" }],
    releases: [],
    requirements: [],
    stateStore: true,
    state: {
      ...emptyState(),
      module: [
        { key: "root", targetId: 1 },
        { key: "folder:7", targetId: 2 },
      ],
      testCase: [{ key: "DEMO-T1", targetId: 20 }],
      testCycle: [
        { key: "root", targetId: 100 },
        { key: "folder:9", targetId: 101 },
      ],
      testSuite: [{ key: "DEMO-R1", targetId: 200 }],
      testRun: [{ key: "DEMO-R1/DEMO-T1", targetId: 300 }],
      testLog: [{ key: "5001", targetId: 400 }],
    },
  };
  change(s);
  return s;
}

const order = (plan: RollbackPlan) => plan.steps.map((step) => [step.type, step.objects.map((o) => o.id)]);
const kept = (plan: RollbackPlan) => plan.kept.map((k) => [k.type, k.id, k.reason]);

describe("planRollback", () => {
  it("deletes ZTOQ's objects children first, each after what it holds, its logs with its run", () => {
    const plan = planRollback(snapshot());
    expect(order(plan)).toEqual([
      ["testRun", [300]],
      ["testSuite", [200]],
      ["testCycle", [101]],
      ["testCycle", [100]],
      ["testCase", [20]],
      ["module", [2]],
      ["module", [1]],
    ]);
    const all = plan.steps.flatMap((step) => step.objects);
    const byId = (id: number) => all.find((o) => o.id === id);
    expect(byId(300)).toMatchObject({ stateKeys: ["DEMO-R1/DEMO-T1"], after: [] });
    expect(byId(300)?.with).toEqual([
      { type: "testLog", id: 400, name: "log #400", marker: "DEMO-E1", stateKeys: ["5001"], after: [], with: [] },
    ]);
    expect(byId(200)?.after).toEqual(["testRun:300"]);
    expect(byId(101)?.after).toEqual(["testSuite:200"]);
    expect(byId(100)?.after).toEqual(["testCycle:101"]);
    expect(byId(20)?.after).toEqual(["testRun:300"]);
    expect(byId(2)?.after).toEqual(["testCase:20"]);
    expect(byId(1)).toMatchObject({ after: ["module:2"], stateKeys: ["root"] });
    expect(plan.kept).toEqual([]);
    expect(plan.stale).toEqual([]);
  });

  it("leaves alone what carries no marker or is not recorded, and keeps every container above it, saying why", () => {
    const plan = planRollback(
      snapshot((s) => {
        // A module made by hand inside ZTOQ's, holding a case made by hand: it is no longer ZTOQ's for
        // sitting under ZTOQ's root.
        s.modules.push({ id: 3, name: "By hand", parentId: 2 });
        s.listedModules.push(3);
        s.testCases.push({ id: 21, name: "Hand case", moduleId: 3, marker: null });
        s.logs.push({ id: 401, runId: 300, marker: null });
      }),
    );
    expect(order(plan)).toEqual([]);
    expect(kept(plan)).toEqual([
      ["testLog", 401, "not made by ZTOQ: no 'Zephyr Key' value"],
      ["testRun", 300, "holds 1 test log that stays"],
      ["testSuite", 200, "holds 1 test run that stays"],
      ["testCycle", 101, "holds 1 test suite that stays"],
      ["testCycle", 100, "holds 1 test cycle that stays"],
      ["testCase", 20, "has 1 test run that stays: qTest deletes a test case's runs with it"],
      ["module", 3, "not made by ZTOQ: the state does not record it"],
      ["module", 2, "holds 1 module and 1 test case that stay"],
      ["module", 1, "holds 1 module that stays"],
    ]);
  });

  it("keeps a test case whose run made by hand sits anywhere in the project: qTest would delete that run with it", () => {
    const plan = planRollback(
      snapshot((s) => {
        s.cycles.push({ id: 150, name: "Team cycle", parent: { type: "root", id: 0 } });
        s.runs.push({ id: 350, name: "Log in", parent: { type: "test-cycle", id: 150 }, testCaseId: 20, marker: null });
      }),
    );
    expect(order(plan)).toEqual([
      ["testRun", [300]],
      ["testSuite", [200]],
      ["testCycle", [101]],
      ["testCycle", [100]],
    ]);
    expect(kept(plan)).toEqual([
      ["testRun", 350, "not made by ZTOQ: no 'Zephyr Key' value"],
      ["testCase", 20, "has 1 test run that stays: qTest deletes a test case's runs with it"],
      ["module", 2, "holds 1 test case that stays"],
      ["module", 1, "holds 1 module that stays"],
    ]);
    // The team's cycle is no concern of ZTOQ's: not deleted, not even listed.
    expect(plan.kept.some((k) => k.type === "testCycle")).toBe(false);
  });

  it("takes a container as ZTOQ's only when the state recorded it: renamed it goes, made by hand under the root it stays", () => {
    const plan = planRollback(
      snapshot((s) => {
        // ZTOQ's root module was renamed: its state still names it and its child.
        const root = s.modules[0];
        if (root) root.name = "Renamed";
        // A team module outside, not recorded, holding a case ZTOQ made (moved there by hand, still recorded).
        s.modules.push({ id: 5, name: "Team", parentId: null });
        s.testCases.push({ id: 25, name: "Moved", moduleId: 5, marker: "DEMO-T2" });
        s.state.testCase.push({ key: "DEMO-T2", targetId: 25 });
        // Under ZTOQ's root cycle, an empty cycle made by hand: nothing records it.
        s.cycles.push({ id: 102, name: "Empty", parent: { type: "test-cycle", id: 100 } });
      }),
    );
    expect(order(plan)).toEqual([
      ["testRun", [300]],
      ["testSuite", [200]],
      ["testCycle", [101]],
      ["testCase", [20, 25]],
      ["module", [2]],
      ["module", [1]],
    ]);
    expect(kept(plan)).toEqual([
      ["testCycle", 102, "not made by ZTOQ: the state does not record it"],
      ["testCycle", 100, "holds 1 test cycle that stays"],
    ]);
  });

  it("keeps a case made by hand that carries this project's marker, even a migrated case's, and what holds it", () => {
    const plan = planRollback(
      snapshot((s) => {
        s.testCases.push({ id: 26, name: "Copy of Log in", moduleId: 2, marker: "DEMO-T1" });
        // Elsewhere, one with a marker of this project's form no migration wrote: listed, not deleted.
        s.modules.push({ id: 7, name: "Team", parentId: null });
        s.testCases.push({ id: 27, name: "Typed by hand", moduleId: 7, marker: "DEMO-T99" });
      }),
    );
    const made = "not made by this migration: it carries this project's marker (DEMO), but the state does not record it";
    expect(kept(plan)).toEqual([
      ["testCase", 26, made],
      ["testCase", 27, made],
      ["module", 2, "holds 1 test case that stays"],
      ["module", 1, "holds 1 module that stays"],
    ]);
    expect(order(plan).at(-1)).toEqual(["testCase", [20]]);
  });

  it("never takes another project's objects, though they sit beside this one's and carry its own project's markers", () => {
    const plan = planRollback(
      snapshot((s) => {
        // Project QB migrated into the same qTest project: its own root module and test cycle, not in DEMO's state.
        s.modules.push({ id: 50, name: "QB", parentId: null });
        s.testCases.push({ id: 60, name: "QB case", moduleId: 50, marker: "QB-T1" });
        s.cycles.push({ id: 90, name: "QB", parent: { type: "root", id: 0 } });
        s.suites.push(
          { id: 80, name: "QB cycle", parent: { type: "test-cycle", id: 90 }, marker: "QB-R1" },
          { id: 81, name: "Ad hoc executions", parent: { type: "test-cycle", id: 90 }, marker: "QB-ad-hoc" },
        );
        s.runs.push(
          { id: 70, name: "QB case", parent: { type: "test-suite", id: 80 }, testCaseId: 60, marker: "QB-R1/QB-T1" },
          { id: 71, name: "QB case", parent: { type: "test-suite", id: 81 }, testCaseId: 60, marker: "ad-hoc/QB-T1" },
        );
        s.logs.push({ id: 500, runId: 70, marker: "QB-execution-50001" });
      }),
    );
    expect(order(plan)).toEqual(order(planRollback(snapshot())));
    expect(plan.kept).toEqual([]);
  });

  it("takes an earlier ZTOQ's 'ad-hoc' and 'execution-<id>' markers as this project's by the state's record of them", () => {
    const legacy = (recorded: boolean) =>
      planRollback(
        snapshot((s) => {
          s.suites.push({ id: 201, name: "Ad hoc executions", parent: { type: "test-cycle", id: 100 }, marker: "ad-hoc" });
          s.runs.push({
            id: 301,
            name: "Log in",
            parent: { type: "test-suite", id: 201 },
            testCaseId: 20,
            marker: "ad-hoc/DEMO-T1",
          });
          s.logs.push({ id: 402, runId: 301, marker: "execution-50001" });
          s.state.testRun.push({ key: "ad-hoc/DEMO-T1", targetId: 301 });
          if (recorded) {
            s.state.testSuite.push({ key: "ad-hoc", targetId: 201 });
            s.state.testLog.push({ key: "execution-50001", targetId: 402 });
          }
        }),
      );
    const all = legacy(true).steps.flatMap((step) =>
      step.objects.flatMap((o) => [`${o.type}:${o.id}`, ...o.with.map((w) => `${w.type}:${w.id}`)]),
    );
    expect(all).toEqual(expect.arrayContaining(["testRun:301", "testLog:402", "testSuite:201"]));
    expect(legacy(true).kept).toEqual([]);
    // Not recorded: another project migrated by an earlier ZTOQ may have made them, in this very place.
    const earlier =
      "not made by this migration: it carries an earlier ZTOQ's marker that names no project, but the state does not record it";
    expect(kept(legacy(false)).slice(0, 3)).toEqual([
      ["testLog", 402, earlier],
      ["testRun", 301, "holds 1 test log that stays"],
      ["testSuite", 201, earlier],
    ]);
  });

  it("forgets state records whose object is gone or never came to be, and keeps the others", () => {
    const plan = planRollback(
      snapshot((s) => {
        s.state.testCase.push({ key: "DEMO-T9", targetId: 999 }, { key: "DEMO-T10", targetId: null });
        s.state.testLog.push({ key: "5002", targetId: 498 });
      }),
    );
    expect(plan.stale).toEqual([
      { type: "testCase", key: "DEMO-T9" },
      { type: "testCase", key: "DEMO-T10" },
      { type: "testLog", key: "5002" },
    ]);
  });

  it("with an empty state nothing is ZTOQ's: what carries this project's marker is listed, kept, with why", () => {
    const plan = planRollback(
      snapshot((s) => {
        s.state = emptyState();
      }),
    );
    expect(order(plan)).toEqual([]);
    expect(kept(plan).map(([type, id]) => `${type}:${id}`)).toEqual(["testRun:300", "testSuite:200", "testCase:20"]);
  });

  it("without a state store goes by this project's markers, and keeps every module and test cycle under its roots", () => {
    const plan = planRollback(
      snapshot((s) => {
        s.stateStore = false;
        s.state = emptyState();
        // An earlier ZTOQ's ad-hoc suite in DEMO's root test cycle (its place ties it) and one elsewhere.
        s.suites.push({ id: 201, name: "Ad hoc executions", parent: { type: "test-cycle", id: 100 }, marker: "ad-hoc" });
        s.runs.push({
          id: 301,
          name: "Log in",
          parent: { type: "test-suite", id: 201 },
          testCaseId: 20,
          marker: "ad-hoc/DEMO-T1",
        });
        s.logs.push({ id: 402, runId: 301, marker: "execution-50001" });
        s.cycles.push({ id: 150, name: "Team cycle", parent: { type: "root", id: 0 } });
        s.suites.push({ id: 202, name: "Ad hoc executions", parent: { type: "test-cycle", id: 150 }, marker: "ad-hoc" });
        // Another project's case.
        s.testCases.push({ id: 60, name: "QB case", moduleId: 2, marker: "QB-T1" });
      }),
    );
    expect(order(plan)).toEqual([
      ["testRun", [300, 301]],
      ["testSuite", [200, 201]],
      ["testCase", [20]],
    ]);
    expect(plan.steps[0]?.objects.find((o) => o.id === 301)?.with.map((w) => w.id)).toEqual([402]);
    const noState = "no state store: only the state tells the modules and test cycles ZTOQ made from those made by hand";
    expect(kept(plan)).toEqual([
      ["testSuite", 202, "no state store, and its marker 'ad-hoc' (an earlier ZTOQ's) names no project: nothing ties it to DEMO"],
      ["testCycle", 101, noState],
      ["testCycle", 100, noState],
      ["module", 2, noState],
      ["module", 1, noState],
    ]);
  });
});

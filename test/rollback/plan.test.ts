/**
 * The rollback plan, a pure function of what was read: which objects are ZTOQ's, what stays because
 * of what it holds, and the order of the deletions.
 */
import { describe, expect, it } from "vitest";
import { planRollback, type RollbackPlan } from "../../src/rollback/plan.js";
import { emptyState, type ProjectSnapshot } from "../../src/rollback/snapshot.js";

/**
 * ZTOQ's area: module 1 "DEMO" ⊃ 2 "Login" ⊃ case 20 (DEMO-T1); cycle 100 "DEMO" ⊃ 101 "Sprint"
 * ⊃ suite 200 (DEMO-R1) ⊃ run 300 (DEMO-R1/DEMO-T1) with log 400 (DEMO-E1). All recorded.
 */
function snapshot(change: (s: ProjectSnapshot) => void = () => {}): ProjectSnapshot {
  const s: ProjectSnapshot = {
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

  it("leaves alone what carries no marker, and keeps every container above it, saying why", () => {
    const plan = planRollback(
      snapshot((s) => {
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
      ["testCase", 21, "not made by ZTOQ: no 'Zephyr Key' value"],
      ["module", 3, "holds 1 test case that stays"],
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

  it("takes modules and cycles as ZTOQ's when recorded or under its roots; elsewhere only marked objects go", () => {
    const plan = planRollback(
      snapshot((s) => {
        // ZTOQ's root module was renamed: its state still names it and its child.
        const root = s.modules[0];
        if (root) root.name = "Renamed";
        // A team module outside, not recorded, holding a case ZTOQ made (moved there by hand).
        s.modules.push({ id: 5, name: "Team", parentId: null });
        s.testCases.push({ id: 25, name: "Moved", moduleId: 5, marker: "DEMO-T2" });
        // Under ZTOQ's root cycle, an empty cycle nobody recorded: under the root, holding only ZTOQ's things.
        s.cycles.push({ id: 102, name: "Empty", parent: { type: "test-cycle", id: 100 } });
      }),
    );
    expect(order(plan)).toEqual([
      ["testRun", [300]],
      ["testSuite", [200]],
      ["testCycle", [101, 102]],
      ["testCycle", [100]],
      ["testCase", [20, 25]],
      ["module", [2]],
      ["module", [1]],
    ]);
    expect(plan.kept).toEqual([]);
  });

  it("does not touch a module outside ZTOQ's root that no state records, and names it where it holds one back", () => {
    const plan = planRollback(
      snapshot((s) => {
        // A module made by hand inside ZTOQ's recorded module, outside any root of ZTOQ's name.
        const root = s.modules[0];
        if (root) root.name = "Renamed";
        s.modules.push({ id: 6, name: "Hand", parentId: 2 });
        s.listedModules.push(6);
      }),
    );
    expect(kept(plan)).toEqual([
      ["module", 6, "not made by ZTOQ: neither in its state nor under its root"],
      ["module", 2, "holds 1 module that stays"],
      ["module", 1, "holds 1 module that stays"],
    ]);
    expect(order(plan).at(-1)).toEqual(["testCase", [20]]);
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

  it("with no marker field in the project, nothing is ZTOQ's but empty containers under its roots", () => {
    const plan = planRollback(
      snapshot((s) => {
        for (const list of [s.testCases, s.suites, s.runs, s.logs]) for (const o of list) o.marker = null;
        s.state = emptyState();
      }),
    );
    expect(order(plan)).toEqual([]);
    expect(kept(plan).map(([type, id]) => `${type}:${id}`)).toEqual([
      "testSuite:200",
      "testCycle:101",
      "testCycle:100",
      "testCase:20",
      "module:2",
      "module:1",
    ]);
  });
});

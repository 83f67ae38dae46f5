import { describe, expect, it } from "vitest";
import { generateProject } from "../../src/mock/dataset/generate.js";
import { snapshotSchema } from "../../src/zephyr/snapshot.js";

describe("generated Zephyr project", () => {
  const project = generateProject({ testCases: 400, seed: 42 });

  it("is a valid snapshot of about the requested size", () => {
    expect(snapshotSchema.safeParse(project).success).toBe(true);
    expect(project.testCases).toHaveLength(400);
    expect(new Set(project.testCases.map((t) => t.key)).size).toBe(400);
    expect(new Set(project.testExecutions.map((e) => e.id)).size).toBe(project.testExecutions.length);
  });

  it("is the same for the same seed and different for another", () => {
    expect(generateProject({ testCases: 400, seed: 42 })).toEqual(project);
    expect(generateProject({ testCases: 400, seed: 43 }).testCases.map((t) => t.name)).not.toEqual(
      project.testCases.map((t) => t.name),
    );
  });

  it("has nested, deep and empty folders", () => {
    const folders = project.folders;
    const depth = (id: number | null | undefined): number => {
      const folder = folders.find((f) => f.id === id);
      return folder ? 1 + depth(folder.parentId) : 0;
    };
    expect(Math.max(...folders.map((f) => depth(f.id)))).toBeGreaterThanOrEqual(6);
    const used = new Set(project.testCases.map((t) => t.folder?.id));
    const parents = new Set(folders.map((f) => f.parentId));
    const emptyLeaves = folders.filter((f) => f.folderType === "TEST_CASE" && !used.has(f.id) && !parents.has(f.id));
    expect(emptyLeaves.length).toBeGreaterThan(0);
    expect(folders.some((f) => f.folderType === "TEST_CYCLE")).toBe(true);
  });

  it("has step counts from none to over 100, call-to-test steps and both script kinds", () => {
    const counts = Object.values(project.testSteps).map((steps) => steps.length);
    expect(Math.min(...counts)).toBe(0);
    expect(Math.max(...counts)).toBeGreaterThan(100);
    expect(Math.max(...counts)).toBeLessThanOrEqual(150);
    const calls = Object.values(project.testSteps)
      .flat()
      .filter((s) => s.testCase);
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) expect(project.testSteps[call.testCase?.testCaseKey ?? ""]?.length).toBeGreaterThan(0);
    expect(calls.some((c) => (c.testCase?.parameters ?? []).length > 0)).toBe(true);
    const scripts = Object.values(project.testScripts);
    expect(scripts.some((s) => s.type === "plain")).toBe(true);
    expect(scripts.some((s) => s.type === "bdd" && s.text.includes("Scenario"))).toBe(true);
    for (const key of Object.keys(project.testScripts)) expect(project.testSteps[key]).toBeUndefined();
  });

  it("has custom field values of every shape, unicode and HTML text", () => {
    const values = project.testCases.flatMap((t) => Object.values(t.customFields ?? {}));
    expect(values.some((v) => typeof v === "number" && Number.isInteger(v))).toBe(true);
    expect(values.some((v) => typeof v === "number" && !Number.isInteger(v))).toBe(true);
    expect(values.some((v) => typeof v === "boolean")).toBe(true);
    expect(values.some((v) => Array.isArray(v) && v.length > 0)).toBe(true);
    expect(values.some((v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v))).toBe(true);
    expect(values.some((v) => typeof v === "string" && v.includes("<br>"))).toBe(true);
    expect(values.some((v) => v === null)).toBe(true);
    const text = project.testCases.map((t) => `${t.name} ${t.objective ?? ""}`).join(" ");
    expect(text).toMatch(/[\u0600-\u06ff]/); // Arabic, right to left
    expect(text).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/); // Japanese or Chinese
    expect(text).toMatch(/<(p|br|ul|a) ?/);
    expect(text).toMatch(/&amp;|&lt;/);
  });

  it("has cycles in and outside folders, repeated executions and executions outside any cycle", () => {
    expect(project.testCycles.some((c) => c.folder)).toBe(true);
    expect(project.testCycles.some((c) => !c.folder)).toBe(true);
    expect(project.testExecutions.some((e) => !e.testCycle)).toBe(true);
    const perCycleAndCase = new Map<string, number>();
    for (const e of project.testExecutions) {
      if (!e.testCycle) continue;
      const key = `${e.testCycle.id}/${e.testCase.id}`;
      perCycleAndCase.set(key, (perCycleAndCase.get(key) ?? 0) + 1);
    }
    expect(Math.max(...perCycleAndCase.values())).toBeGreaterThanOrEqual(2);
    const withSteps = Object.values(project.testExecutionSteps).filter((steps) => steps.length > 0);
    expect(withSteps.length).toBeGreaterThan(0);
    expect(withSteps.flat().every((s) => s.inline.status?.id)).toBe(true);
  });
});

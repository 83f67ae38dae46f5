import { describe, expect, it } from "vitest";
import type { TestExecution } from "../zephyr/schemas.js";
import { adHocSuiteMarker, executionMarker, isProjectMarker, legacyMarkerOf, markerOwner, runKey } from "./markers.js";

const execution = (key: string | null, id = 7) =>
  ({ id, key, testCase: { id: 1, self: "https://x/v2/testcases/QA-T1/versions/1" } }) as unknown as TestExecution;

describe("markers", () => {
  it("name their Zephyr project, the two that carry no Zephyr key included", () => {
    expect(adHocSuiteMarker("QA")).toBe("QA-ad-hoc");
    expect(executionMarker(execution("QA-E3"), "QA")).toBe("QA-E3");
    expect(executionMarker(execution(null, 50001), "QA")).toBe("QA-execution-50001");
    expect(executionMarker(execution(null, 50001), "QB")).toBe("QB-execution-50001");
    expect(runKey("QA-R1", "QA-T1")).toBe("QA-R1/QA-T1");
    expect(runKey(null, "QA-T1")).toBe("ad-hoc/QA-T1");
  });

  it("read the project every form names, and tell an earlier ZTOQ's unscoped ones and values typed by hand apart", () => {
    for (const marker of ["QA-T1", "QA-R12", "QA-E3", "QA-ad-hoc", "QA-execution-9", "QA-R1/QA-T1", "ad-hoc/QA-T1"]) {
      expect({ marker, owner: markerOwner(marker) }).toEqual({ marker, owner: { kind: "project", projectKey: "QA" } });
    }
    expect(markerOwner("MY_PROJ2-T1")).toEqual({ kind: "project", projectKey: "MY_PROJ2" });
    expect(markerOwner(" QB-T1 ")).toEqual({ kind: "project", projectKey: "QB" });
    for (const marker of ["ad-hoc", "execution-9"]) expect(markerOwner(marker)).toEqual({ kind: "legacy" });
    // A Jira project key is capitals: `ad` or `execution` never name one.
    for (const marker of ["hello", "qa-T1", "Q-T1", "QA-", "QA", "ad-hoc/", "execution-x", "x/ad-hoc"]) {
      expect({ marker, owner: markerOwner(marker) }).toEqual({ marker, owner: { kind: "unknown" } });
    }
  });

  it("map a marker to the form an earlier ZTOQ gave the same object, where it had another", () => {
    expect(legacyMarkerOf("QA-ad-hoc")).toBe("ad-hoc");
    expect(legacyMarkerOf("QA-execution-50001")).toBe("execution-50001");
    for (const marker of ["QA-T1", "QA-R1", "QA-E1", "ad-hoc/QA-T1", "QA-R1/QA-T1", "ad-hoc", "execution-5"]) {
      expect({ marker, legacy: legacyMarkerOf(marker) }).toEqual({ marker, legacy: undefined });
    }
  });

  it("take a marker as a project's when it names that project, or is an earlier ZTOQ's and something ties it there", () => {
    expect(isProjectMarker("QA-T1", "QA", false)).toBe(true);
    expect(isProjectMarker("ad-hoc/QA-T1", "QA", false)).toBe(true);
    expect(isProjectMarker("QA-ad-hoc", "QA", false)).toBe(true);
    expect(isProjectMarker("QB-ad-hoc", "QA", true)).toBe(false);
    expect(isProjectMarker("QB-R1/QB-T1", "QA", true)).toBe(false);
    expect(isProjectMarker("ad-hoc", "QA", false)).toBe(false);
    expect(isProjectMarker("ad-hoc", "QA", true)).toBe(true);
    expect(isProjectMarker("execution-5", "QA", false)).toBe(false);
    expect(isProjectMarker("execution-5", "QA", true)).toBe(true);
    expect(isProjectMarker("hello", "QA", true)).toBe(false);
  });
});

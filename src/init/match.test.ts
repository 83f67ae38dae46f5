import { describe, expect, it } from "vitest";
import { closeEnough, observedMatch, proposeMatch } from "./match.js";

const choices = (...labels: string[]) => labels.map((label, i) => ({ id: String(700 + i), label }));

describe("proposing a target value", () => {
  const priorities = choices("Urgent", "High", "Medium", "Low");

  it("takes the same name in any case before anything else", () => {
    const match = proposeMatch("high", priorities);
    expect(match).toMatchObject({ how: "same", target: { label: "High" } });
    expect(match.alternatives).toHaveLength(3);
    expect(match.alternatives).not.toContain("High");
  });

  it("takes a known synonym", () => {
    expect(proposeMatch("Critical", priorities)).toMatchObject({ how: "synonym", target: { label: "Urgent" } });
    expect(proposeMatch("Normal", priorities)).toMatchObject({ how: "synonym", target: { label: "Medium" } });
  });

  it("takes a close spelling, and lists the others nearest first", () => {
    const match = proposeMatch("Cancelled", choices("Done", "Canceled", "Cancel Pending"));
    expect(match).toMatchObject({ how: "close", target: { label: "Canceled" } });
    expect(match.alternatives[0]).toBe("Cancel Pending");
    expect(proposeMatch("In-Progress", choices("New", "In Progress"))).toMatchObject({ how: "close" });
  });

  it("leaves a value with nothing close unmatched, unless the closest is required", () => {
    const suiteStatuses = choices("New", "In Progress", "Done");
    expect(proposeMatch("Not Executed", suiteStatuses)).toMatchObject({ how: "none" });
    expect(proposeMatch("Not Executed", suiteStatuses).target).toBeUndefined();
    expect(proposeMatch("Not Executed", suiteStatuses).alternatives).toHaveLength(3);
    expect(proposeMatch("Retest", choices("Passed", "Failed", "Blocked"), { forceClosest: true })).toMatchObject({
      how: "closest",
    });
    expect(proposeMatch("Anything", [], { forceClosest: true })).toMatchObject({ how: "none", alternatives: [] });
  });

  it("does not take short names a third apart for each other", () => {
    expect(closeEnough("Low", "New")).toBe(false);
    expect(closeEnough("Hi", "High")).toBe(false);
    expect(closeEnough("Blockd", "Blocked")).toBe(true);
    expect(closeEnough("Approved", "Approve")).toBe(true);
    expect(closeEnough("Deprecated", "Depreciated")).toBe(true);
    expect(closeEnough("Draft", "Done")).toBe(false);
  });

  it("takes what a migration wrote only while qTest still allows it", () => {
    const statuses = choices("New", "In Progress", "Done");
    expect(observedMatch("new", statuses, "Not Executed")).toMatchObject({ how: "observed", target: { label: "New" } });
    expect(observedMatch("Archived", statuses, "Not Executed")).toBeUndefined();
  });
});

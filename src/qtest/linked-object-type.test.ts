import { describe, expect, it } from "vitest";
import { classifyLinkedArtifacts, linkedObjectType } from "./linked-object-type.js";

const web = (tab: string, object: number, id: number) =>
  `https://site.qtestnet.com/p/1/portal/project#tab=${tab}&object=${object}&id=${id}`;

describe("the type of a linked qTest object", () => {
  it("reads object=N in the web URL's fragment: 1 test case, 3 test run, 5 requirement, 8 release", () => {
    expect(linkedObjectType({ self: web("testdesign", 1, 7) })).toBe("test-cases");
    expect(linkedObjectType({ self: web("testexecution", 3, 7) })).toBe("test-runs");
    expect(linkedObjectType({ self: web("requirements", 5, 7) })).toBe("requirements");
    expect(linkedObjectType({ self: web("testplan", 8, 7) })).toBe("releases");
    // Where `object` stands in the fragment does not matter.
    expect(linkedObjectType({ self: "https://s/p/1/portal/project#object=5&tab=requirements&id=2" })).toBe("requirements");
  });

  it("falls back to the pid prefix when the URL says nothing it knows, and the URL wins when they differ", () => {
    expect(linkedObjectType({ pid: "TC-12" })).toBe("test-cases");
    expect(linkedObjectType({ pid: "TR-3", self: "https://s/p/1/portal/project" })).toBe("test-runs");
    expect(linkedObjectType({ pid: "rq-4", self: null })).toBe("requirements");
    expect(linkedObjectType({ pid: "RL-1", self: web("defects", 6, 1) })).toBe("releases");
    expect(linkedObjectType({ pid: "TC-1", self: web("requirements", 5, 1) })).toBe("requirements");
  });

  it("is 'other' for what neither names: a defect, an unknown object number, a query-string object, nothing", () => {
    expect(linkedObjectType({ pid: "DF-9", self: web("defects", 6, 9) })).toBe("other");
    expect(linkedObjectType({ pid: "PROJ-12" })).toBe("other");
    expect(linkedObjectType({ self: "https://s/p/1/portal/project?object=1" })).toBe("other");
    expect(linkedObjectType({ pid: "TC-" })).toBe("other");
    expect(linkedObjectType({})).toBe("other");
  });

  it("types every object of a container; a container without objects holds none", () => {
    const container = {
      id: 1,
      pid: "RQ-1",
      objects: [
        { id: 2, pid: "TC-2", link_type: "is_covered_by", self: web("testdesign", 1, 2) },
        { id: 3, pid: "DF-3" },
      ],
    };
    expect(classifyLinkedArtifacts(container).objects.map((o) => [o.id, o.objectType])).toEqual([
      [2, "test-cases"],
      [3, "other"],
    ]);
    expect(classifyLinkedArtifacts({ id: 4, pid: "RQ-4", objects: null }).objects).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { surplusContainers, type TreeNode } from "./surplus-containers.js";

const node = (id: number, name: string, ...children: TreeNode[]): TreeNode => ({ id, name, children });

describe("surplusContainers", () => {
  it("takes the unrecorded namesakes of recorded containers, with their subtrees, deepest first", () => {
    const roots = [
      node(1, "QA", node(2, "Login", node(3, "Deep")), node(4, "Login", node(5, "Deep")), node(6, "Made by hand")),
      node(7, "QA", node(8, "Login")),
      node(9, "Another project"),
    ];
    const surplus = surplusContainers(roots, new Set([1, 2, 3]));
    expect(surplus.map((n) => n.id)).toEqual([5, 4, 8, 7]);
  });

  it("leaves a tree whose every container is recorded, and containers named unlike any recorded sibling", () => {
    const roots = [node(1, "QA", node(2, "Login"), node(3, "Checkout")), node(4, "QB", node(5, "Login"))];
    expect(surplusContainers(roots, new Set([1, 2, 3]))).toEqual([]);
  });
});

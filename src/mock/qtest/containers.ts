import type { z } from "zod";
import type { parentTypeSchema } from "../../qtest/schemas.js";
import { QTestApiError } from "./errors.js";
import type { Site } from "./site.js";
import { type Ref, ROOT } from "./tree.js";

/*
 * qTest's `parentId`/`parentType` query parameters, read into a place in the execution tree.
 * Test cycles and suites sit under the root, a release or a test cycle; runs also under a suite.
 */

export type ParentType = z.infer<typeof parentTypeSchema>;
export type CycleParentType = Exclude<ParentType, "test-suite">;

/** Where a listing of cycles or suites looks: the Swagger's `parentId` 0 means "directly under root". */
export function cycleListParent(site: Site, parentId: number | undefined, parentType: string | undefined): Ref {
  const type = cycleParentType(parentType ?? (parentId ? "test-cycle" : "root"));
  const parent = type === "root" ? 0 : (parentId ?? 0);
  if (type === "test-cycle") site.records.testCycles.get(parent);
  return type === "root" ? ROOT : { type, id: parent };
}

/** Where a cycle or suite is created or moved to; the mock has no releases, so a release parent is a 404. */
export function cycleContainer(site: Site, parentId: number | undefined, parentType: string | undefined): Ref {
  const type = cycleParentType(parentType ?? (parentId ? "test-cycle" : "root"));
  if (type === "release") throw new QTestApiError(404, `Release ${parentId} does not exist.`);
  if (type === "test-cycle") site.records.testCycles.get(parentId ?? 0);
  return type === "root" ? ROOT : { type, id: parentId ?? 0 };
}

/** Where a listing of runs looks; without a type, a `parentId` names a suite. */
export function runListParent(site: Site, parentId: number | undefined, parentType: string | undefined): Ref {
  const type = (parentType ?? (parentId ? "test-suite" : "root")) as ParentType;
  if (!["root", "release", "test-cycle", "test-suite"].includes(type)) {
    throw new QTestApiError(400, `parentType '${parentType}' must be root, release, test-cycle or test-suite.`);
  }
  const parent = type === "root" ? 0 : (parentId ?? 0);
  if (type === "test-suite") site.records.testSuites.get(parent);
  if (type === "test-cycle") site.records.testCycles.get(parent);
  return type === "root" ? ROOT : { type, id: parent };
}

/** Where a run is created: the root unless a type says otherwise. */
export function runContainer(site: Site, parentId: number | undefined, parentType: string | undefined): Ref {
  const type = (parentType ?? "root") as ParentType;
  const parent = type === "root" ? 0 : (parentId ?? 0);
  if (type === "test-suite") site.records.testSuites.get(parent);
  else if (type === "test-cycle") site.records.testCycles.get(parent);
  else if (type !== "root") throw new QTestApiError(400, `parentType '${parentType}' cannot hold test runs.`);
  return type === "root" ? ROOT : { type, id: parent };
}

/** Where a run is moved to: a suite unless a type says otherwise. */
export function runDestination(site: Site, parentId: number | undefined, parentType: string | undefined): Ref {
  const type = (parentType ?? "test-suite") as ParentType;
  if (type === "test-suite") site.records.testSuites.get(parentId ?? 0);
  else if (type === "test-cycle") site.records.testCycles.get(parentId ?? 0);
  return type === "root" ? ROOT : { type, id: parentId ?? 0 };
}

function cycleParentType(parentType: string): CycleParentType {
  if (parentType === "root" || parentType === "release" || parentType === "test-cycle") return parentType;
  throw new QTestApiError(400, `parentType '${parentType}' must be root, release or test-cycle.`);
}

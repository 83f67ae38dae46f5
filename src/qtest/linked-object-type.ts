/**
 * What kind of qTest object a linked artifact is. `GET /linked-artifacts` names each linked object by
 * id, pid and `self` (its web URL) but not by type; the web URL's `object=N` says it (1 test case,
 * 3 test run, 5 requirement, 8 release: the `web_url` examples of the Swagger's resources), and the
 * pid prefix is the fallback (TC-, TR-, RQ-, RL-). See docs/api-notes.md Q12.
 */
import type { LinkedArtifact, LinkedArtifactContainer } from "./schemas.js";

export type LinkedObjectType = "test-cases" | "requirements" | "test-runs" | "releases" | "other";

/** A linked object with its type worked out. */
export type ClassifiedLinkedArtifact = LinkedArtifact & { objectType: LinkedObjectType };

/** One asked-for object and what is linked to it; `objects` is empty when nothing is. */
export type LinkedArtifacts = Pick<LinkedArtifactContainer, "id" | "pid"> & { objects: ClassifiedLinkedArtifact[] };

const BY_OBJECT_NUMBER: Record<string, LinkedObjectType> = {
  "1": "test-cases",
  "3": "test-runs",
  "5": "requirements",
  "8": "releases",
};

const BY_PID_PREFIX: Record<string, LinkedObjectType> = {
  TC: "test-cases",
  TR: "test-runs",
  RQ: "requirements",
  RL: "releases",
};

/** The type from `self`'s `#…&object=N`, else from the pid prefix, else "other". */
export function linkedObjectType(object: {
  self?: string | null | undefined;
  pid?: string | null | undefined;
}): LinkedObjectType {
  const fromSelf = objectNumberOf(object.self);
  const bySelf = fromSelf === undefined ? undefined : BY_OBJECT_NUMBER[fromSelf];
  if (bySelf) return bySelf;
  const prefix = /^([A-Za-z]+)-\d+$/.exec(object.pid?.trim() ?? "")?.[1]?.toUpperCase();
  return (prefix && BY_PID_PREFIX[prefix]) || "other";
}

export function classifyLinkedArtifacts(container: LinkedArtifactContainer): LinkedArtifacts {
  const objects = (container.objects ?? []).map((object) => ({ ...object, objectType: linkedObjectType(object) }));
  return { ...container, objects };
}

/** `object` in the fragment of a qTest web URL (`…/portal/project#tab=testdesign&object=1&id=7`). */
function objectNumberOf(self: string | null | undefined): string | undefined {
  if (!self) return undefined;
  const hash = self.indexOf("#");
  if (hash < 0) return undefined;
  return new URLSearchParams(self.slice(hash + 1)).get("object") ?? undefined;
}

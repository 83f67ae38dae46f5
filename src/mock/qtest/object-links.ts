import { QTestApiError } from "./errors.js";
import { portalUrl, type Site } from "./site.js";

/** The object types a link may start from (`linkArtifacts`' `objectType`). */
export const LINK_SOURCE_TYPES = ["releases", "builds", "requirements", "test-logs", "test-steps"] as const;
/** The object types a link may reach (`type`), and those `/linked-artifacts` answers for. */
export const LINK_TARGET_TYPES = [
  "releases",
  "builds",
  "requirements",
  "test-cases",
  "test-runs",
  "test-logs",
  "test-steps",
  "defects",
] as const;
export type LinkTargetType = (typeof LINK_TARGET_TYPES)[number];

/** The kinds of object the mock can link; others are accepted by name and hold nothing. */
type Linkable = "releases" | "requirements" | "test-cases" | "test-runs";

/** ZTOQ sends at most 100 ids a call; the mock holds it to that (docs/mock-fidelity.md). */
export const MAX_LINK_IDS = 100;

interface End {
  type: Linkable;
  id: number;
}

/** A link is one edge seen from both ends; `from` is the end it was made from. */
interface Edge {
  from: End;
  to: End;
}

export interface LinkedArtifactContainer {
  id: number;
  pid: string;
  objects: { id: number; pid: string; link_type: string; self: string }[];
}

/**
 * qTest's object links (the `object-link` API). Symmetric: a requirement linked to a test case lists
 * the case (`is_covered_by`) and the case lists the requirement (`covers`); every other pair reads
 * `relates_to` from the end it was made from and `is_related_to` from the other. Linking again what is
 * linked, from either end, changes nothing; ids the mock cannot resolve are ignored, as qTest ignores
 * "objects that cannot be linked".
 */
export class ObjectLinks {
  readonly #site: Site;
  readonly #edges = new Map<string, Edge>();

  constructor(site: Site) {
    this.#site = site;
    // Whatever goes away takes its links with it, wherever it sat.
    site.tree.onRemove("test-case", (id) => this.removeAll({ type: "test-cases", id }));
    site.tree.onRemove("test-run", (id) => this.removeAll({ type: "test-runs", id }));
    site.tree.onRemove("requirement", (id) => this.removeAll({ type: "requirements", id }));
  }

  /** `POST /{objectType}/{objectId}/link?type=`: the source and its links of that type. */
  link(sourceType: string, sourceId: number, targetType: string, ids: readonly number[]): LinkedArtifactContainer[] {
    const source = this.#source(sourceType, sourceId, targetType, ids);
    for (const id of ids) {
      const target = { type: targetType as Linkable, id };
      if (!this.#exists(target) || sameEnd(source, target) || this.#edges.has(edgeKey(source, target))) continue;
      this.#edges.set(edgeKey(source, target), { from: source, to: target });
    }
    return [this.#container(source, targetType)];
  }

  /** `DELETE /{objectType}/{objectId}/link?type=`: removes those links, from whichever end they were made. */
  unlink(sourceType: string, sourceId: number, targetType: string, ids: readonly number[]): void {
    const source = this.#source(sourceType, sourceId, targetType, ids);
    for (const id of ids) this.#edges.delete(edgeKey(source, { type: targetType as Linkable, id }));
  }

  /** `GET /linked-artifacts?type=&ids=`: one container per id that exists, with all its links. */
  linkedArtifacts(type: string, ids: readonly number[]): LinkedArtifactContainer[] {
    if (!(LINK_TARGET_TYPES as readonly string[]).includes(type)) {
      throw new QTestApiError(400, `type '${type}' must be one of ${LINK_TARGET_TYPES.join(", ")}.`);
    }
    return ids
      .map((id) => ({ type: type as Linkable, id }))
      .filter((end) => this.#exists(end))
      .map((end) => this.#container(end));
  }

  /** Every link of an object that is going away. */
  removeAll(end: End): void {
    for (const [key, edge] of this.#edges) if (sameEnd(edge.from, end) || sameEnd(edge.to, end)) this.#edges.delete(key);
  }

  /** How many links there are, for tests. */
  get size(): number {
    return this.#edges.size;
  }

  #source(sourceType: string, sourceId: number, targetType: string, ids: readonly number[]): End {
    if (!(LINK_SOURCE_TYPES as readonly string[]).includes(sourceType)) {
      throw new QTestApiError(400, `objectType '${sourceType}' must be one of ${LINK_SOURCE_TYPES.join(", ")}.`);
    }
    if (!(LINK_TARGET_TYPES as readonly string[]).includes(targetType)) {
      throw new QTestApiError(400, `type '${targetType}' must be one of ${LINK_TARGET_TYPES.join(", ")}.`);
    }
    if (ids.length > MAX_LINK_IDS) throw new QTestApiError(400, `At most ${MAX_LINK_IDS} ids may be linked in one request.`);
    if (sourceType !== "requirements" && sourceType !== "releases") {
      throw new QTestApiError(400, `The mock links from requirements and releases only, not from ${sourceType}.`);
    }
    const source = { type: sourceType, id: sourceId } as const;
    if (!this.#exists(source)) {
      throw new QTestApiError(404, `${sourceType === "requirements" ? "Requirement" : "Release"} ${sourceId} does not exist.`);
    }
    return source;
  }

  #exists(end: End): boolean {
    const { records } = this.#site;
    const collection = {
      releases: records.releases,
      requirements: records.requirements,
      "test-cases": records.testCases,
      "test-runs": records.testRuns,
    }[end.type];
    return collection?.has(end.id) ?? false;
  }

  #container(end: End, onlyType?: string): LinkedArtifactContainer {
    const objects: LinkedArtifactContainer["objects"] = [];
    for (const edge of this.#edges.values()) {
      const mine = sameEnd(edge.from, end) ? "from" : sameEnd(edge.to, end) ? "to" : undefined;
      if (!mine) continue;
      const other = mine === "from" ? edge.to : edge.from;
      if (onlyType !== undefined && other.type !== onlyType) continue;
      objects.push({ id: other.id, pid: this.#pid(other), link_type: linkType(end, other, mine), self: this.#self(other) });
    }
    return { id: end.id, pid: this.#pid(end), objects };
  }

  #pid(end: End): string {
    const { records } = this.#site;
    const record = {
      releases: records.releases,
      requirements: records.requirements,
      "test-cases": records.testCases,
      "test-runs": records.testRuns,
    }[end.type].find(end.id);
    return record?.pid ?? "";
  }

  /** The linked object's web URL, as qTest gives it. */
  #self(end: End): string {
    const tab = {
      "test-cases": "testdesign&object=1",
      requirements: "requirements&object=5",
      "test-runs": "testexecution&object=3",
      releases: "testplan&object=8",
    }[end.type];
    return portalUrl(this.#site, `project#tab=${tab}&id=${end.id}`);
  }
}

/** Requirement–test case is coverage; every other pair is a plain relation, directed by who made it. */
function linkType(self: End, other: End, mine: "from" | "to"): string {
  if (self.type === "requirements" && other.type === "test-cases") return "is_covered_by";
  if (self.type === "test-cases" && other.type === "requirements") return "covers";
  return mine === "from" ? "relates_to" : "is_related_to";
}

function sameEnd(a: End, b: End): boolean {
  return a.type === b.type && a.id === b.id;
}

/** One key for a pair, whichever end it is read from. */
function edgeKey(a: End, b: End): string {
  const [first, second] = [`${a.type}:${a.id}`, `${b.type}:${b.id}`].sort();
  return `${first}|${second}`;
}

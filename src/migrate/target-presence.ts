import type { RecordedType } from "../entity-types.js";
import type { QTestClient } from "../qtest/client.js";
import type { Module, TestCycle } from "../qtest/schemas.js";
import type { EntityRecord, StateStore } from "../state/store.js";

/** Where a container or suite is in qTest: its name and its parent (null: the top level). */
export interface Placed {
  name: string;
  parentId: number | null;
}

/** The types whose every object the run reads at its start: two requests, whatever the project's size. */
const TRACKED = ["module", "testCycle", "testSuite"] as const;
type Tracked = (typeof TRACKED)[number];

/**
 * The containers qTest holds (modules, test cycles, suites), read once when a run starts: the module
 * tree and the test cycle tree (suites included), one request each. The state is a cache of the
 * target, and a person may delete in qTest what the state records: a record older than this read
 * whose object is not in it is gone, and the run puts it back instead of writing under it (which
 * would fail with a 404 on every run). Test cases, runs and logs are too many to read each run: they
 * are found gone when an update answers 404, when their container was put back, or when a phase
 * looks (`lost`).
 */
export class TargetPresence {
  readonly #objects: Record<Tracked, Map<number, Placed>>;
  readonly #readAt: number;
  /** Objects of any type found gone during the run (a read answered 404): `type:id`. */
  readonly #lost = new Set<string>();

  private constructor(objects: Record<Tracked, Map<number, Placed>>, readAt: number) {
    this.#objects = objects;
    this.#readAt = readAt;
  }

  static async read(qtest: QTestClient): Promise<TargetPresence> {
    const readAt = Date.now();
    const [modules, cycles] = await Promise.all([qtest.moduleTree(), qtest.testCycleTree()]);
    const objects: Record<Tracked, Map<number, Placed>> = { module: new Map(), testCycle: new Map(), testSuite: new Map() };
    const walkModules = (nodes: readonly Module[], parentId: number | null) => {
      for (const m of nodes) {
        objects.module.set(m.id, { name: m.name, parentId });
        walkModules(m.children ?? [], m.id);
      }
    };
    const walkCycles = (nodes: readonly TestCycle[], parentId: number | null) => {
      for (const c of nodes) {
        objects.testCycle.set(c.id, { name: c.name, parentId });
        for (const s of c["test-suites"] ?? []) objects.testSuite.set(s.id, { name: s.name, parentId: c.id });
        walkCycles(c["test-cycles"] ?? [], c.id);
      }
    };
    walkModules(modules, null);
    walkCycles(cycles, null);
    return new TargetPresence(objects, readAt);
  }

  /** Nothing read, nothing known gone: what a test of the protocol alone starts from. */
  static unknown(): TargetPresence {
    return new TargetPresence({ module: new Map(), testCycle: new Map(), testSuite: new Map() }, Number.NEGATIVE_INFINITY);
  }

  /** Where qTest held the object when the run started; undefined when it did not hold it, or the type is not read. */
  placed(type: RecordedType, id: number): Placed | undefined {
    return isTracked(type) ? this.#objects[type].get(id) : undefined;
  }

  /** Whether a record names an object qTest no longer holds: lost since, or (written before the read) not in it. */
  gone(type: RecordedType, record: Pick<EntityRecord, "targetId" | "updatedAt">): boolean {
    if (record.targetId === null) return false;
    if (this.#lost.has(`${type}:${record.targetId}`)) return true;
    if (!isTracked(type)) return false;
    return Date.parse(record.updatedAt) < this.#readAt && !this.#objects[type].has(record.targetId);
  }

  /** An object found gone during the run: a record naming it is put back rather than trusted. */
  lost(type: RecordedType, id: number): void {
    this.#lost.add(`${type}:${id}`);
  }

  /** How many finished records of each read type name an object qTest no longer holds. */
  async goneRecords(state: StateStore): Promise<Partial<Record<Tracked, number>>> {
    const counts: Partial<Record<Tracked, number>> = {};
    for (const type of TRACKED) {
      for await (const record of state.list(type, { status: "done" })) {
        if (this.gone(type, record)) counts[type] = (counts[type] ?? 0) + 1;
      }
    }
    return counts;
  }
}

function isTracked(type: RecordedType): type is Tracked {
  return (TRACKED as readonly string[]).includes(type);
}

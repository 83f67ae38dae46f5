import { targetTestCase } from "../compare/comparables.js";
import { FieldCatalog } from "../compare/field-catalog.js";
import { forEachConcurrent } from "../concurrency/pool.js";
import type { RecordedType } from "../entity-types.js";
import type { Logger } from "../log/logger.js";
import { contentHash } from "../plan/content-hash.js";
import { comparedFields, markerFieldIds } from "../plan/managed-fields.js";
import { isProjectMarker, legacyMarkerOf } from "../plan/markers.js";
import type { Resolution } from "../plan/resolution.js";
import type { QTestClient, User } from "../qtest/client.js";
import type { ExecutionStatus, Field, Module } from "../qtest/schemas.js";
import { notEmptyQuery, type SearchObjectType, type SearchResult } from "../qtest/search.js";
import type { RunContext } from "./context.js";

/** A target test case, reduced to what adopting it needs: where it is, its version, steps and a digest. */
export interface AdoptableCase {
  id: number;
  moduleId: number;
  versionId: number;
  /** Step ids in order. */
  stepIds: number[];
  /** Digest of its comparable form (`src/compare`), calls shown by the called case's id. */
  digest: string;
}

/** What the target holds that carries one marker: the object adopted, and any surplus copies. */
export interface MarkedObjects<K extends SearchObjectType> {
  primary: SearchResult<K>;
  /** Other objects carrying the same marker (made by hand, or by an older run that lost its state). */
  surplus: SearchResult<K>[];
  /**
   * They carry the marker an earlier ZTOQ wrote, naming no project (`legacyMarkerOf`): adopting one
   * rewrites its marker to the form that names the project.
   */
  legacy: boolean;
}

/**
 * The target is the truth, the state a cache: what the qTest project already holds, by marker, read
 * in bulk — one paged search per object type, only the first time a run meets an entity its state has
 * no record of. An entity whose marker is found is adopted (recorded, and brought up to date if its
 * content differs), never created again: a lost or emptied state duplicates nothing.
 */
export class TargetMarkers {
  readonly #qtest: QTestClient;
  readonly #markerField: string;
  readonly #markerFieldId: (objectType: SearchObjectType) => number;
  readonly #log: Logger;
  readonly #byType = new Map<SearchObjectType, Promise<Map<string, SearchResult<SearchObjectType>[]>>>();
  #catalogs: Promise<Catalogs> | undefined;
  #cases: Promise<Map<number, AdoptableCase>> | undefined;
  readonly #caseArea: { rootModule: string; fields: () => number[]; concurrency: number };

  constructor(
    qtest: QTestClient,
    marker: { field: string; fieldId: (objectType: SearchObjectType) => number },
    caseArea: { rootModule: string; fields: () => number[]; concurrency: number },
    log: Logger,
  ) {
    this.#qtest = qtest;
    this.#caseArea = caseArea;
    this.#markerField = marker.field;
    this.#markerFieldId = marker.fieldId;
    this.#log = log;
  }

  /** The objects of `objectType` carrying `marker`, oldest (lowest id) first; undefined when none does. */
  async find<K extends SearchObjectType>(objectType: K, marker: string): Promise<MarkedObjects<K> | undefined> {
    const found = (await this.#index(objectType)).get(marker) as SearchResult<K>[] | undefined;
    return this.#marked(objectType, marker, found ?? [], false);
  }

  /**
   * Like `find`, for a marker an earlier ZTOQ wrote without naming the project (`ad-hoc`,
   * `execution-<id>`): where no object carries `marker`, the objects carrying its legacy form that
   * `tied` places in this project — two projects migrated into one qTest project by an earlier ZTOQ
   * both wrote those, and each takes back only what sits in its own place.
   */
  async findOwn<K extends SearchObjectType>(
    objectType: K,
    marker: string,
    projectKey: string,
    tied: (hit: SearchResult<K>) => boolean,
  ): Promise<MarkedObjects<K> | undefined> {
    const found = await this.find(objectType, marker);
    const legacy = legacyMarkerOf(marker);
    if (found || legacy === undefined) return found;
    const hits = ((await this.#index(objectType)).get(legacy) ?? []) as SearchResult<K>[];
    return this.#marked(
      objectType,
      legacy,
      hits.filter((hit) => isProjectMarker(legacy, projectKey, tied(hit))),
      true,
    );
  }

  #marked<K extends SearchObjectType>(
    objectType: K,
    marker: string,
    found: readonly SearchResult<K>[],
    legacy: boolean,
  ): MarkedObjects<K> | undefined {
    const [primary, ...surplus] = found;
    if (!primary) return undefined;
    if (surplus.length > 0) {
      this.#log.warn(
        { objectType, marker, ids: [primary.id, ...surplus.map((s) => s.id)] },
        "several qTest objects carry this marker: the oldest is adopted",
      );
    }
    return { primary, surplus, legacy };
  }

  /** Objects deleted during the run leave what was read, so nothing later adopts what is gone. */
  async forget<K extends SearchObjectType>(objectType: K, gone: (hit: SearchResult<K>) => boolean): Promise<void> {
    const index = await this.#byType.get(objectType)?.catch(() => undefined);
    if (!index) return;
    for (const [marker, hits] of index) {
      const kept = hits.filter((hit) => !gone(hit as SearchResult<K>));
      if (kept.length === 0) index.delete(marker);
      else if (kept.length < hits.length) index.set(marker, kept);
    }
  }

  /**
   * Starts the bulk reads of the given object types now, one after the other in the order the phases
   * will ask, instead of when the first unrecorded entity asks — so they overlap the source's reads
   * rather than stall them. Used when the state holds nothing of a type (a first run, a lost state):
   * then every entity asks. A failed read is not kept; the entity that asks reads again.
   */
  warm(objectTypes: readonly SearchObjectType[]): void {
    void (async () => {
      await this.catalogs();
      for (const objectType of objectTypes) {
        await this.#index(objectType);
        if (objectType === "test-cases") await this.testCase(-1);
      }
    })().catch(() => undefined);
  }

  /** The target's field settings and users, as verification normalizes values, for comparing what is adopted. */
  catalogs(): Promise<Catalogs> {
    if (!this.#catalogs) {
      const catalogs = (async () => {
        const [caseFields, suiteFields, runFields, users, statuses] = await Promise.all([
          this.#qtest.fields("test-cases"),
          this.#qtest.fields("test-suites"),
          this.#qtest.fields("test-runs"),
          this.#qtest.users(),
          this.#qtest.executionStatuses(),
        ]);
        return catalogsOf(caseFields, suiteFields, runFields, users, statuses);
      })();
      // A failed read must not be cached: the next entity tries again.
      catalogs.catch(() => {
        if (this.#catalogs === catalogs) this.#catalogs = undefined;
      });
      this.#catalogs = catalogs;
    }
    return this.#catalogs;
  }

  /**
   * A test case as adoption compares it, from one bulk read of the cases (with their steps) of every
   * module under the root module — a page per hundred cases rather than a request per case; undefined
   * for a case outside that area.
   */
  async testCase(id: number): Promise<AdoptableCase | undefined> {
    if (!this.#cases) {
      const cases = this.#readCases();
      // A failed read must not be cached: the next case tries again.
      cases.catch(() => {
        if (this.#cases === cases) this.#cases = undefined;
      });
      this.#cases = cases;
    }
    return (await this.#cases).get(id);
  }

  async #readCases(): Promise<Map<number, AdoptableCase>> {
    const { rootModule, fields, concurrency } = this.#caseArea;
    const roots = (await this.#qtest.moduleTree()).filter((m) => m.name === rootModule);
    const moduleIds: number[] = [];
    const walk = (modules: readonly Module[]) => {
      for (const m of modules) {
        moduleIds.push(m.id);
        walk(m.children ?? []);
      }
    };
    walk(roots);
    const catalog = (await this.catalogs()).testCase;
    const byId = (id: number) => `#${id}`;
    const cases = new Map<number, AdoptableCase>();
    await forEachConcurrent(moduleIds, concurrency, async (moduleId) => {
      for await (const page of this.#qtest.testCases(moduleId, { withSteps: true })) {
        for (const c of page) {
          cases.set(c.id, {
            id: c.id,
            moduleId,
            versionId: c.test_case_version_id ?? 0,
            stepIds: [...(c.test_steps ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).map((step) => step.id ?? -1),
            digest: contentHash(targetTestCase(c, catalog, fields(), byId)),
          });
        }
      }
    });
    this.#log.info({ modules: moduleIds.length, testCases: cases.size }, "read the test cases qTest holds under the root module");
    return cases;
  }

  #index(objectType: SearchObjectType): Promise<Map<string, SearchResult<SearchObjectType>[]>> {
    let index = this.#byType.get(objectType);
    if (!index) {
      index = this.#read(objectType);
      // A failed read must not be cached: the next entity tries again.
      index.catch(() => this.#byType.delete(objectType));
      this.#byType.set(objectType, index);
    }
    return index;
  }

  async #read(objectType: SearchObjectType): Promise<Map<string, SearchResult<SearchObjectType>[]>> {
    const byMarker = new Map<string, SearchResult<SearchObjectType>[]>();
    let read = 0;
    const fieldId = this.#markerFieldId(objectType);
    for await (const page of this.#qtest.search(objectType, notEmptyQuery(this.#markerField))) {
      for (const hit of page) {
        read++;
        const { properties } = hit as { properties?: readonly { field_id: number; field_value?: string | null }[] | null };
        const marker = properties?.find((p) => p.field_id === fieldId)?.field_value?.trim();
        if (!marker) continue;
        const list = byMarker.get(marker) ?? [];
        list.push(hit);
        byMarker.set(marker, list);
      }
    }
    for (const list of byMarker.values()) list.sort((a, b) => a.id - b.id);
    this.#log.info({ objectType, read, markers: byMarker.size }, "read what qTest holds by marker");
    return byMarker;
  }
}

/** The markers of this run's resolution: test runs and logs share the test-run field. */
export function targetMarkers(
  qtest: QTestClient,
  resolution: Resolution,
  area: { rootModule: string; concurrency: number },
  log: Logger,
): TargetMarkers {
  const markers = markerFieldIds(resolution);
  const ids: Record<SearchObjectType, number | undefined> = {
    "test-cases": markers.testCase,
    "test-suites": markers.testSuite,
    "test-runs": markers.testRun,
    "test-logs": markers.testLog,
    "test-cycles": undefined,
  };
  return new TargetMarkers(
    qtest,
    {
      field: resolution.markerField,
      fieldId: (objectType) => {
        const id = ids[objectType];
        if (id === undefined) throw new Error(`${objectType} carry no marker`);
        return id;
      },
    },
    { rootModule: area.rootModule, fields: () => comparedFields(resolution).testCase, concurrency: area.concurrency },
    log,
  );
}

/**
 * With `--reconcile`, the copies beyond the adopted one of a marker are removed from qTest (they are
 * ZTOQ's: they carry its marker); otherwise they are only logged (by `TargetMarkers.find`).
 */
export async function removeSurplus(
  context: Pick<RunContext, "reconcile" | "tally" | "log" | "markers">,
  type: "testCase" | "testSuite" | "testRun",
  key: string,
  found: { primary: { id: number }; surplus: readonly { id: number }[] },
  remove: (id: number) => Promise<void>,
): Promise<void> {
  if (!context.reconcile) return;
  for (const { id } of found.surplus) {
    await remove(id);
    await forgetDeleted(context, type, id);
    context.tally.count(type, "pruned", key, `duplicate #${id} of #${found.primary.id} removed from qTest`);
    context.log.info({ entity: type, key, targetId: id }, "duplicate removed from qTest (--reconcile)");
  }
}

/**
 * What the run read of qTest forgets an object it deleted, and what qTest deleted with it: a case's and
 * a suite's runs, a run's logs.
 */
export async function forgetDeleted(
  context: Pick<RunContext, "markers">,
  type: "testCase" | "testSuite" | "testRun",
  id: number,
): Promise<void> {
  const { markers } = context;
  const runs = new Set<number>(type === "testRun" ? [id] : []);
  if (type === "testCase") await markers.forget("test-cases", (hit) => hit.id === id);
  if (type === "testSuite") await markers.forget("test-suites", (hit) => hit.id === id);
  await markers.forget("test-runs", (hit) => {
    const gone =
      runs.has(hit.id) || (type === "testCase" ? hit.test_case?.id === id : type === "testSuite" && hit.parentId === id);
    if (gone) runs.add(hit.id);
    return gone;
  });
  await markers.forget("test-logs", (hit) => hit.test_run_id != null && runs.has(hit.test_run_id));
}

/**
 * An object adopted by its marker may have been recorded by an earlier ZTOQ under the marker's legacy
 * form (`ad-hoc`, `execution-<id>`, the keys it used then): that record goes, the adoption records
 * the object under its marker now, so the state names it once.
 */
export async function forgetLegacyRecord(context: Pick<RunContext, "state">, type: RecordedType, marker: string): Promise<void> {
  const legacy = legacyMarkerOf(marker);
  if (legacy !== undefined) await context.state.remove(type, legacy);
}

export interface Catalogs {
  testCase: FieldCatalog;
  testSuite: FieldCatalog;
  testRun: FieldCatalog;
  statuses: ReadonlyMap<number, string>;
}

function catalogsOf(
  caseFields: readonly Field[],
  suiteFields: readonly Field[],
  runFields: readonly Field[],
  users: readonly User[],
  statuses: readonly ExecutionStatus[],
): Catalogs {
  return {
    testCase: new FieldCatalog(caseFields, users),
    testSuite: new FieldCatalog(suiteFields, users),
    testRun: new FieldCatalog(runFields, users),
    statuses: new Map(statuses.map((s) => [s.id, s.name])),
  };
}

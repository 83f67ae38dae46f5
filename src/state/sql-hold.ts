import {
  conflicts,
  type DeadHold,
  deadReason,
  type Hold,
  type HoldAttempt,
  type HoldRequest,
  holdSchema,
  type Judgement,
  type StoreHold,
  type StoreProject,
  sameProject,
  storeProjectSchema,
  type Vantage,
} from "./hold.js";
import type { Params, Row, Spelling, StatementName } from "./sql-store.js";
import { fromBigint, fromJson, fromTimestamp, now } from "./sql-values.js";
import { StateStoreError, validated } from "./store.js";

/**
 * The hold over SQL, the same in every engine: the statements, and the decision that takes a hold or
 * refuses it, run in one transaction that no other store's decision overlaps (`SqlDialect.transaction`).
 */

/** The schema version that added the holds and project tables (each engine's `MIGRATIONS`, step 4). */
export const HOLDS_VERSION = 4;

const HOLD_COLUMNS = `holder, command, shard, host, pid, scope, workflow, since, heartbeat_at AS "heartbeatAt"`;

/**
 * Every write stamps the store's clock (`leaseNow`: the server's in PostgreSQL), and staleness is
 * measured by that clock too, so holders and judges on several machines agree. A store of an older
 * version is only ever read: it has no holds and no project.
 */
export function holdStatements(spelling: Spelling, version: number) {
  const { tablePrefix, leaseNow, clockAgo } = spelling;
  const holds = `${tablePrefix}holds`;
  const project = `${tablePrefix}project`;
  const before = version < HOLDS_VERSION;
  return {
    listHolds: before
      ? "SELECT NULL AS holder WHERE 1 = 0"
      : `SELECT ${HOLD_COLUMNS}, heartbeat_at < ${clockAgo} AS stale FROM ${holds} ORDER BY since, holder`,
    takeHold: `INSERT INTO ${holds} (holder, command, shard, host, pid, scope, workflow, since, heartbeat_at)
      VALUES (:holder, :command, :shard, :host, :pid, :scope, :workflow, ${leaseNow}, ${leaseNow})`,
    beatHold: `UPDATE ${holds} SET heartbeat_at = ${leaseNow} WHERE holder = :holder RETURNING holder`,
    dropHold: `DELETE FROM ${holds} WHERE holder = :holder`,
    readProject: before
      ? `SELECT NULL AS "zephyrProject" WHERE 1 = 0`
      : `SELECT zephyr_project AS "zephyrProject", qtest_url AS "qtestUrl", qtest_project AS "qtestProject" FROM ${project} WHERE id = 1`,
    // Whoever records first wins; a second recorder's decision then reads the first's.
    recordProject: `INSERT INTO ${project} (id, zephyr_project, qtest_url, qtest_project, recorded_at)
      VALUES (1, :zephyrProject, :qtestUrl, :qtestProject, :now) ON CONFLICT (id) DO NOTHING`,
  };
}

/** The statements of holds a store opened for reading only may run. */
export const HOLD_READS: readonly StatementName[] = ["listHolds", "readProject"];

export type RunStatement = (statement: StatementName, params: Params) => Promise<Row[]>;

export interface HoldJudge extends Judgement {
  location: string;
  vantage: Vantage;
}

/** The values every statement of holds may name (a staleness bound by either clock). */
function clockParams(staleMs: number): Params {
  const at = Date.now();
  return { now: new Date(at).toISOString(), agoMs: staleMs, agoAt: new Date(at - staleMs).toISOString() };
}

export async function readHolds(run: RunStatement, judge: HoldJudge): Promise<Hold[]> {
  return (await run("listHolds", clockParams(judge.staleMs))).map((row) => holdOf(row, judge.location));
}

export async function readProject(run: RunStatement, location: string): Promise<StoreProject | undefined> {
  const [row] = await run("readProject", {});
  if (!row) return undefined;
  const input = { ...row, qtestProject: fromBigint(row.qtestProject) };
  return validated(storeProjectSchema, input, location, "a project row");
}

export type HoldDecision =
  | { taken: true; tookOver: DeadHold[] }
  | { taken: false; reason: "held"; holders: Hold[] }
  | { taken: false; reason: "project"; project: StoreProject };

/**
 * Takes the hold for `request`, or says why not; to be run inside `SqlDialect.transaction`, which makes
 * the reads and the writes one step no other run's decision can come between.
 *
 * The store of another project is refused first. Holds whose holder is dead (see `deadReason`) are
 * removed, whoever they conflict with. Then a live hold that conflicts (`conflicts`) refuses the request;
 * otherwise the project is recorded (when asked and none is) and the hold taken.
 */
export async function decideHold(run: RunStatement, request: HoldRequest, judge: HoldJudge): Promise<HoldDecision> {
  const recorded = await readProject(run, judge.location);
  if (recorded && !sameProject(recorded, request.project)) return { taken: false, reason: "project", project: recorded };
  const tookOver: DeadHold[] = [];
  const live: Hold[] = [];
  for (const hold of await readHolds(run, judge)) {
    const why = deadReason(hold, judge.vantage, judge);
    if (why === undefined) live.push(hold);
    else {
      await run("dropHold", { holder: hold.holder });
      tookOver.push({ hold, why });
    }
  }
  const holders = live.filter((hold) => conflicts(hold, request));
  if (holders.length > 0) return { taken: false, reason: "held", holders };
  if (!recorded && request.recordProject) await run("recordProject", { ...request.project, now: now() });
  const { holder, command, shard, host, pid, scope, workflow } = request;
  await run("takeHold", {
    holder,
    command,
    shard,
    host,
    pid,
    scope,
    workflow: workflow === null ? null : JSON.stringify(workflow),
    ...clockParams(judge.staleMs),
  });
  return { taken: true, tookOver };
}

/** Refreshes a hold's heartbeat; false when the hold is gone (another run took it over). */
export async function beatHold(run: RunStatement, holder: string): Promise<boolean> {
  return (await run("beatHold", { holder, now: now() })).length > 0;
}

export async function dropHold(run: RunStatement, holder: string): Promise<void> {
  await run("dropHold", { holder });
}

function holdOf(row: Row, location: string): Hold {
  const input = {
    ...row,
    pid: fromBigint(row.pid),
    workflow: fromJson(row.workflow),
    since: fromTimestamp(row.since),
    heartbeatAt: fromTimestamp(row.heartbeatAt),
    // SQLite answers a comparison with 0 or 1.
    stale: typeof row.stale === "number" ? row.stale !== 0 : row.stale,
  };
  return validated(holdSchema, input, location, "a hold row");
}

/**
 * The holds one store has taken: each beaten every `heartbeatMs` until released (or the store closed,
 * which releases them), so its holder is never judged dead while its process lives and the store is open.
 */
export class KeptHolds {
  readonly #kept = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly access: {
      run: RunStatement;
      transaction: <T>(work: (run: RunStatement) => Promise<T>) => Promise<T>;
      judge: HoldJudge;
      heartbeatMs: number;
    },
  ) {}

  async acquire(request: HoldRequest): Promise<HoldAttempt> {
    const { transaction, judge } = this.access;
    const decision = await transaction((run) => decideHold(run, request, judge));
    if (!decision.taken) return decision;
    return { taken: true, tookOver: decision.tookOver, hold: this.#keep(request) };
  }

  /** Gives up every hold kept; a failure leaves the hold to be judged dead, as a killed process's is. */
  async releaseAll(): Promise<void> {
    for (const holder of [...this.#kept.keys()]) await this.#release(holder).catch(() => undefined);
  }

  #keep(request: HoldRequest): StoreHold {
    const { run, judge, heartbeatMs } = this.access;
    const { holder } = request;
    const controller = new AbortController();
    // A beat that fails is left out: the next one, or the run's own writes, will meet the same trouble.
    const beat = async () => {
      if (!(await beatHold(run, holder).catch(() => true))) lose();
    };
    const lose = () => {
      clearInterval(this.#kept.get(holder));
      this.#kept.delete(holder);
      controller.abort(
        new StateStoreError(
          `${judge.location}: another run judged this one dead and took over its hold on the state store (was this process suspended for over ${Math.round(judge.staleMs / 1000)} s?); stopping here, re-run to resume`,
          "unusable",
        ),
      );
    };
    const timer = setInterval(() => void beat(), heartbeatMs);
    // The timer must not keep a process alive whose work is done.
    timer.unref();
    this.#kept.set(holder, timer);
    const { project: _project, recordProject: _record, ...who } = request;
    return { holder: who, lost: controller.signal, release: () => this.#release(holder) };
  }

  async #release(holder: string): Promise<void> {
    const timer = this.#kept.get(holder);
    if (!timer) return;
    clearInterval(timer);
    this.#kept.delete(holder);
    await dropHold(this.access.run, holder);
  }
}

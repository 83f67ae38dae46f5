import { z } from "zod";

/**
 * The hold a run keeps on its state store, and the project the store belongs to: the rules, apart from
 * the SQL that records them (`sql-hold.ts`) and the process that asks (`this-process.ts`).
 *
 * Two runs working one store at once each find the entities the other has not recorded yet and create
 * them again; so a run that writes (`ztoq migrate`, `ztoq rollback`) holds the store for its whole
 * length. Shards of one sharded migration are the exception: they coordinate entity by entity through
 * leases, so they hold together — but never together with an unsharded run.
 */

/** The GitHub Actions run a holder belongs to, from the variables every job has. */
export const workflowRunSchema = z.object({
  repository: z.string(),
  workflow: z.string().nullable(),
  runId: z.string(),
  runAttempt: z.string().nullable(),
  /** `https://github.com`, or a GitHub Enterprise server. */
  serverUrl: z.string().nullable(),
});
export type WorkflowRun = z.infer<typeof workflowRunSchema>;

/** Who holds (or asks for) a store: enough for a person to find the process, and for a run to judge it dead. */
export const holderSchema = z.object({
  /** The run id: unique, so a hold is never mistaken for another's. */
  holder: z.string().min(1),
  command: z.enum(["migrate", "rollback"]),
  /** `2/4` for a shard of a sharded migration (held together with the other shards); null for a run that holds alone. */
  shard: z.string().nullable(),
  host: z.string(),
  pid: z.number().int(),
  /**
   * What makes a pid mean the same process to the one asking: the machine's boot and its pid namespace
   * (`boot-id/pid:[…]`). Two containers named alike, or a machine since rebooted, have another.
   * Null where the system does not say; the host name alone then decides.
   */
  scope: z.string().nullable(),
  workflow: workflowRunSchema.nullable(),
});
export type Holder = z.infer<typeof holderSchema>;

/** A hold as recorded, read back. */
export const holdSchema = holderSchema.extend({
  /** When the hold was taken, and when its holder last said it still works (the store's clock). */
  since: z.string(),
  heartbeatAt: z.string(),
  /** By the store's clock, the heartbeat stopped longer ago than a live holder ever lets it. */
  stale: z.boolean(),
});
export type Hold = z.infer<typeof holdSchema>;

/**
 * The project a store's records belong to. Entity keys such as `root` and `folder:12` name nothing of
 * their project, so two projects on one store would take each other's records for their own.
 */
export const storeProjectSchema = z.object({
  zephyrProject: z.string().min(1),
  qtestUrl: z.string().min(1),
  qtestProject: z.number().int().positive(),
});
export type StoreProject = z.infer<typeof storeProjectSchema>;

/** What a run asks for: a hold as `holder`, on a store that belongs to `project` (recorded first when `recordProject`). */
export interface HoldRequest extends Holder {
  project: StoreProject;
  /** Record the project on a store that has none yet (a run that writes); otherwise only compare. */
  recordProject: boolean;
}

/** What `StateStore.acquireHold` found. */
export type HoldAttempt =
  | { taken: true; hold: StoreHold; tookOver: DeadHold[] }
  | { taken: false; reason: "held"; holders: Hold[] }
  | { taken: false; reason: "project"; project: StoreProject };

/** A hold found dead and removed, and why it was judged so. */
export interface DeadHold {
  hold: Hold;
  why: string;
}

/** A hold this process has: beaten until released; `lost` aborts if another run took it over meanwhile. */
export interface StoreHold {
  readonly holder: Holder;
  /** Aborted, with a `StateStoreError` as its reason, when a heartbeat finds the hold gone. */
  readonly lost: AbortSignal;
  /** Gives the hold up; harmless when already given up or lost. */
  release(): Promise<void>;
}

/** Whether two holders may not hold one store at once: anything but two shards. */
export function conflicts(a: Pick<Holder, "shard">, b: Pick<Holder, "shard">): boolean {
  return a.shard === null || b.shard === null;
}

/** Where the judge stands: its host and process scope, and how it asks whether a pid lives there. */
export interface Vantage {
  host: string;
  scope: string | null;
  alive: (pid: number) => boolean;
}

/** How a staleness bound and the store's kind weigh in (see `deadReason`). */
export interface Judgement {
  /** A heartbeat older than this is a dead holder's. */
  staleMs: number;
  /** The store is a file on this machine (SQLite), not a server every machine reaches (PostgreSQL). */
  local: boolean;
}

/**
 * Why a hold's holder is dead, or undefined while it may live.
 *
 * - A process of the judge's own machine (and pid namespace) answers for itself at once, so `kill -9`
 *   of a holder lets the next run in without waiting.
 * - A local file (SQLite) is worked only on the machine it lies on: a hold recorded under another boot
 *   (another machine, whose file was carried here by a cache or an artifact, or this one before a
 *   restart) is no process that can be running against it.
 * - Anywhere else, a heartbeat stopped past the staleness bound says the holder is gone; that also
 *   catches a recorded pid a new process has taken since.
 */
export function deadReason(hold: Hold, vantage: Vantage, judgement: Judgement): string | undefined {
  const [boot, namespace] = splitScope(hold.scope);
  const [ourBoot, ourNamespace] = splitScope(vantage.scope);
  const known = boot !== undefined && ourBoot !== undefined;
  const here = hold.host === vantage.host && (!known || (boot === ourBoot && namespace === ourNamespace));
  if (here && !vantage.alive(hold.pid)) return `its process ${hold.pid} on ${hold.host} is gone`;
  if (judgement.local && (known ? boot !== ourBoot : hold.host !== vantage.host)) {
    const where = known
      ? `on another machine or before this one restarted (host ${hold.host})`
      : `on another machine (${hold.host})`;
    return `it was recorded ${where}, and a state file is only worked on where it lies`;
  }
  if (hold.stale) return `it has given no sign of life for over ${duration(judgement.staleMs)}`;
  return undefined;
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}

/** `boot-id/pid:[…]` as its two parts; none when unknown. */
function splitScope(scope: string | null): [string | undefined, string | undefined] {
  if (scope === null) return [undefined, undefined];
  const slash = scope.indexOf("/");
  return slash < 0 ? [scope, undefined] : [scope.slice(0, slash), scope.slice(slash + 1)];
}

/** `ztoq migrate --shard 2/4 (run …) on host ci-7, pid 4242, GitHub Actions …, since …`. */
export function describeHold(hold: Hold): string {
  const what = `ztoq ${hold.command}${hold.shard === null ? "" : ` --shard ${hold.shard}`}`;
  const workflow = hold.workflow === null ? "" : `, ${describeWorkflowRun(hold.workflow)}`;
  return `${what} (run ${hold.holder}) on host ${hold.host}, pid ${hold.pid}${workflow}, since ${hold.since}`;
}

/** `GitHub Actions octo/repo workflow "Nightly" run 123 attempt 2 (https://github.com/octo/repo/actions/runs/123)`. */
export function describeWorkflowRun(run: WorkflowRun): string {
  const workflow = run.workflow === null ? "" : ` workflow ${JSON.stringify(run.workflow)}`;
  const attempt = run.runAttempt === null ? "" : ` attempt ${run.runAttempt}`;
  const link =
    run.serverUrl === null ? "" : ` (${run.serverUrl.replace(/\/+$/, "")}/${run.repository}/actions/runs/${run.runId})`;
  return `GitHub Actions ${run.repository}${workflow} run ${run.runId}${attempt}${link}`;
}

/** The GitHub Actions run of this job, when the runner says (GITHUB_REPOSITORY and GITHUB_RUN_ID set). */
export function workflowRunOf(env: Readonly<Record<string, string | undefined>>): WorkflowRun | null {
  const value = (name: string) => (env[name]?.trim() ? (env[name]?.trim() ?? null) : null);
  const repository = value("GITHUB_REPOSITORY");
  const runId = value("GITHUB_RUN_ID");
  if (repository === null || runId === null) return null;
  return {
    repository,
    workflow: value("GITHUB_WORKFLOW"),
    runId,
    runAttempt: value("GITHUB_RUN_ATTEMPT"),
    serverUrl: value("GITHUB_SERVER_URL"),
  };
}

/** The project of a configuration, its qTest URL in the one spelling of its site (see `siteUrl`). */
export function projectOf(config: { zephyr: { projectKey: string }; qtest: { url: string; projectId: number } }): StoreProject {
  return { zephyrProject: config.zephyr.projectKey, qtestUrl: siteUrl(config.qtest.url), qtestProject: config.qtest.projectId };
}

/**
 * A qTest site URL as one spelling: `HTTPS://Example.qtestnet.com/` and `https://example.qtestnet.com`
 * name one site. The scheme and host are lower-cased by the URL parser; a trailing slash goes.
 */
export function siteUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, "")}`;
}

export function sameProject(a: StoreProject, b: StoreProject): boolean {
  return a.zephyrProject === b.zephyrProject && siteUrl(a.qtestUrl) === siteUrl(b.qtestUrl) && a.qtestProject === b.qtestProject;
}

/** `Zephyr project QA → qTest project 7 at https://example.qtestnet.com`. */
export function describeProject(project: StoreProject): string {
  return `Zephyr project ${project.zephyrProject} → qTest project ${project.qtestProject} at ${project.qtestUrl}`;
}

import type {
  Environment,
  Folder,
  FolderInput,
  FolderType,
  Priority,
  Project,
  Status,
  StatusType,
} from "../../zephyr/schemas.js";
import type { Snapshot } from "../../zephyr/snapshot.js";
import { nextId } from "./entity-lists.js";
import { found, ZephyrApiError } from "./errors.js";
import type { Refs } from "./refs.js";

/**
 * The project and the objects test cases, cycles and executions refer to: folders, statuses,
 * priorities, environments. Held as the snapshot gave them; of these, only folders can be created.
 */
export class ReferenceData {
  readonly project: Project;
  readonly #refs: Refs;
  readonly #folders: Folder[];
  readonly #statuses: Status[];
  /** The API never says which type a status is except through the `statusType` filter. */
  readonly #statusTypes: Map<number, Set<StatusType>>;
  readonly #priorities: Priority[];
  readonly #environments: Environment[];

  constructor(snapshot: Snapshot, refs: Refs) {
    const byId = <T extends { id: number }>(a: T, b: T) => a.id - b.id;
    this.project = snapshot.project;
    this.#refs = refs;
    this.#folders = [...snapshot.folders].sort(byId);
    this.#statuses = [...snapshot.statuses].sort(byId);
    this.#priorities = [...snapshot.priorities].sort(byId);
    this.#environments = [...snapshot.environments].sort(byId);
    this.#statusTypes = inferStatusTypes(snapshot);
  }

  getProject(idOrKey: string): Project {
    if (idOrKey === this.project.key || idOrKey === String(this.project.id)) return this.project;
    throw new ZephyrApiError(404, `Project '${idOrKey}' does not exist or you do not have access to it.`);
  }

  /** Filters by project key as the list endpoints do; an unknown key is a client error. */
  checkProjectKey(projectKey: string | undefined): void {
    if (projectKey !== undefined && projectKey !== this.project.key) {
      throw new ZephyrApiError(400, `Project with key '${projectKey}' was not found.`);
    }
  }

  // ---- reads -------------------------------------------------------------------------------

  folders(folderType?: FolderType): Folder[] {
    return folderType ? this.#folders.filter((f) => f.folderType === folderType) : this.#folders;
  }

  folder(id: number): Folder {
    return found(
      this.#folders.find((f) => f.id === id),
      `Folder ${id}`,
    );
  }

  statuses(statusType?: StatusType): Status[] {
    if (!statusType) return this.#statuses;
    return this.#statuses.filter((s) => this.#statusTypes.get(s.id)?.has(statusType) ?? true);
  }

  status(id: number): Status {
    return found(
      this.#statuses.find((s) => s.id === id),
      `Status ${id}`,
    );
  }

  priorities(): Priority[] {
    return this.#priorities;
  }

  priority(id: number): Priority {
    return found(
      this.#priorities.find((p) => p.id === id),
      `Priority ${id}`,
    );
  }

  environments(): Environment[] {
    return this.#environments;
  }

  environment(id: number): Environment {
    return found(
      this.#environments.find((e) => e.id === id),
      `Environment ${id}`,
    );
  }

  // ---- writes ------------------------------------------------------------------------------

  createFolder(input: FolderInput): { id: number; self: string } {
    this.checkProjectKey(input.projectKey);
    if (/[/\\]/.test(input.name)) throw new ZephyrApiError(400, "Folder name must not contain '/' or '\\'.");
    if (input.parentId != null) {
      const parent = this.folder(input.parentId);
      if (parent.folderType !== input.folderType) {
        throw new ZephyrApiError(400, `Parent folder ${parent.id} is not a ${input.folderType} folder.`);
      }
    }
    const siblings = this.#folders.filter((f) => (f.parentId ?? null) === (input.parentId ?? null));
    if (siblings.some((f) => f.name === input.name && f.folderType === input.folderType)) {
      throw new ZephyrApiError(400, `A folder named '${input.name}' already exists at that level.`);
    }
    const id = nextId(this.#folders);
    this.#folders.push({
      id,
      parentId: input.parentId ?? null,
      name: input.name,
      index: siblings.length,
      folderType: input.folderType,
      project: this.#refs.project(),
    });
    return { id, self: this.#refs.url(`folders/${id}`) };
  }

  /**
   * Not an API operation (the API creates folders only): a folder renamed or moved in Zephyr's UI, so
   * tests can change the tree between two migration runs. Moving a folder into its own subtree is refused.
   */
  changeFolder(id: number, change: { name?: string; parentId?: number | null }): void {
    const folder = this.folder(id);
    const parentId = change.parentId === undefined ? folder.parentId : change.parentId;
    for (let at = parentId ?? null; at !== null; at = this.folder(at).parentId ?? null) {
      if (at === id) throw new ZephyrApiError(400, `Folder ${id} cannot move into its own subtree.`);
    }
    Object.assign(folder, { parentId, ...(change.name !== undefined && { name: change.name }) });
  }

  // ---- what writes of other objects name ---------------------------------------------------

  /** Writes name a priority, status or environment; a name the project lacks is a 400, not a 404. */
  priorityByName(name: string | undefined): Priority {
    if (name === undefined) return found(this.#priorities.find((p) => p.default) ?? this.#priorities[0], "Default priority");
    const priority = this.#priorities.find((p) => p.name === name);
    if (!priority) throw new ZephyrApiError(400, `Priority '${name}' was not found for project ${this.project.key}.`);
    return priority;
  }

  defaultStatus(type: StatusType): Status {
    const candidates = this.statuses(type).filter((s) => !s.archived);
    return found(candidates.find((s) => s.default) ?? candidates[0], `Default ${type} status`);
  }

  statusByName(name: string | undefined, type: StatusType): Status {
    if (name === undefined) return this.defaultStatus(type);
    const status = this.statuses(type).find((s) => s.name === name);
    if (!status) throw new ZephyrApiError(400, `Status '${name}' was not found for ${type} in project ${this.project.key}.`);
    if (status.archived) throw new ZephyrApiError(400, `Status '${name}' is archived and cannot be assigned.`);
    return status;
  }

  statusOfType(id: number, type: StatusType): Status {
    const status = this.status(id);
    if (!(this.#statusTypes.get(id)?.has(type) ?? true)) {
      throw new ZephyrApiError(400, `Status ${id} is not a ${type} status.`);
    }
    return status;
  }

  environmentByName(name: string): Environment {
    const environment = this.#environments.find((e) => e.name === name);
    if (!environment) throw new ZephyrApiError(400, `Environment '${name}' was not found for project ${this.project.key}.`);
    return environment;
  }

  folderOfType(id: number, type: FolderType): Folder {
    const folder = this.#folders.find((f) => f.id === id);
    if (!folder) throw new ZephyrApiError(400, `Folder ${id} was not found.`);
    if (folder.folderType !== type) throw new ZephyrApiError(400, `Folder ${id} is not a ${type} folder.`);
    return folder;
  }
}

/** A snapshot may say each status's type (`statusTypes`); otherwise the types are read from use. */
function inferStatusTypes(snapshot: Snapshot): Map<number, Set<StatusType>> {
  const types = new Map<number, Set<StatusType>>();
  const mark = (id: number | undefined, type: StatusType) => {
    if (id === undefined) return;
    const set = types.get(id) ?? new Set<StatusType>();
    set.add(type);
    types.set(id, set);
  };
  for (const [id, type] of Object.entries(snapshot.statusTypes ?? {})) mark(Number(id), type);
  for (const t of snapshot.testCases) mark(t.status.id, "TEST_CASE");
  for (const c of snapshot.testCycles) mark(c.status?.id, "TEST_CYCLE");
  for (const p of snapshot.testPlans ?? []) mark(p.status.id, "TEST_PLAN");
  for (const e of snapshot.testExecutions) mark(e.testExecutionStatus.id, "TEST_EXECUTION");
  for (const steps of Object.values(snapshot.testExecutionSteps)) {
    for (const s of steps) mark(s.inline.status?.id, "TEST_EXECUTION");
  }
  return types;
}

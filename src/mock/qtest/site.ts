import type { FieldSettings } from "./field-settings.js";
import type { IdSequence } from "./ids.js";
import type { Records } from "./records.js";
import type { defaultUsers } from "./system-fields.js";
import type { ContainerTree } from "./tree.js";

/** What every part of the qTest mock shares: the one site and project it serves, and their state. */
export interface Site {
  readonly origin: string;
  readonly projectId: number;
  readonly users: typeof defaultUsers;
  readonly clock: () => number;
  readonly ids: IdSequence;
  readonly tree: ContainerTree;
  readonly fields: FieldSettings;
  readonly records: Records;
}

/** The project's API URL, or an object's under it (`<origin>/api/v3/projects/<id>/<path>`). */
export function apiUrl(site: Site, path?: string): string {
  const project = `${site.origin}/api/v3/projects/${site.projectId}`;
  return path === undefined ? project : `${project}/${path}`;
}

/** Where the object opens in qTest's web portal. */
export function portalUrl(site: Site, path: string): string {
  return `${site.origin}/p/${site.projectId}/portal/${path}`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

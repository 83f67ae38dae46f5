import type { Folder } from "../zephyr/schemas.js";

/**
 * Where each Zephyr folder goes under the root container: the one placement rule the migration
 * builds the tree by and verification expects. A folder whose parent is not in the list (or that sits
 * in a loop) hangs directly under the root rather than being lost.
 */
export interface FolderPlace {
  folder: Folder;
  /** The parent folder it goes under; null: directly under the root. */
  parentId: number | null;
  /** 0 directly under the root. */
  depth: number;
  /** Names from the root's child down to the folder. */
  path: string[];
}

export function placeFolders(folders: readonly Folder[]): Map<number, FolderPlace> {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const places = new Map<number, FolderPlace>();
  const place = (folder: Folder, seen: Set<number>): FolderPlace => {
    const known = places.get(folder.id);
    if (known) return known;
    const parent = folder.parentId == null ? undefined : byId.get(folder.parentId);
    const under = parent && !seen.has(parent.id) ? place(parent, seen.add(folder.id)) : undefined;
    const result: FolderPlace = under
      ? { folder, parentId: under.folder.id, depth: under.depth + 1, path: [...under.path, folder.name] }
      : { folder, parentId: null, depth: 0, path: [folder.name] };
    places.set(folder.id, result);
    return result;
  };
  for (const folder of folders) place(folder, new Set());
  return places;
}

/** Folders grouped by depth, parents before children, so each level can be created concurrently. */
export function foldersByDepth(folders: readonly Folder[]): Folder[][] {
  const places = placeFolders(folders);
  const levels: Folder[][] = [];
  for (const folder of [...folders].sort((a, b) => (a.index ?? 0) - (b.index ?? 0) || a.id - b.id)) {
    const depth = places.get(folder.id)?.depth ?? 0;
    const level = levels[depth] ?? [];
    level.push(folder);
    levels[depth] = level;
  }
  return levels.filter((level) => level !== undefined);
}

/** The path of names of every folder under the root. */
export function folderPaths(folders: readonly Folder[]): Map<number, string[]> {
  return new Map([...placeFolders(folders)].map(([id, place]) => [id, place.path]));
}

/**
 * The parent a folder's target object goes under, given the folders already made (`known`, level by
 * level): its parent folder's when that was made, else the root's (null).
 */
export function parentFolderId(folder: Folder, known: ReadonlyMap<number | null, number>): number | null {
  return folder.parentId != null && known.has(folder.parentId) ? folder.parentId : null;
}

import type { Folder } from "../zephyr/schemas.js";

/** Folders grouped by depth, parents before children, so each level can be created concurrently. */
export function foldersByDepth(folders: readonly Folder[]): Folder[][] {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const depthOf = new Map<number, number>();
  const depth = (folder: Folder, seen = new Set<number>()): number => {
    const known = depthOf.get(folder.id);
    if (known !== undefined) return known;
    const parent = folder.parentId == null ? undefined : byId.get(folder.parentId);
    // A parent outside the list (or a loop) makes the folder a root rather than losing it.
    const d = parent && !seen.has(parent.id) ? depth(parent, seen.add(folder.id)) + 1 : 0;
    depthOf.set(folder.id, d);
    return d;
  };
  const levels: Folder[][] = [];
  for (const folder of [...folders].sort((a, b) => (a.index ?? 0) - (b.index ?? 0) || a.id - b.id)) {
    const d = depth(folder);
    const level = levels[d] ?? [];
    level.push(folder);
    levels[d] = level;
  }
  return levels.filter((level) => level !== undefined);
}

/** The parent a folder's target object goes under: its parent folder's, or the root's. */
export function parentFolderId(folder: Folder, known: ReadonlyMap<number | null, number>): number | null {
  return folder.parentId != null && known.has(folder.parentId) ? folder.parentId : null;
}

import { migrateAction } from "./migrate-action.js";

/** The migrate action, for runners that import the entry and call `run()` (`@github/local-action`). */
export function run(): Promise<void> {
  return migrateAction();
}

// The Actions runner starts the bundle itself (`node dist/migrate.js`); an importer decides when to run.
if (import.meta.main) await run();

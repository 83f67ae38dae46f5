import { verifyAction } from "./verify-action.js";

/** The verify action, for runners that import the entry and call `run()` (`@github/local-action`). */
export function run(): Promise<void> {
  return verifyAction();
}

// The Actions runner starts the bundle itself (`node dist/verify.js`); an importer decides when to run.
if (import.meta.main) await run();

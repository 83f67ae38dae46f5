import { migrateAction } from "./migrate-action.js";

await migrateAction();

import { verifyAction } from "./verify-action.js";

await verifyAction();

import type { ResolvedConfig } from "../../config/load.js";
import type { EntityType } from "../../entity-types.js";
import type { Logger } from "../../log/logger.js";
import { type NotCarriedContext, NotCarriedTally, notCarriedContext } from "../../plan/not-carried.js";
import type { Resolution } from "../../plan/resolution.js";
import type { Progress } from "../../progress/progress.js";
import type { QTestClient } from "../../qtest/client.js";
import type { Difference } from "../../report/verification-report.js";
import type { SourceReader } from "../../zephyr/prefetch.js";
import { ComparisonTally } from "../tally.js";
import type { TargetIndex } from "./target-index.js";

/** What the check reads with and is configured by. */
export interface CheckContext {
  config: ResolvedConfig;
  zephyr: SourceReader;
  qtest: QTestClient;
  resolution: Resolution;
  log: Logger;
  progress: Progress;
  sourceCounts: { testCases: number; testCycles: number; testExecutions: number };
}

/**
 * The state one comparison builds up, passed explicitly from step to step (containers, test cases,
 * suites, executions): what it found per entity type, what it read, and what a later step needs of
 * an earlier one.
 */
export interface Comparison {
  context: CheckContext;
  target: TargetIndex;
  tallies: Record<EntityType, ComparisonTally>;
  read: { source: number; target: number; reread: number };
  /** Folder id → the path key of the module (test case folders) or test cycle (cycle folders) it becomes. */
  moduleOfFolder: Map<number, string>;
  cycleOfFolder: Map<number, string>;
  /** Test case keys in the source: a call step calls a case, and an execution is mapped, when its case is there. */
  sourceKeys: Set<string>;
  /** Per case key, the positions of its own inline steps in the target case (a number n: 0…n-1). */
  inlinePositions: Map<string, number | number[]>;
  /** Per case key, the name the case is planned with: its runs are named so. */
  caseNames: Map<string, string>;
  /** Cycle id → cycle key, for the executions' suites. */
  cycleKeys: Map<number, string>;
  /** Run keys already compared (a run stands for every execution of its cycle item). */
  expectedRuns: Set<string>;
  /** Some execution ran outside any cycle, so the ad-hoc suite is expected. */
  adHocNeeded: boolean;
  /** What the source holds that the migration does not carry, judged from each source entity as it streams by. */
  notCarried: NotCarriedTally;
  notCarriedRules: NotCarriedContext;
}

export function startComparison(context: CheckContext, target: TargetIndex): Comparison {
  return {
    context,
    target,
    tallies: {
      module: new ComparisonTally("module"),
      testCase: new ComparisonTally("testCase"),
      testStep: new ComparisonTally("testStep"),
      testCycle: new ComparisonTally("testCycle"),
      testSuite: new ComparisonTally("testSuite"),
      testRun: new ComparisonTally("testRun"),
      testLog: new ComparisonTally("testLog"),
      release: new ComparisonTally("release"),
      requirement: new ComparisonTally("requirement"),
    },
    read: { source: 0, target: target.read, reread: 0 },
    moduleOfFolder: new Map(),
    cycleOfFolder: new Map(),
    sourceKeys: new Set(),
    inlinePositions: new Map(),
    caseNames: new Map(),
    cycleKeys: new Map(),
    expectedRuns: new Set(),
    adHocNeeded: false,
    notCarried: new NotCarriedTally(),
    notCarriedRules: notCarriedContext(context.config.mapping, context.resolution),
  };
}

/** Target objects beyond the first that carry the same marker. */
export function reportSurplus(tally: ComparisonTally, key: string, primaryId: number, surplus: readonly { id: number }[]): void {
  if (surplus.length === 0) return;
  tally.problem("duplicated", key, [primaryId, ...surplus.map((r) => r.id)], surplus.length, [
    { path: "count", source: 1, target: surplus.length + 1 },
  ]);
}

/** What a comparison says of an object that disappeared between reading the target and re-reading it. */
export const DELETED_WHILE_VERIFYING: Difference = { path: "", source: "present", target: "deleted while verifying" };

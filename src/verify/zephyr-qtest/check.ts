/**
 * The `zephyr-qtest` check: counts, contents and relationships per entity type, paired by marker.
 *
 * Memory stays bounded by the number of target objects, never by their size: the target is read
 * first, each object reduced to a compact record (id, marker, container, a digest of its normalized
 * comparable form). The source is then streamed page by page; each entity is planned with the
 * migration's own plans, normalized the same way and compared digest to digest. Only where the
 * digests differ is the target object read again and compared field by field.
 */
import type { ResolvedConfig } from "../../config/load.js";
import { JiraClient } from "../../jira/client.js";
import type { Logger } from "../../log/logger.js";
import { preflight } from "../../mapping/preflight.js";
import type { NotCarriedSection } from "../../plan/not-carried.js";
import type { Progress } from "../../progress/progress.js";
import type { QTestClient } from "../../qtest/client.js";
import type { ZephyrClient } from "../../zephyr/client.js";
import { SourcePrefetch } from "../../zephyr/prefetch.js";
import type { ComparisonTally } from "../tally.js";
import { compareContainers } from "./compare-containers.js";
import { compareExecutions } from "./compare-executions.js";
import { compareAdHocSuite, compareSuites } from "./compare-suites.js";
import { compareTestCases } from "./compare-test-cases.js";
import { compareTraceability } from "./compare-traceability.js";
import { type Comparison, startComparison } from "./comparison.js";
import { readTarget } from "./read-target.js";
import type { TargetSet } from "./target-set.js";

export interface CheckResult {
  tallies: ComparisonTally[];
  read: { source: number; target: number; reread: number };
  /** What the source holds that qTest did not receive, judged from the source. */
  notCarried: NotCarriedSection;
}

/**
 * Reads both live APIs — never the state store — and compares. Writes nothing to either side: the
 * mapping is resolved by the migration's preflight as a dry run.
 */
export async function zephyrQTestCheck(input: {
  config: ResolvedConfig;
  zephyr: ZephyrClient;
  qtest: QTestClient;
  log: Logger;
  progress: Progress;
}): Promise<CheckResult> {
  const { config, zephyr, qtest, log, progress } = input;
  progress.phase("Preflight: resolving the mapping against qTest (read only)");
  const { resolution, source } = await preflight(config, zephyr, qtest, { dryRun: true, log });
  // The source's steps are read ahead while the target is read: two hosts, two rate limits, at once.
  const sourceReader = new SourcePrefetch(zephyr);
  const context = { config, zephyr: sourceReader, qtest, resolution, log, progress, sourceCounts: source };
  progress.phase("Reading the qTest target");
  sourceReader.start();
  try {
    const comparison = startComparison(context, await readTarget(context));
    progress.phase("Comparing the Zephyr source with the target");
    await compareContainers(comparison);
    await compareTestCases(comparison);
    await compareSuites(comparison);
    await compareExecutions(comparison);
    await compareAdHocSuite(comparison);
    countUnpaired(comparison);
    progress.phase("Comparing coverage links and test plans");
    await compareTraceability(comparison, {
      source: zephyr,
      jira: JiraClient.fromConfig(config, log),
      notCarried: (item) => comparison.notCarried.add(item),
    });
    return { tallies: Object.values(comparison.tallies), read: comparison.read, notCarried: comparison.notCarried.section() };
  } finally {
    sourceReader.stop();
  }
}

/** Suites, runs and logs no source entity paired with: extra. */
function countUnpaired(comparison: Comparison): void {
  const { target, tallies } = comparison;
  const sets: [ComparisonTally, TargetSet<{ id: number; marker: string | null }>][] = [
    [tallies.testSuite, target.suites],
    [tallies.testRun, target.runs],
    [tallies.testLog, target.logs],
  ];
  for (const [tally, set] of sets) {
    tally.targetCount = set.size;
    for (const record of set.leftovers()) {
      tally.problem("extra", record.marker ?? `(no ${comparison.context.config.mapping.markerField}) #${record.id}`, [record.id]);
    }
  }
}

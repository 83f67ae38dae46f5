import { forEachConcurrent } from "../../concurrency/pool.js";
import { LINK_CHUNK, type LinkSource, type LinkTargetType } from "../../qtest/object-links.js";
import type { RunContext } from "../context.js";
import type { TraceabilityCounts } from "./traceability.js";

/** Links to add to or remove from one source object (a requirement or a release), of one target type. */
export interface LinkWrite {
  source: LinkSource;
  target: LinkTargetType;
  add: readonly number[];
  remove: readonly number[];
}

/** The link changes of a pass, each source's at once (a call takes at most 100 ids: the client splits), counted. */
export async function applyLinkWrites(
  context: RunContext,
  writes: readonly LinkWrite[],
  counts: TraceabilityCounts,
): Promise<void> {
  const { qtest } = context;
  const calls = writes.flatMap((w) => [
    ...(w.add.length > 0 ? [{ ...w, kind: "link" as const, ids: w.add }] : []),
    ...(w.remove.length > 0 ? [{ ...w, kind: "unlink" as const, ids: w.remove }] : []),
  ]);
  await forEachConcurrent(calls, context.config.migration.concurrency, async (call) => {
    counts.linkWrites += Math.ceil(call.ids.length / LINK_CHUNK);
    if (call.kind === "link") {
      await qtest.link(call.source, call.target, call.ids);
      counts.linksAdded += call.ids.length;
    } else {
      await qtest.unlink(call.source, call.target, call.ids);
      counts.linksRemoved += call.ids.length;
    }
  });
}

/** This project's test runs as the state records them, each known by its marker (its record's key). */
export async function recordedRuns(context: RunContext): Promise<{ id: number; marker: string }[]> {
  const runs: { id: number; marker: string }[] = [];
  for await (const record of context.state.list("testRun", { status: "done" })) {
    if (record.targetId !== null) runs.push({ id: record.targetId, marker: record.key });
  }
  return runs;
}

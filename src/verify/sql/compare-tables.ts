/**
 * The `sql` check's comparison: two tables (or queries), on PostgreSQL or SQLite in any pairing,
 * compared row by row by key — streamed in key order and merged (`merge`), or by checksums of key
 * ranges first (`checksum`). What it returns is the framework's `CheckOutcome`; the report, thresholds
 * and exit code are the framework's. It runs in whichever thread calls it: `run.ts` gives it a worker.
 */
import { BadInputError, ExitCode, ZtoqError } from "../../errors.js";
import type { CheckContext, CheckOutcome } from "../checks/check-kind.js";
import { Findings } from "../checks/findings.js";
import { checksumCompare } from "./checksum.js";
import { type Location, parseLocation, redact } from "./location.js";
import { type MergePlan, mergeSides } from "./merge.js";
import { type ComparisonPlan, planComparison } from "./plan.js";
import { openPostgres } from "./postgres-side.js";
import type { SqlCheckSettings } from "./settings.js";
import { type SideRelation, type SqlSide, sideProblems } from "./side.js";
import type { ReadSpec } from "./sql-text.js";
import { openSqlite } from "./sqlite-side.js";

export async function compareTables(settings: SqlCheckSettings, context: CheckContext): Promise<CheckOutcome> {
  const problems = sideProblems(settings);
  if (problems.length > 0) throw new BadInputError(`sql check: ${problems.join("; ")}`);
  const locations = {
    source: parseLocation(settings.source, "source", context.baseDir),
    target: parseLocation(settings.target, "target", context.baseDir),
  };
  const relations = {
    source: { table: settings.sourceTable ?? settings.table, query: settings.sourceQuery },
    target: { table: settings.targetTable ?? settings.table, query: settings.targetQuery },
  };
  const opened = await Promise.allSettled([
    openSide(locations.source, relations.source, "source"),
    openSide(locations.target, relations.target, "target"),
  ]);
  const sides = opened.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
  try {
    const failed = opened.find((o) => o.status === "rejected");
    if (failed) throw failed.reason;
    const [source, target] = sides as [SqlSide, SqlSide];
    return await compare(settings, context, source, target);
  } catch (error) {
    throw asZtoqError(error, locations.source, locations.target);
  } finally {
    await Promise.all(sides.map((side) => side.close().catch(() => {})));
  }
}

function openSide(location: Location, relation: SideRelation, side: "source" | "target"): Promise<SqlSide> {
  return location.engine === "postgres" ? openPostgres(location, relation, side) : openSqlite(location, relation, side);
}

async function compare(
  settings: SqlCheckSettings,
  context: CheckContext,
  source: SqlSide,
  target: SqlSide,
): Promise<CheckOutcome> {
  if (settings.where !== undefined) {
    // One side after the other, so that a condition neither side takes is named for the source.
    await source.checkWhere(settings.where);
    await target.checkWhere(settings.where);
  }
  const plan = planComparison(
    settings,
    { description: `the source ${source.description}`, columns: source.columns },
    { description: `the target ${target.description}`, columns: target.columns },
  );
  const specs = {
    source: readSpec(plan, "source", source, settings.where),
    target: readSpec(plan, "target", target, settings.where),
  };
  const merge = mergePlan(plan);
  const findings = new Findings();
  const normalization = { ...plan.normalization };
  if (settings.where !== undefined) normalization["(where)"] = `both sides read WHERE ${settings.where}`;
  context.log.info(
    { source: source.description, target: target.description, method: settings.method, columns: plan.values.length },
    "sql check: comparing",
  );

  let counts: { source: number; target: number };
  let exhaustive = true;
  if (settings.method === "checksum") {
    const run = await checksumCompare(
      { source, target, sourceSpec: specs.source, targetSpec: specs.target },
      merge,
      findings,
      context.log,
    );
    counts = run;
    exhaustive = run.exhaustive;
    normalization["(checksum)"] = run.note;
  } else {
    counts = await mergeSides(
      {
        source: source.read(specs.source),
        target: target.read(specs.target),
        sourceDescription: `the source ${source.description}`,
        targetDescription: `the target ${target.description}`,
      },
      merge,
      findings,
    );
  }
  context.log.info({ ...counts, problems: findings.problems }, "sql check: compared");
  return {
    source: { description: source.description, count: counts.source },
    target: { description: target.description, count: counts.target },
    findings,
    method: settings.method,
    exhaustive,
    normalization,
    unit: "rows",
  };
}

/** What one side reads: its key columns (its own names and types, the shared order), then its compared columns. */
function readSpec(plan: ComparisonPlan, side: "source" | "target", sql: SqlSide, where: string | undefined): ReadSpec {
  return {
    keys: plan.keys.map((key) => {
      const column = sql.columns.find((c) => c.name === key[side].name);
      return {
        name: key[side].name,
        type: key[side].type,
        order: key.order,
        collatable: column?.collatable ?? false,
        nullable: column?.nullable ?? true,
      };
    }),
    values: plan.values.map((value) => value[side].name),
    where,
  };
}

function mergePlan(plan: ComparisonPlan): MergePlan {
  const orders = plan.keys.map((k) => k.order);
  return {
    keys: { names: plan.keys.map((k) => k.source.name), orders, canonical: plan.keys.map((k) => k.canonical) },
    orderNote: orders.map((o) => (o === "text" ? "by UTF-8 bytes" : "by value")).join(", "),
    values: plan.values.map((v) => ({ name: v.source.name, equal: v.equal })),
  };
}

/** Errors leave the check as ZtoqErrors, without a password in them. */
function asZtoqError(error: unknown, ...locations: Location[]): ZtoqError {
  if (error instanceof ZtoqError) {
    const message = redact(error.message, ...locations);
    if (message === error.message) return error;
    return error instanceof BadInputError ? new BadInputError(message) : new ZtoqError(message, error.exitCode);
  }
  const message = redact(error instanceof Error ? error.message : String(error), ...locations);
  return new ZtoqError(`sql check could not finish: ${message}`, ExitCode.incomplete);
}

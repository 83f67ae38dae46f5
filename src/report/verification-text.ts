import { notCarriedText } from "./not-carried-section.js";
import { textCell, textTable } from "./table-text.js";
import { judgesNotCarried, type StandaloneCheck, type VerificationReport, type ZephyrQTestCheck } from "./verification-report.js";

/** Samples shown per entity type (or check) on a terminal; the report files have more. */
const TEXT_SAMPLES = 5;

interface Sample {
  key: string;
  problem: string;
  differences: readonly { path: string; source: unknown; target: unknown }[];
}

const mark = (verdict: string) => (verdict === "passed" ? "passed" : "FAILED");

/** The closing summary of a verification on a terminal: what the Markdown twin says, as plain text. */
export function verificationReportText(report: VerificationReport): string {
  const t = report.totals;
  const lines = [
    `ZTOQ verification: ${report.status}`,
    `${t.matched} matched · ${t.missing} missing · ${t.extra} extra · ${t.changed} changed · ` +
      `${t.duplicated} duplicated · ${t.misplaced} misplaced` +
      `${judgesNotCarried(report) ? ` · ${t.notCarried} not carried` : ""}`,
    `run ${report.run.id} · ${(report.run.durationMs / 1000).toFixed(1)} s · ZTOQ ${report.run.tool.version} · fail on ${report.failOn}`,
    "",
  ];
  for (const check of report.checks) {
    lines.push(...(check.kind === "zephyr-qtest" ? zephyrQTestSection(check) : standaloneSection(check)));
  }
  const { requests, entitiesRead: read } = report.cost;
  lines.push(
    `Cost: ${requests ? `Zephyr ${requests.zephyr.requests} requests · qTest ${requests.qtest.requests} requests · ` : ""}` +
      `${read ? `${read.source} source and ${read.target} target entities read (${read.reread} re-read) · ` : ""}` +
      `${(report.cost.durationMs / 1000).toFixed(1)} s · peak ${Math.round(report.cost.peakRssBytes / 1024 / 1024)} MB`,
    "Comparison rules and every sample: in the report files.",
  );
  return lines.join("\n");
}

function thresholds(check: ZephyrQTestCheck | StandaloneCheck, skip: readonly string[] = []): string[] {
  return textTable(
    ["Threshold", "Actual", "Verdict"],
    check.thresholds
      .filter((th) => !skip.includes(th.metric))
      .map((th) => [`${th.metric} > ${th.max}`, String(th.actual), mark(th.verdict)]),
    ["left", "right", "left"],
  );
}

function zephyrQTestSection(check: ZephyrQTestCheck): string[] {
  const name = check.name === "zephyr-qtest" ? "" : `${check.name}: `;
  const lines = [
    `${mark(check.verdict)} ${name}${check.source.projectKey} (Zephyr) → qTest project ${check.target.projectId}`,
    "",
    ...thresholds(check),
    "",
  ];
  const n = (shown: number, counted: number) => (counted === shown ? `${shown}` : `${shown} (${counted} counted)`);
  lines.push(
    ...textTable(
      ["Entity", "Source", "Target", "Matched", "Missing", "Extra", "Duplicated", "Changed", "Misplaced", "Verdict"],
      check.entities.map((e) => [
        e.label,
        e.source.excluded > 0 ? `${e.source.count} (+${e.source.excluded} not mapped)` : `${e.source.count}`,
        String(e.target.count),
        String(e.matched),
        n(e.missingInTarget, e.counted.missing),
        n(e.extraInTarget, e.counted.extra),
        n(e.duplicated, e.counted.duplicated),
        n(e.changed, e.counted.changed),
        n(e.misplaced, e.counted.misplaced),
        mark(e.verdict),
      ]),
      ["left", ...Array<"right">(8).fill("right"), "left"],
    ),
    "",
  );
  const mismatches = check.entities.flatMap((e) =>
    Object.entries(e.fieldMismatches).map(([path, n]) => [e.label, path, String(n)]),
  );
  if (mismatches.length > 0) lines.push(...textTable(["Entity", "Field", "Changed"], mismatches, ["left", "left", "right"]), "");
  for (const e of check.entities.filter((x) => x.samples.length > 0)) {
    lines.push(`${e.label}: samples`, ...samples(e.samples, "Field"), "");
  }
  if (check.notCarried) lines.push(...notCarriedText(check.notCarried));
  return lines;
}

function standaloneSection(check: StandaloneCheck): string[] {
  const unit = check.cost.unit;
  const lines = [
    `${mark(check.verdict)} ${check.name} (${check.kind}): ${textCell(check.source.description)} → ${textCell(check.target.description)}`,
    "",
    ...thresholds(check, ["misplaced", "notCarried"]),
    "",
    ...textTable(
      [`Source ${unit}`, `Target ${unit}`, "Matched", "Missing", "Extra", "Changed", "Duplicated", "Method"],
      [
        [
          ...[
            check.source.count,
            check.target.count,
            check.matched,
            check.missingInTarget,
            check.extraInTarget,
            check.changed,
            check.duplicated,
          ].map(String),
          `${check.method}${check.exhaustive ? "" : " (not exhaustive)"}`,
        ],
      ],
      [...Array<"right">(7).fill("right"), "left"],
    ),
    "",
  ];
  const mismatches = Object.entries(check.fieldMismatches).map(([path, n]) => [path, String(n)]);
  if (mismatches.length > 0) {
    lines.push(...textTable([check.kind === "sql" ? "Column" : "Path", "Changed"], mismatches, ["left", "right"]), "");
  }
  if (check.samples.length > 0) lines.push(`${check.name}: samples`, ...samples(check.samples, "Path"), "");
  return lines;
}

function samples(all: readonly Sample[], pathHeader: string): string[] {
  const shown = all.slice(0, TEXT_SAMPLES);
  const rows = shown.flatMap((s) =>
    (s.differences.length > 0 ? s.differences : [{ path: "", source: undefined, target: undefined }]).map((d) => [
      textCell(s.key, 40),
      s.problem,
      textCell(d.path, 40),
      show(d.source),
      show(d.target),
    ]),
  );
  const lines = textTable(["Key", "Problem", pathHeader, "Source", "Target"], rows);
  if (all.length > shown.length) lines.push(`… and ${all.length - shown.length} more`);
  return lines;
}

function show(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "(none)";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === "" ? "(empty)" : textCell(text, 40);
}

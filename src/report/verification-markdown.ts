import { notCarriedMarkdown } from "./not-carried-section.js";
import { judgesNotCarried, type StandaloneCheck, type VerificationReport, type ZephyrQTestCheck } from "./verification-report.js";

const MARKDOWN_SAMPLES = 10;
const CELL = 80;

/** The report's Markdown twin: verdict first, then a table per check with a row per entity type, then samples. */
export function verificationReportMarkdown(report: VerificationReport): string {
  const icon = report.status === "passed" ? "✅" : "❌";
  const t = report.totals;
  const lines = [
    `## ${icon} ZTOQ verification: ${report.status}`,
    "",
    `**${t.matched}** matched · **${t.missing}** missing · **${t.extra}** extra · **${t.changed}** changed · ` +
      `**${t.duplicated}** duplicated · **${t.misplaced}** misplaced` +
      `${judgesNotCarried(report) ? ` · **${t.notCarried}** not carried` : ""}`,
    "",
    `Run \`${report.run.id}\` · ${(report.run.durationMs / 1000).toFixed(1)} s · ZTOQ ${report.run.tool.version} · fail on \`${report.failOn}\``,
    "",
  ];
  for (const check of report.checks) {
    if (check.kind === "zephyr-qtest") lines.push(...zephyrQTestSection(check));
    else lines.push(...standaloneSection(check));
  }
  const { requests, entitiesRead: read } = report.cost;
  lines.push(
    `Cost: ${requests ? `Zephyr ${requests.zephyr.requests} requests · qTest ${requests.qtest.requests} requests · ` : ""}` +
      `${read ? `${read.source} source and ${read.target} target entities read (${read.reread} re-read for field differences) · ` : ""}` +
      `${(report.cost.durationMs / 1000).toFixed(1)} s · peak ${Math.round(report.cost.peakRssBytes / 1024 / 1024)} MB`,
    "",
  );
  return lines.join("\n");
}

/** A zephyr-qtest check: thresholds, a row per entity type, changed fields, samples, rules. */
function zephyrQTestSection(check: ZephyrQTestCheck): string[] {
  const lines: string[] = [];
  lines.push(
    `### ${check.verdict === "passed" ? "✅" : "❌"} ${check.name === "zephyr-qtest" ? "" : `${check.name}: `}${check.source.projectKey} (Zephyr) → qTest project ${check.target.projectId}`,
    "",
    "| Threshold | Actual | Verdict |",
    "|---|---:|---|",
    ...check.thresholds.map((th) => `| ${th.metric} > ${th.max} | ${th.actual} | ${th.verdict === "passed" ? "✅" : "❌"} |`),
    "",
    "| Entity | Source | Target | Matched | Missing | Extra | Duplicated | Changed | Misplaced | Verdict |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
  );
  // A count part of which another type counts shows what this type adds, with a footnote.
  let marked = false;
  const n = (shown: number, counted: number) => {
    if (counted === shown) return `${shown}`;
    marked = true;
    return `${shown} (${counted} counted) ¹`;
  };
  for (const e of check.entities) {
    const source = e.source.excluded > 0 ? `${e.source.count} (+${e.source.excluded} not mapped)` : `${e.source.count}`;
    const c = e.counted;
    lines.push(
      `| ${e.label} | ${source} | ${e.target.count} | ${e.matched} | ${n(e.missingInTarget, c.missing)} | ` +
        `${n(e.extraInTarget, c.extra)} | ${n(e.duplicated, c.duplicated)} | ${n(e.changed, c.changed)} | ` +
        `${n(e.misplaced, c.misplaced)} | ${e.verdict === "passed" ? "✅" : "❌"} |`,
    );
  }
  lines.push(
    "",
    `${marked ? "¹ " : ""}Every type adds to the totals the thresholds bound, each problem once` +
      `${marked ? "; in parentheses, what a type adds where part of its count is counted through another type" : ""}. ` +
      "A test case whose only differences are in its steps is shown as changed and counted through its steps (each " +
      "missing, extra or changed step counts); the steps of a missing, extra or duplicated test case are shown and " +
      "counted through the case.",
    "",
  );
  const mismatches = check.entities.flatMap((e) => Object.entries(e.fieldMismatches).map(([path, n]) => ({ e, path, n })));
  if (mismatches.length > 0) {
    lines.push("| Entity | Field | Changed |", "|---|---|---:|");
    for (const { e, path, n } of mismatches) lines.push(`| ${e.label} | \`${path}\` | ${n} |`);
    lines.push("");
  }
  for (const e of check.entities.filter((x) => x.samples.length > 0)) {
    lines.push(...samplesTable(e.label, "Field", e.samples, e.truncated));
  }
  if (check.notCarried) lines.push(...notCarriedMarkdown(check.notCarried, "####"));
  lines.push(...rulesList(check.normalization));
  return lines;
}

/** A sql, http or script check: thresholds, counts, changed columns or paths, samples, rules. */
function standaloneSection(check: StandaloneCheck): string[] {
  const unit = check.cost.unit;
  const lines = [
    `### ${check.verdict === "passed" ? "✅" : "❌"} ${check.name} (${check.kind}): ${cell(check.source.description)} → ${cell(check.target.description)}`,
    "",
    "| Threshold | Actual | Verdict |",
    "|---|---:|---|",
    ...check.thresholds
      .filter((th) => th.metric !== "misplaced" && th.metric !== "notCarried")
      .map((th) => `| ${th.metric} > ${th.max} | ${th.actual} | ${th.verdict === "passed" ? "✅" : "❌"} |`),
    "",
    `| Source ${unit} | Target ${unit} | Matched | Missing | Extra | Changed | Duplicated | Method |`,
    "|---:|---:|---:|---:|---:|---:|---:|---|",
    `| ${check.source.count} | ${check.target.count} | ${check.matched} | ${check.missingInTarget} | ${check.extraInTarget} | ` +
      `${check.changed} | ${check.duplicated} | ${check.method}${check.exhaustive ? "" : " (not exhaustive)"} |`,
    "",
  ];
  const mismatches = Object.entries(check.fieldMismatches);
  if (mismatches.length > 0) {
    lines.push(`| ${check.kind === "sql" ? "Column" : "Path"} | Changed |`, "|---|---:|");
    for (const [path, n] of mismatches) lines.push(`| \`${cell(path)}\` | ${n} |`);
    lines.push("");
  }
  if (check.samples.length > 0) lines.push(...samplesTable(check.name, "Path", check.samples, check.truncated));
  lines.push(...rulesList(check.normalization));
  return lines;
}

/** A folded table of the first samples, a row per difference. */
function samplesTable(
  title: string,
  pathColumn: string,
  samples: readonly {
    key: string;
    problem: string;
    differences: readonly { path: string; source: unknown; target: unknown }[];
  }[],
  truncated: boolean,
): string[] {
  const shown = samples.slice(0, MARKDOWN_SAMPLES);
  const more = samples.length - shown.length;
  const lines = [
    `<details><summary>${title}: ${shown.length} sample(s)${more > 0 || truncated ? " (more in the JSON report)" : ""}</summary>`,
    "",
    `| Key | Problem | ${pathColumn} | Source | Target |`,
    "|---|---|---|---|---|",
  ];
  for (const s of shown) {
    const rows = s.differences.length > 0 ? s.differences : [{ path: "", source: undefined, target: undefined }];
    for (const d of rows) {
      lines.push(
        `| \`${cell(s.key)}\` | ${s.problem} | ${d.path ? `\`${cell(d.path)}\`` : ""} | ${show(d.source)} | ${show(d.target)} |`,
      );
    }
  }
  lines.push("", "</details>", "");
  return lines;
}

function rulesList(rules: Readonly<Record<string, string>>): string[] {
  const lines = ["<details><summary>Comparison rules</summary>", ""];
  for (const [name, rule] of Object.entries(rules)) lines.push(`- **${name}**: ${rule}`);
  lines.push("", "</details>", "");
  return lines;
}

function cell(text: string): string {
  const flat = text.replaceAll("|", "\\|").replace(/\s+/g, " ");
  return flat.length > CELL ? `${flat.slice(0, CELL)}…` : flat;
}

function show(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "*(none)*";
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === "" ? "*(empty)*" : cell(text);
}

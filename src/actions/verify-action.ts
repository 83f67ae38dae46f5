import * as core from "@actions/core";
import { context } from "@actions/github";
import { loadConfig } from "../config/load.js";
import { settings } from "../config/settings.js";
import { annotate } from "../github/annotations.js";
import { artifactUrl, isPullRequest } from "../github/context.js";
import { upsertStickyComment } from "../github/pr-comment.js";
import { writeJobSummary } from "../github/summary.js";
import { createLogger } from "../log/logger.js";
import { verificationReportMarkdown } from "../report/verification-markdown.js";
import type { Difference } from "../report/verification-report.js";
import { verify } from "../verify/run.js";
import { uploadFiles } from "./artifacts.js";
import { connectionInputs, inputOrDefault, inputValue } from "./inputs.js";
import { runAction } from "./run-action.js";

const PROBLEMS: Record<string, string> = {
  missing: "in Zephyr, not found in qTest",
  extra: "in qTest with no Zephyr counterpart",
  duplicated: "more than one qTest object carries this key",
  changed: "contents differ",
  misplaced: "in the wrong module, cycle, suite or run",
};

const STANDALONE_PROBLEMS: Record<string, string> = {
  missing: "in the source, not in the target",
  extra: "in the target, not in the source",
  duplicated: "this key occurs more than once",
  changed: "contents differ",
};

/**
 * The verify action (`verify/action.yml`): reads both live systems, sets `result` for downstream
 * `needs:` gates, uploads the report, writes the summary, and keeps one sticky comment on a PR.
 * A failed verdict fails the step, so dependent jobs do not run.
 */
export function verifyAction(): Promise<void> {
  return runAction(async () => {
    const { configPath, overrides } = connectionInputs("verify");
    const failOn = inputValue(settings.failOn);
    const comment = inputOrDefault(settings.comment, "verify");
    const retentionDays = inputValue(settings.retentionDays);
    const reportName = inputOrDefault(settings.reportName, "verify");
    const githubToken = inputValue(settings.githubToken) ?? "";
    const checksFile = inputValue(settings.checks);
    const load = () => loadConfig({ path: configPath, overrides });
    const { report, reportPath, exitCode } = await verify({
      // A checks file without a zephyr-qtest check needs no ZTOQ configuration at all.
      config: checksFile ? load : await load(),
      checksFile,
      failOn,
      log: createLogger({ component: "verify" }),
    });

    const { totals } = report;
    core.setOutput("result", report.status);
    core.setOutput("mismatches", totals.changed + totals.misplaced);
    core.setOutput("missing", totals.missing);
    core.setOutput("extra", totals.extra);
    core.setOutput("report-path", reportPath);

    const artifact = await uploadFiles(reportName, [reportPath, reportPath.replace(/\.json$/, ".md")], retentionDays);
    if (artifact) core.setOutput("artifact-id", artifact.id);
    const url = artifact ? artifactUrl(artifact.id) : undefined;
    const markdown = `${verificationReportMarkdown(report)}${url ? `\n[Full report (artifact ${reportName})](${url})\n` : ""}`;
    await writeJobSummary(markdown);

    const annotation = (
      what: string,
      sample: { key: string; problem: string; differences: readonly Difference[] },
      why: string,
    ) => ({
      level: "error" as const,
      title: `ZTOQ verify: ${what} ${sample.key} ${sample.problem}`,
      message:
        sample.differences.map((d) => `${d.path}: ${JSON.stringify(d.source)} ≠ ${JSON.stringify(d.target)}`).join("\n") || why,
    });
    const samples = report.checks.flatMap((check) =>
      check.kind === "zephyr-qtest"
        ? check.entities.flatMap((entity) =>
            entity.samples.map((sample) => annotation(entity.label, sample, PROBLEMS[sample.problem] ?? sample.problem)),
          )
        : check.samples.map((sample) =>
            annotation(`${check.name} (${check.kind})`, sample, STANDALONE_PROBLEMS[sample.problem] ?? sample.problem),
          ),
    );
    // GitHub shows ten errors per step: eight samples, the "…and N more" line and the failure itself.
    if (report.status === "failed") annotate(samples, 8);

    if (comment !== "never" && isPullRequest()) {
      // auto: speak up when something is wrong, and keep an existing comment current once it is fixed.
      await upsertStickyComment({
        token: githubToken,
        marker: `verify-${reportName}`,
        body: markdown,
        context,
        ...(comment === "auto" && report.status === "passed" && { onlyUpdate: true }),
      });
    }
    const failure = `Verification failed: ${totals.missing} missing, ${totals.extra} extra, ${totals.changed} changed, ${totals.duplicated} duplicated, ${totals.misplaced} misplaced (fail on ${report.failOn}).`;
    return { exitCode, failure };
  });
}

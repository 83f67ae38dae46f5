import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fitSummary, SUMMARY_LIMIT_BYTES, TRUNCATION_NOTE, writeJobSummary } from "../../src/github/summary.js";
import { captureStdout, useEnv } from "./helpers.js";

describe("writeJobSummary", () => {
  const setEnv = useEnv();
  let dir: string;
  let file: string;

  // core.summary remembers the first file path it resolves, so every test in this file uses one path.
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ztoq-summary-"));
    file = join(dir, "step_summary.md");
  });
  beforeEach(async () => {
    await writeFile(file, "");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("appends the Markdown to $GITHUB_STEP_SUMMARY", async () => {
    setEnv({ GITHUB_STEP_SUMMARY: file });
    await writeFile(file, "earlier step\n");
    expect(await writeJobSummary("## ZTOQ verify\n\n| type | matched |\n|---|---|\n| cases | 3 |")).toBe(true);
    expect(await writeJobSummary("second part")).toBe(true);
    const text = await readFile(file, "utf8");
    expect(text).toBe("earlier step\n## ZTOQ verify\n\n| type | matched |\n|---|---|\n| cases | 3 |\nsecond part\n");
  });

  it("is a no-op returning false when GITHUB_STEP_SUMMARY is unset", async () => {
    setEnv({ GITHUB_STEP_SUMMARY: undefined });
    expect(await writeJobSummary("# nothing")).toBe(false);
    expect(await readFile(file, "utf8")).toBe("");
  });

  it("truncates at a line boundary below 1024 KiB, counting what is already in the file, and says so", async () => {
    setEnv({ GITHUB_STEP_SUMMARY: file });
    const already = "x".repeat(300 * 1024);
    await writeFile(file, already);
    const rows = Array.from({ length: 30_000 }, (_, i) => `| TC-${i} | naïve → ✓ | ${"é".repeat(10)} |`);
    const markdown = `| key | note | pad |\n|---|---|---|\n${rows.join("\n")}`;
    expect(Buffer.byteLength(markdown)).toBeGreaterThan(SUMMARY_LIMIT_BYTES);

    const out = captureStdout();
    try {
      expect(await writeJobSummary(markdown)).toBe(true);
    } finally {
      out.restore();
    }
    const size = (await stat(file)).size;
    expect(size).toBeLessThan(SUMMARY_LIMIT_BYTES);
    expect(size).toBeGreaterThan(SUMMARY_LIMIT_BYTES - 16 * 1024);
    const text = await readFile(file, "utf8");
    expect(text.startsWith(already)).toBe(true);
    expect(text.endsWith(`${TRUNCATION_NOTE}\n`)).toBe(true);
    expect(text).not.toContain("\uFFFD");
    // The last table row kept is complete.
    const kept = text.slice(already.length).split("\n\n")[0]?.split("\n") ?? [];
    expect(kept.at(-1)).toMatch(/^\| TC-\d+ \| naïve → ✓ \| é{10} \|$/);
  });

  it("warns and returns false when the file is already full", async () => {
    setEnv({ GITHUB_STEP_SUMMARY: file });
    await writeFile(file, "x".repeat(SUMMARY_LIMIT_BYTES - 100));
    const out = captureStdout();
    try {
      expect(await writeJobSummary("more")).toBe(false);
    } finally {
      out.restore();
    }
    expect(out.lines().some((line) => line.startsWith("::warning::") && line.includes("1024 KiB"))).toBe(true);
    expect((await stat(file)).size).toBe(SUMMARY_LIMIT_BYTES - 100);
  });
});

describe("fitSummary", () => {
  it("keeps content that fits untouched", () => {
    expect(fitSummary("a\nb", 100)).toBe("a\nb");
  });

  it("closes a code fence left open by the cut", () => {
    const markdown = `intro\n\`\`\`json\n${'{"a": 1}\n'.repeat(200)}\`\`\`\nafter`;
    const fitted = fitSummary(markdown, 1000);
    expect(fitted).toBeDefined();
    expect(Buffer.byteLength(fitted ?? "")).toBeLessThanOrEqual(1000);
    expect(fitted?.match(/^```/gm)?.length).toBe(2);
    expect(fitted?.endsWith(TRUNCATION_NOTE)).toBe(true);
  });

  it("never splits a multi-byte character when there is no line break", () => {
    const fitted = fitSummary("€".repeat(1000), 500) ?? "";
    expect(fitted).not.toContain("\uFFFD");
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(500);
    expect(fitted.startsWith("€€€")).toBe(true);
  });

  it("gives up when not even the note fits", () => {
    expect(fitSummary("x".repeat(100), 10)).toBeUndefined();
  });
});

import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { uploadArtifact } from "../../src/github/artifact.js";
import { type ArtifactService, readZip, startArtifactService } from "../support/artifact-service.js";
import { captureStdout, commands, useEnv } from "./helpers.js";

describe("uploadArtifact against the artifact stand-in", () => {
  const setEnv = useEnv();
  let service: ArtifactService;
  let dir: string;
  let files: string[];
  const report = JSON.stringify({ schemaVersion: 1, status: "passed", checks: [{ type: "testCase", matched: 3 }] }, null, 2);
  const markdown = "# Verification\n\n| type | matched |\n|---|---|\n| testCase | 3 |\n";

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ztoq-artifact-"));
    await mkdir(join(dir, "reports"), { recursive: true });
    files = [join(dir, "verification-report.json"), join(dir, "reports", "verification-report.md")];
    await writeFile(files[0] ?? "", report);
    await writeFile(files[1] ?? "", markdown);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    service = await startArtifactService();
  });
  afterEach(async () => {
    await service.stop();
  });

  it("uploads two files as one zip, with the retention turned into expires_at", async () => {
    setEnv(service.env());
    const before = Date.now();
    const out = captureStdout();
    let result: Awaited<ReturnType<typeof uploadArtifact>>;
    try {
      result = await uploadArtifact({ name: "ztoq-verify-report", files, rootDirectory: dir, retentionDays: 7 });
    } finally {
      out.restore();
    }

    const stored = service.artifacts.get("ztoq-verify-report");
    expect(stored?.finalized).toBe(true);
    expect(result).toEqual({ id: stored?.id, size: stored?.bytes.length });
    expect(result?.size).toBeGreaterThan(0);

    const unzipped = readZip(stored?.bytes ?? Buffer.alloc(0));
    expect([...unzipped.keys()].sort()).toEqual(["reports/verification-report.md", "verification-report.json"]);
    expect(unzipped.get("verification-report.json")?.toString("utf8")).toBe(report);
    expect(unzipped.get("reports/verification-report.md")?.toString("utf8")).toBe(markdown);

    const expiresAt = Date.parse(stored?.expiresAt ?? "");
    const sevenDays = 7 * 24 * 3600 * 1000;
    // setDate(+7) across a DST change can move it by an hour.
    expect(expiresAt).toBeGreaterThanOrEqual(before + sevenDays - 3_600_000);
    expect(expiresAt).toBeLessThanOrEqual(Date.now() + sevenDays + 3_600_000);
    expect(stored?.createRequest).toMatchObject({ name: "ztoq-verify-report", version: 7, mime_type: "application/zip" });
    expect(stored?.finalizeRequest?.hash).toMatch(/^sha256:[0-9a-f]{64}$/);

    // Twirp calls carry the runtime token; the blob PUTs carry none (the SAS URL is the credential).
    const blockPuts = service.requests.filter((r) => r.method === "PUT");
    expect(blockPuts.some((r) => r.path.includes("comp=block&blockid="))).toBe(true);
    expect(blockPuts.some((r) => r.path.includes("comp=blocklist"))).toBe(true);
    expect(blockPuts.every((r) => r.authorization === undefined)).toBe(true);
    expect(service.requests.filter((r) => r.path.startsWith("/twirp/")).map((r) => r.path.split("/").pop())).toEqual([
      "CreateArtifact",
      "FinalizeArtifact",
    ]);
    expect(commands(out.lines(), "warning")).toEqual([]);
  });

  it("assembles a multi-block upload (over the client's 8 MiB chunk) in BlockList order", async () => {
    setEnv(service.env());
    const bigDir = await mkdtemp(join(tmpdir(), "ztoq-artifact-big-"));
    try {
      const state = randomBytes(9 * 1024 * 1024); // incompressible, so the zip needs two blocks
      await writeFile(join(bigDir, "state.db"), state);
      const out = captureStdout();
      let result: Awaited<ReturnType<typeof uploadArtifact>>;
      try {
        result = await uploadArtifact({ name: "ztoq-migrate-state", files: [join(bigDir, "state.db")], rootDirectory: bigDir });
      } finally {
        out.restore();
      }
      const stored = service.artifacts.get("ztoq-migrate-state");
      expect(result?.id).toBe(stored?.id);
      expect(service.requests.filter((r) => r.path.includes("comp=block&")).length).toBeGreaterThanOrEqual(2);
      expect(
        readZip(stored?.bytes ?? Buffer.alloc(0))
          .get("state.db")
          ?.equals(state),
      ).toBe(true);
    } finally {
      await rm(bigDir, { recursive: true, force: true });
    }
  });

  it("sends no expires_at when no retention is asked for", async () => {
    setEnv(service.env());
    const out = captureStdout();
    try {
      expect(await uploadArtifact({ name: "plain", files, rootDirectory: dir })).toBeDefined();
    } finally {
      out.restore();
    }
    expect(service.artifacts.get("plain")?.createRequest).not.toHaveProperty("expires_at");
  });

  it("returns undefined with a debug line outside Actions, without any request", async () => {
    setEnv({ ...service.env(), ACTIONS_RUNTIME_TOKEN: undefined, ACTIONS_RESULTS_URL: undefined });
    const out = captureStdout();
    try {
      expect(await uploadArtifact({ name: "local", files, rootDirectory: dir })).toBeUndefined();
    } finally {
      out.restore();
    }
    expect(commands(out.lines(), "debug").join("\n")).toContain("ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL not set");
    expect(commands(out.lines(), "warning")).toEqual([]);
    expect(service.requests).toEqual([]);
  });

  it("warns and returns undefined when the service refuses the artifact", async () => {
    setEnv(service.env());
    service.failures.create = 403;
    const out = captureStdout();
    try {
      expect(await uploadArtifact({ name: "refused", files, rootDirectory: dir })).toBeUndefined();
    } finally {
      out.restore();
    }
    const warnings = commands(out.lines(), "warning");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('Could not upload artifact "refused"');
    expect(warnings[0]).toContain("403");
  });

  it("warns and returns undefined when the blob upload is refused", async () => {
    setEnv(service.env());
    service.failures.block = 403;
    const out = captureStdout();
    try {
      expect(await uploadArtifact({ name: "blob-refused", files, rootDirectory: dir })).toBeUndefined();
    } finally {
      out.restore();
    }
    expect(commands(out.lines(), "warning").join("\n")).toContain('Could not upload artifact "blob-refused"');
    expect(service.artifacts.get("blob-refused")?.finalized).toBe(false);
  });

  it("warns and returns undefined when a file is missing", async () => {
    setEnv(service.env());
    const out = captureStdout();
    try {
      expect(await uploadArtifact({ name: "missing", files: [join(dir, "nope.json")], rootDirectory: dir })).toBeUndefined();
    } finally {
      out.restore();
    }
    expect(commands(out.lines(), "warning").join("\n")).toContain('Could not upload artifact "missing"');
  });
});

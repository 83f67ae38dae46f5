import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log/logger.js";
import { migrate } from "../../src/migrate/run.js";
import { Progress } from "../../src/progress/progress.js";
import { type MigrationFixture, migrationFixture } from "../support/migration-fixture.js";

describe("structured logs of a migration", () => {
  let fixture: MigrationFixture;
  const lines: Record<string, unknown>[] = [];
  let raw = "";

  beforeAll(async () => {
    // A fault rate makes the clients log retries and reconciliations too.
    fixture = await migrationFixture({ generate: 25, seed: 9, faultRate: 0.05 });
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        raw += chunk.toString();
        done();
      },
    });
    const log = createLogger({ component: "migrate" }, sink);
    log.level = "debug";
    for (let attempt = 0; attempt < 5; attempt++) {
      const { exitCode } = await migrate({
        config: fixture.config,
        mode: "full",
        dryRun: false,
        prune: false,
        reportPath: `${fixture.dir}/report.json`,
        log,
        progress: new Progress({ quiet: true }),
      });
      if (exitCode === 0) break;
    }
    for (const line of raw.trim().split("\n")) lines.push(JSON.parse(line));
  });
  afterAll(async () => {
    await fixture.close();
  });

  it("carries the run id on every line and the entity key on every entity line", () => {
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) expect(line.runId, JSON.stringify(line)).toMatch(/^\d{8}T\d{6}-[0-9a-f]{6}$/);
    const entityLines = lines.filter((l) => "entity" in l);
    expect(entityLines.length).toBeGreaterThan(10);
    for (const line of entityLines) expect(typeof line.key, JSON.stringify(line)).toBe("string");
  });

  it("never contains a secret", () => {
    expect(raw).not.toContain(fixture.mocks.zephyr.token);
    expect(raw).not.toContain(fixture.mocks.qtest.token);
    expect(raw).not.toContain(fixture.mocks.qtest.password);
    expect(raw.toLowerCase()).not.toMatch(/authorization":\s*"(bearer|basic)/);
  });
});

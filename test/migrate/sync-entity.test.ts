import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ExitCode } from "../../src/errors.js";
import { ApiError } from "../../src/http/errors.js";
import { createLogger } from "../../src/log/logger.js";
import type { RunContext } from "../../src/migrate/context.js";
import { type EntitySync, StaleTarget, syncEntity } from "../../src/migrate/sync-entity.js";
import { OutcomeTally } from "../../src/migrate/tally.js";
import { TargetPresence } from "../../src/migrate/target-presence.js";
import { SqliteStateStore } from "../../src/state/sqlite-store.js";

const log = createLogger({ test: true });
log.level = "silent";

const notFound = () => new ApiError({ method: "PUT", url: "http://127.0.0.1/x", status: 404, body: "gone" });

/** The exactly-once protocol on a real SQLite state, with a target played by the callbacks. */
describe("syncEntity against a stale state", () => {
  let dir: string;
  let state: SqliteStateStore;
  let context: RunContext;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "ztoq-sync-"));
    state = new SqliteStateStore(join(dir, "state.db"));
    await state.open();
    context = {
      runId: "run-1",
      startedAt: Date.now(),
      reconcile: false,
      state,
      tally: new OutcomeTally(),
      targetPresence: TargetPresence.unknown(),
      log,
    } as unknown as RunContext;
    await state.recordDone("testCase", "QA-T1", { targetId: 100, hash: "old", runId: "run-0" });
  });
  afterEach(async () => {
    await state.close();
    await rm(dir, { recursive: true, force: true });
  });

  const sync = (overrides: Partial<EntitySync>): EntitySync => ({
    type: "testCase",
    key: "QA-T1",
    hash: "new",
    create: async () => ({ targetId: 300 }),
    find: async () => undefined,
    ...overrides,
  });

  it("an update answered 404 takes the object carrying the marker, and brings it up to date", async () => {
    const updated: number[] = [];
    const result = await syncEntity(
      context,
      sync({
        update: async ({ targetId }) => {
          updated.push(targetId);
          if (targetId === 100) throw notFound();
          return { targetId };
        },
        adopt: async () => ({ written: { targetId: 200 }, current: false }),
      }),
    );
    expect(updated).toEqual([100, 200]);
    expect(result).toMatchObject({ targetId: 200, outcome: "updated" });
    expect(await state.get("testCase", "QA-T1")).toMatchObject({ targetId: 200, hash: "new", status: "done" });
  });

  it("an update answered 404 with nothing carrying the marker makes the object again, and says it created it", async () => {
    const result = await syncEntity(
      context,
      sync({
        update: async () => {
          throw notFound();
        },
        adopt: async () => undefined,
      }),
    );
    expect(result).toMatchObject({ targetId: 300, outcome: "created" });
    expect(await state.get("testCase", "QA-T1")).toMatchObject({ targetId: 300, status: "done" });
  });

  it("a record of an object found lost during the run is not trusted: the object is made again", async () => {
    context.targetPresence.lost("testCase", 100);
    const result = await syncEntity(context, sync({ hash: "old", update: async (t) => t, adopt: async () => undefined }));
    expect(result).toMatchObject({ targetId: 300, outcome: "created" });
  });

  it("a 404 it cannot put right is bad input naming the command that repairs it, and the entity stays retryable", async () => {
    const error = await syncEntity(
      context,
      sync({
        update: async () => {
          throw notFound();
        },
        adopt: async () => undefined,
        create: async () => {
          throw notFound();
        },
      }),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StaleTarget);
    expect((error as StaleTarget).exitCode).toBe(ExitCode.badInput);
    expect((error as StaleTarget).message).toMatch(/testCase QA-T1 .*run `ztoq migrate --reconcile`/);
    expect(await state.get("testCase", "QA-T1")).toMatchObject({ status: "failed" });
  });
});

import { spawn } from "node:child_process";
import { hostname } from "node:os";
import { describe, expect, it } from "vitest";
import type { HoldAttempt, HoldRequest, StoreHold, StoreProject } from "../../src/state/hold.js";
import type { SqlStateStoreOptions } from "../../src/state/sql-store.js";
import type { StateStore } from "../../src/state/store.js";
import { processScope } from "../../src/state/this-process.js";

/**
 * The hold, as every `StateStore` must keep it (part of `stateStoreContract`): each test opens stores
 * at one location, as separate runs (processes, machines) would.
 */

export interface HoldSubject {
  /** The contract's store, open. */
  store: StateStore;
  /** Another store at the same location, not yet opened. */
  another: (options?: SqlStateStoreOptions) => StateStore;
}

const PROJECT: StoreProject = { zephyrProject: "QA", qtestUrl: "https://example.qtestnet.com", qtestProject: 7 };

/** A request from this process, unless told otherwise. */
export function request(holder: string, overrides: Partial<HoldRequest> = {}): HoldRequest {
  return {
    holder,
    command: "migrate",
    shard: null,
    host: hostname(),
    pid: process.pid,
    scope: processScope(),
    workflow: null,
    project: PROJECT,
    recordProject: true,
    ...overrides,
  };
}

export function taken(attempt: HoldAttempt): StoreHold {
  if (!attempt.taken) throw new Error(`expected the hold to be taken, got ${JSON.stringify(attempt)}`);
  return attempt.hold;
}

function holdersOf(attempt: HoldAttempt): string[] {
  if (attempt.taken || attempt.reason !== "held")
    throw new Error(`expected the hold to be refused, got ${JSON.stringify(attempt)}`);
  return attempt.holders.map((hold) => hold.holder);
}

/** The pid of a process of this machine that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.on("exit", resolve));
  if (child.pid === undefined) throw new Error("no pid");
  return child.pid;
}

async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function holdContract(subject: () => HoldSubject): void {
  describe("holds", () => {
    /** Opens `another` store and closes it after `use`. */
    async function withAnother<T>(use: (other: StateStore) => Promise<T>, options?: SqlStateStoreOptions): Promise<T> {
      const other = subject().another(options);
      await other.open();
      try {
        return await use(other);
      } finally {
        await other.close();
      }
    }

    it("takes the hold and records the project; a second run is refused, named, and changes nothing", async () => {
      const { store } = subject();
      const workflow = {
        repository: "octo/qa",
        workflow: "Nightly",
        runId: "77",
        runAttempt: "2",
        serverUrl: "https://github.com",
      };
      const first = await store.acquireHold(request("run-a", { workflow }));
      expect(first).toMatchObject({ taken: true, tookOver: [] });
      expect(await store.project()).toEqual(PROJECT);
      const [hold] = await store.holds();
      expect(await store.holds()).toEqual([
        {
          holder: "run-a",
          command: "migrate",
          shard: null,
          host: hostname(),
          pid: process.pid,
          scope: processScope(),
          workflow,
          since: expect.any(String),
          heartbeatAt: hold?.since,
          stale: false,
        },
      ]);

      await withAnother(async (other) => {
        const second = await other.acquireHold(request("run-b", { command: "rollback", recordProject: false }));
        expect(second).toEqual({ taken: false, reason: "held", holders: await store.holds() });
        expect(await other.holds()).toEqual(await store.holds());
      });
    });

    it("lets the next run in once the hold is released, or the store that took it is closed", async () => {
      const { store } = subject();
      const first = taken(await store.acquireHold(request("run-a")));
      await first.release();
      await first.release();
      expect(await store.holds()).toEqual([]);

      await withAnother(async (other) => {
        taken(await other.acquireHold(request("run-b")));
        expect(holdersOf(await store.acquireHold(request("run-c")))).toEqual(["run-b"]);
      });
      expect(await store.holds()).toEqual([]);
      taken(await store.acquireHold(request("run-c")));
    });

    it("keeps a hold's heartbeat going while it is held", async () => {
      await withAnother(
        async (other) => {
          taken(await other.acquireHold(request("run-a")));
          const [before] = await subject().store.holds();
          await waitUntil(async () => (await subject().store.holds())[0]?.heartbeatAt !== before?.heartbeatAt);
          const [after] = await subject().store.holds();
          expect(Date.parse(after?.heartbeatAt ?? "")).toBeGreaterThan(Date.parse(before?.heartbeatAt ?? ""));
          expect(after?.since).toBe(before?.since);
        },
        { heartbeatMs: 40 },
      );
    });

    it("lets shards hold together, and keeps an unsharded run and a shard apart", async () => {
      const { store } = subject();
      const one = taken(await store.acquireHold(request("shard-1", { shard: "1/2" })));
      await withAnother(async (other) => {
        const two = taken(await other.acquireHold(request("shard-2", { shard: "2/2" })));
        expect(holdersOf(await other.acquireHold(request("alone")))).toEqual(["shard-1", "shard-2"]);
        await one.release();
        expect(holdersOf(await store.acquireHold(request("alone")))).toEqual(["shard-2"]);
        await two.release();
      });
      const alone = taken(await store.acquireHold(request("alone")));
      expect(holdersOf(await store.acquireHold(request("shard-3", { shard: "1/2" })))).toEqual(["alone"]);
      await alone.release();
    });

    it("takes over at once from a holder whose process on this machine is gone, and the holder learns it lost the hold", async () => {
      const pid = await deadPid();
      await withAnother(
        async (killed) => {
          const lost = taken(await killed.acquireHold(request("run-killed", { pid })));
          const next = await subject().store.acquireHold(request("run-next"));
          expect(next).toMatchObject({
            taken: true,
            tookOver: [{ hold: { holder: "run-killed", pid }, why: `its process ${pid} on ${hostname()} is gone` }],
          });
          expect((await subject().store.holds()).map((hold) => hold.holder)).toEqual(["run-next"]);
          await waitUntil(() => lost.lost.aborted);
          expect(String(lost.lost.reason)).toMatch(/another run judged this one dead and took over its hold/);
          // Releasing a lost hold leaves the new holder's alone.
          await lost.release();
          expect((await subject().store.holds()).map((hold) => hold.holder)).toEqual(["run-next"]);
        },
        { heartbeatMs: 40 },
      );
    });

    it("takes over from a holder out of sight only once its heartbeat is stale by the store's clock", async () => {
      // A holder whose pid cannot be asked about from here (a container of this machine, with a name and
      // pid namespace of its own, which may share even a state file), and whose process stopped beating.
      const boot = processScope()?.split("/")[0] ?? "boot";
      const outOfSight = { host: "container-elsewhere", pid: 1, scope: `${boot}/pid:[4026000000]` };
      await withAnother(
        async (elsewhere) => {
          taken(await elsewhere.acquireHold(request("run-elsewhere", outOfSight)));
          // A fresh heartbeat means alive.
          expect(holdersOf(await subject().store.acquireHold(request("run-next")))).toEqual(["run-elsewhere"]);

          await withAnother(
            async (impatient) => {
              await waitUntil(async () => (await impatient.holds())[0]?.stale === true);
              const next = await impatient.acquireHold(request("run-next"));
              expect(next).toMatchObject({
                taken: true,
                tookOver: [
                  {
                    hold: { holder: "run-elsewhere", host: "container-elsewhere" },
                    why: expect.stringMatching(/no sign of life/),
                  },
                ],
              });
            },
            { holdStaleMs: 200 },
          );
        },
        { heartbeatMs: 3_600_000 },
      );
    });

    it("grants the hold to exactly one of several runs asking at once", async () => {
      const others = Array.from({ length: 4 }, () => subject().another());
      try {
        for (const other of others) await other.open();
        const stores = [subject().store, ...others];
        const attempts = await Promise.all(stores.map((store, i) => store.acquireHold(request(`run-${i}`))));
        const winners = attempts.filter((attempt) => attempt.taken);
        expect(winners).toHaveLength(1);
        const [held] = await subject().store.holds();
        for (const attempt of attempts) if (!attempt.taken) expect(holdersOf(attempt)).toEqual([held?.holder]);
      } finally {
        for (const other of others) await other.close();
      }
    });

    it("refuses a run of another project, and records nothing for it", async () => {
      const { store } = subject();
      await taken(await store.acquireHold(request("run-a"))).release();

      const other: StoreProject = { zephyrProject: "OPS", qtestUrl: PROJECT.qtestUrl, qtestProject: 7 };
      for (const project of [other, { ...PROJECT, qtestProject: 8 }, { ...PROJECT, qtestUrl: "https://other.qtestnet.com" }]) {
        expect(await store.acquireHold(request("run-b", { project }))).toEqual({
          taken: false,
          reason: "project",
          project: PROJECT,
        });
      }
      expect(await store.holds()).toEqual([]);
      expect(await store.project()).toEqual(PROJECT);

      // The same site spelled another way is the same project.
      const spelled = { ...PROJECT, qtestUrl: "HTTPS://Example.qtestnet.com/" };
      await taken(await store.acquireHold(request("run-c", { project: spelled }))).release();
      expect(await store.project()).toEqual(PROJECT);
    });

    it("records no project for a run that only compares it", async () => {
      const { store } = subject();
      await taken(await store.acquireHold(request("run-a", { recordProject: false }))).release();
      expect(await store.project()).toBeUndefined();
      await taken(await store.acquireHold(request("run-b"))).release();
      expect(await store.project()).toEqual(PROJECT);
    });

    it("shows the holds and project to a store opened for reading only, and refuses it a hold", async () => {
      const { store } = subject();
      taken(await store.acquireHold(request("run-a")));
      const reader = subject().another();
      try {
        expect(await reader.openExisting()).toBe(true);
        expect(await reader.holds()).toEqual(await store.holds());
        expect(await reader.project()).toEqual(PROJECT);
        await expect(reader.acquireHold(request("run-b"))).rejects.toThrow(/reading only/);
      } finally {
        await reader.close();
      }
      expect((await store.holds()).map((hold) => hold.holder)).toEqual(["run-a"]);
    });
  });
}

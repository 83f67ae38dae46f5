// The one suite every StateStore must pass; it stays whole so that each store is held to all of it in one place.
import { hostname } from "node:os";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordedTypeSchema } from "../../src/entity-types.js";
import type { SqlStateStoreOptions } from "../../src/state/sql-store.js";
import {
  type EntityRecord,
  type EntityStatus,
  entityStatusSchema,
  type StateStore,
  type StatusCounts,
} from "../../src/state/store.js";
import { holdContract } from "./hold-contract.js";

export interface StoreUnderTest {
  /** A new, empty, not yet opened store. */
  store: StateStore;
  /** Removes whatever the store left behind; called after the store is closed. */
  cleanup: () => Promise<void>;
  /** Another store at the same location, not yet opened: a second process, such as `ztoq status`. */
  another: (options?: SqlStateStoreOptions) => StateStore;
  /** Whether anything of the store is at its location (for SQLite its file or directory, for PostgreSQL its schema). */
  exists: () => Promise<boolean>;
}

/** More than two `list()` pages in any reasonable implementation, and not a multiple of a round page size. */
const MANY = 1_234;

/**
 * What every `StateStore` must do, whatever holds the state. "Key order" means code point order (UTF-8
 * byte order), the same in every store, so a migration resumed against another store walks the same way.
 */
export function stateStoreContract(name: string, make: () => Promise<StoreUnderTest>): void {
  describe(`${name} StateStore contract`, () => {
    let subject: StoreUnderTest;
    let store: StateStore;

    beforeEach(async () => {
      subject = await make();
      store = subject.store;
      await store.open();
    });

    afterEach(async () => {
      await store.close();
      await subject.cleanup();
    });

    describe("open and close", () => {
      it("opens again without harm, while open and after close, keeping every kind of data", async () => {
        await store.open();
        await store.recordDone("testCase", "P-T1", { targetId: 7, hash: "h1", data: { versionId: 3 }, runId: "r1" });
        await store.startRun({ id: "r1", mode: "full" });
        await store.setWatermark("testCases", "2024-05-01T00:00:00Z");
        const before = await store.get("testCase", "P-T1");

        for (let cycle = 0; cycle < 3; cycle++) {
          await store.close();
          await store.open();
        }

        expect(await store.get("testCase", "P-T1")).toEqual(before);
        expect((await store.lastRun())?.id).toBe("r1");
        expect(await store.getWatermark("testCases")).toBe("2024-05-01T00:00:00Z");
        expect((await store.counts()).testCase.done).toBe(1);
      });

      it("closes twice without error and refuses work while closed", async () => {
        await store.close();
        await store.close();
        await expect(store.get("testCase", "P-T1")).rejects.toThrow();
        await expect(store.beginCreate("testCase", "P-T1", "r1")).rejects.toThrow();
      });

      it("names where the state lives", () => {
        expect(store.location).not.toBe("");
      });
    });

    describe("reading entities", () => {
      it("returns undefined for a record never written", async () => {
        expect(await store.get("testCase", "P-T404")).toBeUndefined();
      });

      it("returns the whole record", async () => {
        const before = Date.now();
        await store.beginCreate("testCase", "P-T1", "r1");
        const record = await store.get("testCase", "P-T1");
        expect(record).toEqual({
          type: "testCase",
          key: "P-T1",
          hash: null,
          targetId: null,
          status: "creating",
          attempts: 1,
          lastError: null,
          data: null,
          runId: "r1",
          updatedAt: expect.any(String),
          owner: null,
          leaseUntil: null,
        });
        expect(Date.parse(record?.updatedAt ?? "")).toBeGreaterThanOrEqual(before - 1_000);
      });

      it("keeps each type's keys apart", async () => {
        await store.recordDone("module", "42", { targetId: 1, hash: "m", runId: "r1" });
        await store.recordFailure("testCycle", "42", "boom", "r1");
        expect((await store.get("module", "42"))?.status).toBe("done");
        expect((await store.get("testCycle", "42"))?.status).toBe("failed");
        expect(await store.get("testCase", "42")).toBeUndefined();
        expect([...(await store.getMany("module", ["42"])).keys()]).toEqual(["42"]);
        expect(await collectKeys(store.list("testCycle"))).toEqual(["42"]);
      });

      it("getMany returns the records found, keyed by key, and leaves out the rest", async () => {
        await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "a", runId: "r1" });
        await store.beginCreate("testCase", "P-T2", "r1");
        await store.recordDone("testRun", "P-T3", { targetId: 3, hash: "c", runId: "r1" });

        const found = await store.getMany("testCase", ["P-T2", "P-T1", "P-T3", "P-T1"]);

        expect([...found.keys()].sort()).toEqual(["P-T1", "P-T2"]);
        expect(found.get("P-T1")).toEqual(await store.get("testCase", "P-T1"));
        expect(found.get("P-T2")?.status).toBe("creating");
        expect((await store.getMany("testCase", [])).size).toBe(0);
      });

      it("getMany answers for thousands of keys at once", async () => {
        const stored = keys(MANY);
        await writeAll(stored, (key) => store.beginCreate("testLog", key, "r1"));
        const asked = [...stored, ...keys(MANY).map((key) => `${key}-missing`), ...stored.slice(0, 10)];

        const found = await store.getMany("testLog", asked);

        expect(found.size).toBe(MANY);
        expect([...found.keys()].sort(byCodePoint)).toEqual([...stored].sort(byCodePoint));
        for (const [key, record] of found) expect(record.key).toBe(key);
      });

      it("lists in key order, code point by code point", async () => {
        const unordered = ["P-T10", "p-T1", "P-T2", "P-T1", "Ä-1", "P-T1.1", "Z", "10", "9", "😀", "ﬀ"];
        await writeAll(unordered, (key) => store.beginCreate("testCase", key, "r1"));

        expect(await collectKeys(store.list("testCase"))).toEqual([...unordered].sort(byCodePoint));
      });

      it("lists only the status asked for", async () => {
        await store.beginCreate("testCase", "P-T1", "r1");
        await store.recordDone("testCase", "P-T2", { targetId: 2, hash: "b", runId: "r1" });
        await store.recordFailure("testCase", "P-T3", "boom", "r1");
        await store.recordDone("testCase", "P-T4", { targetId: 4, hash: "d", runId: "r1" });

        expect(await collectKeys(store.list("testCase", { status: "done" }))).toEqual(["P-T2", "P-T4"]);
        expect(await collectKeys(store.list("testCase", { status: "failed" }))).toEqual(["P-T3"]);
        expect(await collectKeys(store.list("testCase", { status: "pending" }))).toEqual([]);
        expect(await collectKeys(store.list("testCase", {}))).toEqual(["P-T1", "P-T2", "P-T3", "P-T4"]);
        expect(await collectKeys(store.list("module"))).toEqual([]);
      });

      it("lists more than a thousand records with nothing missing or repeated, with and without a status", async () => {
        const all = keys(MANY);
        await writeAll(all, (key, index) =>
          index % 3 === 0 ? store.recordFailure("testCase", key, "boom", "r1") : store.beginCreate("testCase", key, "r1"),
        );
        const failed = all.filter((_, index) => index % 3 === 0);

        const listed = await collect(store.list("testCase"));
        expect(listed.map((record) => record.key)).toEqual([...all].sort(byCodePoint));
        expect(listed.every((record) => record.type === "testCase")).toBe(true);
        expect(await collectKeys(store.list("testCase", { status: "failed" }))).toEqual([...failed].sort(byCodePoint));
        expect(await collectKeys(store.list("testCase", { status: "creating" }))).toHaveLength(MANY - failed.length);
      });

      it("visits every record once when the caller changes records while listing", async () => {
        const all = keys(MANY);
        await writeAll(all, (key) => store.beginCreate("testSuite", key, "r1"));
        const visited: string[] = [];

        for await (const record of store.list("testSuite", { status: "creating" })) {
          visited.push(record.key);
          await store.recordDone("testSuite", record.key, { targetId: visited.length, hash: "h", runId: "r2" });
        }

        expect(visited).toEqual([...all].sort(byCodePoint));
        expect((await store.counts()).testSuite).toEqual({ pending: 0, creating: 0, done: MANY, failed: 0, skipped: 0 });
      });

      it("lets a caller stop listing early", async () => {
        await writeAll(keys(10), (key) => store.beginCreate("testCase", key, "r1"));
        const seen: string[] = [];
        for await (const record of store.list("testCase")) {
          seen.push(record.key);
          if (seen.length === 2) break;
        }
        expect(seen).toHaveLength(2);
        expect(await collectKeys(store.list("testCase"))).toHaveLength(10);
      });
    });

    describe("writing entities", () => {
      it("beginCreate marks the record creating and counts the attempt", async () => {
        await store.beginCreate("testCase", "P-T1", "r1");
        await store.recordFailure("testCase", "P-T1", "timeout", "r1");
        await store.beginCreate("testCase", "P-T1", "r2");

        expect(await store.get("testCase", "P-T1")).toMatchObject({ status: "creating", attempts: 2, runId: "r2" });
        await store.beginCreate("testCase", "P-T1", "r3");
        expect(await store.get("testCase", "P-T1")).toMatchObject({ status: "creating", attempts: 3, runId: "r3" });
      });

      it("beginCreate keeps what is known about the target object", async () => {
        await store.recordDone("testCase", "P-T1", { targetId: 77, hash: "h1", data: { versionId: 2 }, runId: "r1" });
        await store.beginCreate("testCase", "P-T1", "r2");
        expect(await store.get("testCase", "P-T1")).toMatchObject({ targetId: 77, hash: "h1", data: { versionId: 2 } });
      });

      it("recordDone marks the record done with the target id, hash and data, and clears the last error", async () => {
        await store.beginCreate("testCase", "P-T1", "r1");
        await store.recordFailure("testCase", "P-T1", "HTTP 500", "r1");
        await store.beginCreate("testCase", "P-T1", "r2");
        const data = { versionId: 12, parentId: 3, nested: { names: ["ä", "😀"] }, flag: true, nothing: null };

        await store.recordDone("testCase", "P-T1", { targetId: 2 ** 40, hash: "sha256:abc", data, runId: "r2" });

        expect(await store.get("testCase", "P-T1")).toMatchObject({
          status: "done",
          targetId: 2 ** 40,
          hash: "sha256:abc",
          data,
          lastError: null,
          attempts: 2,
          runId: "r2",
        });
      });

      it("recordDone records an entity never begun, such as one found in the target", async () => {
        await store.recordDone("module", "folder-9", { targetId: 5, hash: null, runId: "r1" });
        expect(await store.get("module", "folder-9")).toMatchObject({
          status: "done",
          targetId: 5,
          hash: null,
          data: null,
          attempts: 0,
          lastError: null,
        });
      });

      it("recordDone keeps the data when given none, and clears it when given null", async () => {
        await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "h1", data: { versionId: 1 }, runId: "r1" });
        await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "h2", runId: "r2" });
        expect(await store.get("testCase", "P-T1")).toMatchObject({ hash: "h2", data: { versionId: 1 } });

        await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "h3", data: { versionId: 2 }, runId: "r3" });
        expect((await store.get("testCase", "P-T1"))?.data).toEqual({ versionId: 2 });

        await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "h4", data: null, runId: "r4" });
        expect((await store.get("testCase", "P-T1"))?.data).toBeNull();
      });

      it("recordFailure marks the record failed and keeps the target id, hash and data", async () => {
        await store.recordDone("testCase", "P-T1", { targetId: 9, hash: "h1", data: { versionId: 4 }, runId: "r1" });
        await store.recordFailure("testCase", "P-T1", "HTTP 409: conflict", "r2");

        expect(await store.get("testCase", "P-T1")).toMatchObject({
          status: "failed",
          targetId: 9,
          hash: "h1",
          data: { versionId: 4 },
          lastError: "HTTP 409: conflict",
          runId: "r2",
        });
      });

      it("recordFailure records an entity that failed before any create", async () => {
        await store.recordFailure("testRun", "exec-1", "unknown status", "r1");
        expect(await store.get("testRun", "exec-1")).toMatchObject({
          status: "failed",
          targetId: null,
          hash: null,
          attempts: 0,
          lastError: "unknown status",
        });
      });

      it("recordSkipped marks the record skipped with the reason, keeping the target id, hash and data", async () => {
        await store.recordDone("testLog", "C1/P-T1#1", { targetId: 9, hash: "h1", data: { runId: 4 }, runId: "r1" });
        await store.recordSkipped("testLog", "C1/P-T1#1", "never executed (no end date)", "r2");
        await store.recordSkipped("testLog", "C1/P-T2#2", "its test case P-T2 was not migrated", "r2");

        expect(await store.get("testLog", "C1/P-T1#1")).toMatchObject({
          status: "skipped",
          targetId: 9,
          hash: "h1",
          data: { runId: 4 },
          lastError: "never executed (no end date)",
          runId: "r2",
        });
        expect(await store.get("testLog", "C1/P-T2#2")).toMatchObject({ status: "skipped", targetId: null, attempts: 0 });
        expect((await store.counts()).testLog.skipped).toBe(2);
      });

      it("moves updatedAt forward on every write", async () => {
        await store.beginCreate("testCase", "P-T1", "r1");
        const first = (await store.get("testCase", "P-T1"))?.updatedAt ?? "";
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "h", runId: "r1" });
        const second = (await store.get("testCase", "P-T1"))?.updatedAt ?? "";
        expect(Date.parse(second)).toBeGreaterThan(Date.parse(first));
      });

      it("remove deletes only that record, and removing a missing one is harmless", async () => {
        await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "h", runId: "r1" });
        await store.recordDone("testCase", "P-T2", { targetId: 2, hash: "h", runId: "r1" });
        await store.recordDone("testRun", "P-T1", { targetId: 3, hash: "h", runId: "r1" });

        await store.remove("testCase", "P-T1");
        await store.remove("testCase", "P-T404");

        expect(await store.get("testCase", "P-T1")).toBeUndefined();
        expect(await collectKeys(store.list("testCase"))).toEqual(["P-T2"]);
        expect(await store.get("testRun", "P-T1")).toBeDefined();
      });
    });

    describe("counts", () => {
      it("reports every type and status, zeros included", async () => {
        expect(await store.counts()).toEqual(zeroCounts());
      });

      it("counts each record once under its current status", async () => {
        await store.beginCreate("testCase", "P-T1", "r1");
        await store.beginCreate("testCase", "P-T2", "r1");
        await store.recordDone("testCase", "P-T2", { targetId: 2, hash: "h", runId: "r1" });
        await store.recordDone("testCase", "P-T3", { targetId: 3, hash: "h", runId: "r1" });
        await store.recordFailure("testCycle", "P-R1", "boom", "r1");
        await store.recordDone("module", "m1", { targetId: 4, hash: "h", runId: "r1" });
        await store.remove("testCase", "P-T3");

        const expected = zeroCounts();
        expected.testCase.creating = 1;
        expected.testCase.done = 1;
        expected.testCycle.failed = 1;
        expected.module.done = 1;
        expect(await store.counts()).toEqual(expected);
      });
    });

    describe("claims", () => {
      it("grants a new entity to the first owner, as a pending record, and reports it held to any other", async () => {
        const before = Date.now();
        expect(await store.claim("testCase", "P-T1", "shard-1", LONG, "r1")).toBe("granted");

        const record = await store.get("testCase", "P-T1");
        expect(record).toMatchObject({
          status: "pending",
          attempts: 0,
          hash: null,
          targetId: null,
          lastError: null,
          data: null,
          runId: "r1",
          owner: "shard-1",
        });
        expectLeaseEnd(record, before + LONG);

        expect(await store.claim("testCase", "P-T1", "shard-2", LONG, "r2")).toBe("held");
        expect(await store.claim("testCase", "P-T1", "shard-3", 1, "r3")).toBe("held");
        expect(await store.get("testCase", "P-T1")).toEqual(record);
      });

      it("renews the lease for the owner that holds it", async () => {
        expect(await store.claim("testCase", "P-T1", "shard-1", SHORT, "r1")).toBe("granted");
        const first = await store.get("testCase", "P-T1");

        const before = Date.now();
        expect(await store.claim("testCase", "P-T1", "shard-1", LONG, "r1")).toBe("granted");
        const renewed = await store.get("testCase", "P-T1");
        expect(renewed).toMatchObject({ status: "pending", owner: "shard-1", attempts: 0 });
        expectLeaseEnd(renewed, before + LONG);
        expect(Date.parse(renewed?.leaseUntil ?? "")).toBeGreaterThan(Date.parse(first?.leaseUntil ?? ""));

        // Past the end of the first, short lease the renewed one still holds.
        await sleep(SHORT * 2);
        expect(await store.claim("testCase", "P-T1", "shard-2", LONG, "r2")).toBe("held");
      });

      it("grants an entity to another owner once the lease has run out, and the first then finds it held", async () => {
        expect(await store.claim("testCase", "P-T1", "shard-1", SHORT, "r1")).toBe("granted");
        expect(await store.claim("testCase", "P-T1", "shard-2", LONG, "r2")).toBe("held");

        await sleep(SHORT * 2);

        expect(await store.claim("testCase", "P-T1", "shard-2", LONG, "r2")).toBe("granted");
        expect(await store.get("testCase", "P-T1")).toMatchObject({ owner: "shard-2", runId: "r2", status: "pending" });
        expect(await store.claim("testCase", "P-T1", "shard-1", LONG, "r1")).toBe("held");
      });

      it("takes over an entity left creating by an owner whose lease ran out, keeping what is known of it", async () => {
        await store.recordDone("testCase", "P-T1", { targetId: 7, hash: "h1", data: { versionId: 2 }, runId: "r0" });
        await store.recordFailure("testCase", "P-T1", "HTTP 500", "r0");
        expect(await store.claim("testCase", "P-T1", "shard-1", SHORT, "r1")).toBe("granted");
        await store.beginCreate("testCase", "P-T1", "r1");

        await sleep(SHORT * 2);

        expect(await store.claim("testCase", "P-T1", "shard-2", LONG, "r2")).toBe("granted");
        expect(await store.get("testCase", "P-T1")).toMatchObject({
          status: "creating",
          attempts: 1,
          targetId: 7,
          hash: "h1",
          data: { versionId: 2 },
          lastError: "HTTP 500",
          owner: "shard-2",
        });
      });

      it("reports a done entity as done to every owner, and changes nothing", async () => {
        await store.recordDone("module", "m1", { targetId: 1, hash: "h", runId: "r0" });
        expect(await store.claim("testCase", "P-T1", "shard-1", LONG, "r1")).toBe("granted");
        await store.recordDone("testCase", "P-T1", { targetId: 2, hash: "h", runId: "r1" });
        const before = { module: await store.get("module", "m1"), testCase: await store.get("testCase", "P-T1") };

        for (const owner of ["shard-1", "shard-2"]) {
          expect(await store.claim("module", "m1", owner, LONG, "r2")).toBe("done");
          expect(await store.claim("testCase", "P-T1", owner, LONG, "r2")).toBe("done");
        }

        expect({ module: await store.get("module", "m1"), testCase: await store.get("testCase", "P-T1") }).toEqual(before);
        expect(before.module).toMatchObject({ owner: null, leaseUntil: null });
      });

      it("reports a skipped entity as done to every owner (and it ends the lease), but a later run may still write it", async () => {
        expect(await store.claim("testLog", "E-1", "shard-1", LONG, "r1")).toBe("granted");
        await store.recordSkipped("testLog", "E-1", "never executed (no end date)", "r1");
        expect(await store.get("testLog", "E-1")).toMatchObject({ status: "skipped", owner: "shard-1", leaseUntil: null });

        for (const owner of ["shard-1", "shard-2"]) expect(await store.claim("testLog", "E-1", owner, LONG, "r1")).toBe("done");

        await store.beginCreate("testLog", "E-1", "r2");
        await store.recordDone("testLog", "E-1", { targetId: 5, hash: "h", runId: "r2" });
        expect(await store.get("testLog", "E-1")).toMatchObject({ status: "done", targetId: 5, lastError: null });
      });

      it("keeps each type's keys apart", async () => {
        expect(await store.claim("module", "42", "shard-1", LONG, "r1")).toBe("granted");
        expect(await store.claim("testCycle", "42", "shard-2", LONG, "r1")).toBe("granted");
        expect(await store.claim("module", "42", "shard-2", LONG, "r1")).toBe("held");
      });

      it("release frees the entity at once, but only for the owner that holds it", async () => {
        expect(await store.claim("testCase", "P-T1", "shard-1", LONG, "r1")).toBe("granted");

        await store.release("testCase", "P-T1", "shard-2");
        expect(await store.claim("testCase", "P-T1", "shard-3", LONG, "r3")).toBe("held");

        await store.release("testCase", "P-T1", "shard-1");
        expect(await store.get("testCase", "P-T1")).toMatchObject({ owner: "shard-1", leaseUntil: null, status: "pending" });
        expect(await store.claim("testCase", "P-T1", "shard-3", LONG, "r3")).toBe("granted");

        // The first owner no longer holds it: its release is a no-op, and so is one for a missing record.
        await store.release("testCase", "P-T1", "shard-1");
        await store.release("testCase", "P-T404", "shard-1");
        expect(await store.get("testCase", "P-T1")).toMatchObject({ owner: "shard-3", leaseUntil: expect.any(String) });
        expect(await store.get("testCase", "P-T404")).toBeUndefined();
      });

      it("recordDone and recordFailure end the lease and keep the owner", async () => {
        expect(await store.claim("testCase", "P-T1", "shard-1", LONG, "r1")).toBe("granted");
        expect(await store.claim("testCase", "P-T2", "shard-1", LONG, "r1")).toBe("granted");
        await store.beginCreate("testCase", "P-T1", "r1");
        expect(await store.get("testCase", "P-T1")).toMatchObject({ owner: "shard-1", leaseUntil: expect.any(String) });

        await store.recordDone("testCase", "P-T1", { targetId: 1, hash: "h", runId: "r1" });
        await store.recordFailure("testCase", "P-T2", "HTTP 500", "r1");

        expect(await store.get("testCase", "P-T1")).toMatchObject({
          status: "done",
          attempts: 1,
          owner: "shard-1",
          leaseUntil: null,
        });
        expect(await store.get("testCase", "P-T2")).toMatchObject({ status: "failed", owner: "shard-1", leaseUntil: null });
        // A failed entity is free for another shard to try at once.
        expect(await store.claim("testCase", "P-T2", "shard-2", LONG, "r2")).toBe("granted");
        expect(await store.get("testCase", "P-T2")).toMatchObject({ status: "failed", owner: "shard-2" });
      });

      it("grants one of many owners claiming the same entity at once", async () => {
        const owners = Array.from({ length: 10 }, (_, index) => `shard-${index}`);
        const outcomes = await Promise.all(owners.map((owner) => store.claim("testRun", "E-1", owner, LONG, "r1")));

        expect(outcomes.filter((outcome) => outcome === "granted")).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome === "held")).toHaveLength(owners.length - 1);
        expect((await store.get("testRun", "E-1"))?.owner).toBe(owners[outcomes.indexOf("granted")]);
      });

      it("refuses an empty owner or a lease that is not a positive duration", async () => {
        await expect(store.claim("testCase", "P-T1", "", LONG, "r1")).rejects.toThrow(RangeError);
        for (const lease of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
          await expect(store.claim("testCase", "P-T1", "shard-1", lease, "r1")).rejects.toThrow(RangeError);
        }
        expect(await store.get("testCase", "P-T1")).toBeUndefined();
      });
    });

    describe("counts by owner", () => {
      it("is empty for an empty store for an empty store", async () => {
        expect(await store.countsByOwner()).toEqual([]);
      });

      it("counts each record under the owner that last claimed it, unclaimed under null first", async () => {
        await store.recordDone("module", "m1", { targetId: 1, hash: "h", runId: "r0" });
        await store.beginCreate("testCase", "P-T9", "r0");
        for (const key of ["P-T1", "P-T2", "P-T3"])
          expect(await store.claim("testCase", key, "shard-b", LONG, "r1")).toBe("granted");
        await store.beginCreate("testCase", "P-T1", "r1");
        await store.recordDone("testCase", "P-T1", { targetId: 2, hash: "h", runId: "r1" });
        await store.recordFailure("testCase", "P-T2", "boom", "r1");
        expect(await store.claim("testCycle", "C-1", "shard-a", LONG, "r2")).toBe("granted");
        // Released, P-T3 stays shard-b's; taken over, P-T2 becomes shard-a's.
        await store.release("testCase", "P-T3", "shard-b");
        expect(await store.claim("testCase", "P-T2", "shard-a", LONG, "r2")).toBe("granted");

        const unclaimed = zeroCounts();
        unclaimed.module.done = 1;
        unclaimed.testCase.creating = 1;
        const shardA = zeroCounts();
        shardA.testCycle.pending = 1;
        shardA.testCase.failed = 1;
        const shardB = zeroCounts();
        shardB.testCase.done = 1;
        shardB.testCase.pending = 1;
        const byOwner = await store.countsByOwner();
        expect(byOwner).toEqual([
          { owner: null, counts: unclaimed },
          { owner: "shard-a", counts: shardA },
          { owner: "shard-b", counts: shardB },
        ]);
        expect(sumCounts(byOwner.map((entry) => entry.counts))).toEqual(await store.counts());
      });
    });

    describe("runs", () => {
      it("has no last run before the first", async () => {
        expect(await store.lastRun()).toBeUndefined();
      });

      it("startRun records a running run", async () => {
        const before = Date.now();
        const run = await store.startRun({ id: "r1", mode: "incremental" });
        expect(run).toEqual({
          id: "r1",
          mode: "incremental",
          status: "running",
          startedAt: expect.any(String),
          finishedAt: null,
          summary: null,
          host: hostname(),
          pid: process.pid,
          heartbeatAt: run.startedAt,
        });
        expect(Date.parse(run.startedAt)).toBeGreaterThanOrEqual(before - 1_000);
        expect(await store.lastRun()).toEqual(run);
      });

      it("keeps a running run's heartbeat going until the run is finished", async () => {
        const beating = subject.another({ heartbeatMs: 40 });
        await beating.open();
        try {
          const started = await beating.startRun({ id: "r1", mode: "full" });
          await waitUntil(async () => (await store.lastRun())?.heartbeatAt !== started.heartbeatAt);
          expect(Date.parse((await store.lastRun())?.heartbeatAt ?? "")).toBeGreaterThan(Date.parse(started.startedAt));

          await beating.finishRun("r1", { status: "succeeded", summary: null });
          const finished = await store.lastRun();
          await sleep(200);
          expect(await store.lastRun()).toEqual(finished);
        } finally {
          await beating.close();
        }
      });

      it("stops the heartbeat when the store is closed, as when its process dies", async () => {
        const beating = subject.another({ heartbeatMs: 40 });
        await beating.open();
        await beating.startRun({ id: "r1", mode: "full" });
        await beating.close();
        const closed = await store.lastRun();
        await sleep(200);
        expect(await store.lastRun()).toEqual(closed);
        expect(closed?.status).toBe("running");
      });

      it("lastRun is the run started last, even within the same millisecond", async () => {
        for (const id of ["r1", "r2", "r3", "r0"]) await store.startRun({ id, mode: "full" });
        expect((await store.lastRun())?.id).toBe("r0");
      });

      it("finishRun records the outcome, and finishing an older run leaves the last one last", async () => {
        await store.startRun({ id: "r1", mode: "full" });
        await store.startRun({ id: "r2", mode: "dry-run" });
        await store.finishRun("r2", { status: "incomplete", summary: { created: 3, failed: { testCase: 1 } } });

        const last = await store.lastRun();
        expect(last).toMatchObject({
          id: "r2",
          mode: "dry-run",
          status: "incomplete",
          summary: { created: 3, failed: { testCase: 1 } },
        });
        expect(Date.parse(last?.finishedAt ?? "")).toBeGreaterThanOrEqual(Date.parse(last?.startedAt ?? ""));

        await store.finishRun("r1", { status: "failed", summary: null });
        expect(await store.lastRun()).toEqual(last);
      });

      it("refuses to finish a run never started, or to start one twice", async () => {
        await expect(store.finishRun("r404", { status: "succeeded", summary: null })).rejects.toThrow();
        await store.startRun({ id: "r1", mode: "full" });
        await expect(store.startRun({ id: "r1", mode: "full" })).rejects.toThrow();
      });
    });

    describe("reading only", () => {
      it("finds no store where none was made, and makes none", async () => {
        await store.close();
        await subject.cleanup();
        expect(await subject.exists()).toBe(false);

        const reader = subject.another();
        try {
          expect(await reader.openExisting()).toBe(false);
          expect(await reader.openExisting()).toBe(false);
          expect(await subject.exists()).toBe(false);
          await expect(reader.counts()).rejects.toThrow(/not open/);
        } finally {
          await reader.close();
        }
      });

      it("reads what a writing store holds, as it changes", async () => {
        await store.recordDone("testCase", "P-T1", { targetId: 7, hash: "h1", data: { versionId: 3 }, runId: "r1" });
        await store.recordFailure("testRun", "E-1", "boom", "r1");
        expect(await store.claim("module", "42", "shard-1", LONG, "r1")).toBe("granted");
        await store.startRun({ id: "r1", mode: "full" });
        await store.setWatermark("testCases", "w1");

        const reader = subject.another();
        try {
          expect(await reader.openExisting()).toBe(true);
          expect(await reader.openExisting()).toBe(true);
          expect(await reader.get("testCase", "P-T1")).toEqual(await store.get("testCase", "P-T1"));
          expect(await reader.getMany("testRun", ["E-1"])).toEqual(await store.getMany("testRun", ["E-1"]));
          expect(await collect(reader.list("module"))).toEqual(await collect(store.list("module")));
          expect(await reader.counts()).toEqual(await store.counts());
          expect(await reader.countsByOwner()).toEqual(await store.countsByOwner());
          expect(await reader.lastRun()).toEqual(await store.lastRun());
          expect(await reader.getWatermark("testCases")).toBe("w1");

          await store.finishRun("r1", { status: "succeeded", summary: { created: 1 } });
          await store.beginCreate("testCase", "P-T2", "r2");
          expect((await reader.lastRun())?.status).toBe("succeeded");
          expect((await reader.counts()).testCase).toMatchObject({ done: 1, creating: 1 });
        } finally {
          await reader.close();
        }
      });

      it("refuses every write, and changes nothing", async () => {
        await store.recordDone("testCase", "P-T1", { targetId: 7, hash: "h1", runId: "r1" });
        await store.startRun({ id: "r1", mode: "full" });
        const before = { record: await store.get("testCase", "P-T1"), run: await store.lastRun(), counts: await store.counts() };

        const reader = subject.another();
        try {
          expect(await reader.openExisting()).toBe(true);
          const writes: (() => Promise<unknown>)[] = [
            () => reader.beginCreate("testCase", "P-T1", "r2"),
            () => reader.recordDone("testCase", "P-T2", { targetId: 8, hash: "h", runId: "r2" }),
            () => reader.recordFailure("testCase", "P-T1", "boom", "r2"),
            () => reader.recordSkipped("testCase", "P-T1", "why", "r2"),
            () => reader.claim("testCase", "P-T3", "shard-1", LONG, "r2"),
            () => reader.release("testCase", "P-T1", "shard-1"),
            () => reader.remove("testCase", "P-T1"),
            () => reader.startRun({ id: "r2", mode: "full" }),
            () => reader.finishRun("r1", { status: "failed", summary: null }),
            () => reader.setWatermark("testCases", "w2"),
          ];
          for (const write of writes) await expect(write()).rejects.toThrow(/reading only/);
          // Opening it for writing would migrate it: that takes a store of its own.
          await expect(reader.open()).rejects.toThrow(/reading only/);
        } finally {
          await reader.close();
        }
        expect({ record: await store.get("testCase", "P-T1"), run: await store.lastRun(), counts: await store.counts() }).toEqual(
          before,
        );
        expect(await store.getWatermark("testCases")).toBeUndefined();
      });
    });

    holdContract(() => ({ store, another: subject.another }));

    describe("watermarks", () => {
      it("returns undefined for a watermark never set", async () => {
        expect(await store.getWatermark("testCases")).toBeUndefined();
      });

      it("sets, overwrites and keeps watermarks apart by name", async () => {
        await store.setWatermark("testCases", "2024-05-01T00:00:00Z");
        await store.setWatermark("testCycles", "2024-04-01T00:00:00Z");
        await store.setWatermark("testCases", "2024-06-01T00:00:00Z");

        expect(await store.getWatermark("testCases")).toBe("2024-06-01T00:00:00Z");
        expect(await store.getWatermark("testCycles")).toBe("2024-04-01T00:00:00Z");
      });
    });
  });
}

/**
 * A lease that outlasts any test, and one short enough to wait out (twice its length) yet long enough
 * that a slow machine still answers the next claim before it runs out.
 */
const LONG = 60_000;
const SHORT = 150;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("timed out");
    await sleep(20);
  }
}

/** The lease ends about `expected` (epoch ms): the stores may read a clock of their own (a database server's). */
function expectLeaseEnd(record: EntityRecord | undefined, expected: number): void {
  const end = Date.parse(record?.leaseUntil ?? "");
  expect(end).toBeGreaterThanOrEqual(expected - 2_000);
  expect(end).toBeLessThanOrEqual(expected + 2_000);
}

function sumCounts(all: readonly StatusCounts[]): StatusCounts {
  const sum = zeroCounts();
  for (const counts of all) {
    for (const type of recordedTypeSchema.options) {
      for (const status of entityStatusSchema.options) sum[type][status] += counts[type][status];
    }
  }
  return sum;
}

function keys(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `PROJ-T${index + 1}`);
}

/** One at a time, as a migration writes: the store is not asked to cope with a burst of parallel writes here. */
async function writeAll(all: readonly string[], write: (key: string, index: number) => Promise<void>): Promise<void> {
  for (const [index, key] of all.entries()) await write(key, index);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

async function collectKeys(records: AsyncIterable<EntityRecord>): Promise<string[]> {
  return (await collect(records)).map((record) => record.key);
}

/** UTF-8 byte order is code point order; JavaScript's `<` compares UTF-16 units and puts 😀 before ﬀ. */
function byCodePoint(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

function zeroCounts(): StatusCounts {
  const zeros = () => Object.fromEntries(entityStatusSchema.options.map((status) => [status, 0])) as Record<EntityStatus, number>;
  return Object.fromEntries(recordedTypeSchema.options.map((type) => [type, zeros()])) as StatusCounts;
}

/**
 * What the stores' upgrade tests share: the version 1 records (P-T1 done, P-T2 creating, E-1 failed, run
 * r1) read back whole after the upgrade, as never claimed, and claimable.
 */
export async function expectVersion1RecordsUpgraded(store: StateStore): Promise<void> {
  expect(await store.get("testCase", "P-T1")).toEqual({
    type: "testCase",
    key: "P-T1",
    hash: "h1",
    targetId: 11,
    status: "done",
    attempts: 1,
    lastError: null,
    data: { versionId: 3 },
    runId: "r1",
    updatedAt: "2024-05-01T00:00:00.000Z",
    owner: null,
    leaseUntil: null,
  });
  expect(await store.get("testCase", "P-T2")).toMatchObject({
    status: "creating",
    attempts: 2,
    owner: null,
    leaseUntil: null,
  });
  expect(await store.get("testRun", "E-1")).toMatchObject({ status: "failed", lastError: "boom", owner: null });
  expect((await store.lastRun())?.id).toBe("r1");
  expect(await store.countsByOwner()).toEqual([{ owner: null, counts: await store.counts() }]);

  expect(await store.claim("testCase", "P-T1", "shard-1", 60_000, "r2")).toBe("done");
  expect(await store.claim("testCase", "P-T2", "shard-1", 60_000, "r2")).toBe("granted");
  expect(await store.get("testCase", "P-T2")).toMatchObject({ status: "creating", attempts: 2, owner: "shard-1" });

  // No project was recorded before holds were: the first run that writes records its own.
  expect(await store.holds()).toEqual([]);
  expect(await store.project()).toBeUndefined();
}

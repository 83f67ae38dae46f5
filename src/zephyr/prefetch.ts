import type { ZephyrClient } from "./client.js";

/** What a verification reads from the source. */
export type SourceReader = Pick<
  ZephyrClient,
  "folders" | "testCases" | "testCase" | "testCycles" | "testExecutions" | "testSteps" | "testExecutionSteps"
>;

/**
 * Reads the source's per-entity content (test steps, execution steps) ahead, in the order the
 * comparison will ask for it, while the target is read from the other host — so both hosts' rate
 * limits are used at once instead of one after the other. At most `cap` results wait in memory;
 * the read-ahead pauses when it is that far ahead of the comparison.
 */
export class SourcePrefetch implements SourceReader {
  readonly #zephyr: ZephyrClient;
  readonly #cap: number;
  readonly #ahead = new Map<string, Promise<unknown>>();
  /** Items the reader asked for before the read-ahead reached them: not read a second time. */
  readonly #taken = new Set<string>();
  #room: (() => void) | undefined;
  #stopped = false;

  constructor(zephyr: ZephyrClient, cap = 4000) {
    this.#zephyr = zephyr;
    this.#cap = cap;
  }

  /** Starts reading ahead in the background; a failure there only means the comparison reads it itself. */
  start(): void {
    this.#run().catch(() => undefined);
  }

  stop(): void {
    this.#stopped = true;
    this.#room?.();
  }

  folders: ZephyrClient["folders"] = (...args) => this.#zephyr.folders(...args);
  testCases: ZephyrClient["testCases"] = (...args) => this.#zephyr.testCases(...args);
  testCase: ZephyrClient["testCase"] = (key) => this.#zephyr.testCase(key);
  testCycles: ZephyrClient["testCycles"] = (...args) => this.#zephyr.testCycles(...args);
  testExecutions: ZephyrClient["testExecutions"] = (...args) => this.#zephyr.testExecutions(...args);

  testSteps: ZephyrClient["testSteps"] = (key) =>
    this.#take(`case:${key}`, () => this.#zephyr.testSteps(key)) as ReturnType<ZephyrClient["testSteps"]>;

  testExecutionSteps: ZephyrClient["testExecutionSteps"] = (id) =>
    this.#take(`execution:${id}`, () => this.#zephyr.testExecutionSteps(id)) as ReturnType<ZephyrClient["testExecutionSteps"]>;

  async #run(): Promise<void> {
    for await (const page of this.#zephyr.testCases()) {
      for (const testCase of page) {
        if (!(await this.#wait())) return;
        if (this.#taken.delete(`case:${testCase.key}`)) continue;
        this.#ahead.set(`case:${testCase.key}`, this.#settled(this.#zephyr.testSteps(testCase.key)));
      }
    }
    for await (const page of this.#zephyr.testExecutions()) {
      for (const execution of page) {
        if (!(await this.#wait())) return;
        const id = String(execution.id);
        if (this.#taken.delete(`execution:${id}`)) continue;
        this.#ahead.set(`execution:${id}`, this.#settled(this.#zephyr.testExecutionSteps(id)));
      }
    }
  }

  /** A read-ahead that failed is forgotten, and the comparison reads the item itself. */
  #settled<T>(read: Promise<T>): Promise<T | typeof FAILED> {
    return read.catch(() => FAILED);
  }

  async #take(key: string, read: () => Promise<unknown>): Promise<unknown> {
    const ahead = this.#ahead.get(key);
    if (ahead === undefined) {
      if (!this.#stopped) this.#taken.add(key);
      return read();
    }
    this.#ahead.delete(key);
    this.#room?.();
    const value = await ahead;
    return value === FAILED ? read() : value;
  }

  async #wait(): Promise<boolean> {
    while (!this.#stopped && this.#ahead.size >= this.#cap) {
      await new Promise<void>((resolve) => {
        this.#room = resolve;
      });
    }
    return !this.#stopped;
  }
}

const FAILED = Symbol("read-ahead failed");

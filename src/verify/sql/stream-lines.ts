/**
 * A byte stream (PostgreSQL's COPY output) as batches of lines: whatever arrived while the last batch
 * was compared is the next batch, so the merge awaits once per batch, never once per row (an await per
 * row made a 10M-row merge four times slower). Past `highWater` buffered bytes the stream is paused, which
 * holds the server back through TCP: memory stays bounded whatever the table's size.
 */
import type { Readable } from "node:stream";
import { type LineBatch, LineSplitter } from "./copy-text.js";
import type { LineSource } from "./side.js";

export class StreamLines implements LineSource {
  #ended = false;
  #error: unknown;
  #wake: (() => void) | undefined;
  readonly #splitter = new LineSplitter();

  constructor(
    private readonly stream: Readable,
    private readonly highWater = 1 << 18,
  ) {
    stream.on("data", (chunk: Buffer) => {
      this.#splitter.write(chunk);
      if (this.#splitter.buffered >= this.highWater) stream.pause();
      this.#notify();
    });
    stream.on("end", () => {
      this.#ended = true;
      this.#notify();
    });
    stream.on("error", (error) => {
      this.#error = error;
      this.#notify();
    });
  }

  /** Fails the reader from outside (the connection went away). */
  fail(error: unknown): void {
    this.#error ??= error;
    this.#notify();
  }

  release(batch: LineBatch): void {
    this.#splitter.release(batch);
  }

  async next(): Promise<LineBatch | null> {
    for (;;) {
      if (this.#error !== undefined) throw this.#error;
      if (this.#ended) return this.#splitter.end() ?? null;
      const batch = this.#splitter.take();
      if (this.stream.isPaused()) this.stream.resume();
      if (batch) return batch;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

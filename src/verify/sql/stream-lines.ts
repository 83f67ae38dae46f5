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
  #chunks: Buffer[] = [];
  #bytes = 0;
  #ended = false;
  #error: unknown;
  #wake: (() => void) | undefined;
  readonly #splitter = new LineSplitter();

  constructor(
    private readonly stream: Readable,
    private readonly highWater = 1 << 18,
  ) {
    stream.on("data", (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#bytes += chunk.length;
      if (this.#bytes >= this.highWater) stream.pause();
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

  async next(): Promise<LineBatch | null> {
    for (;;) {
      if (this.#error !== undefined) throw this.#error;
      if (this.#chunks.length > 0) {
        const chunks = this.#chunks;
        this.#chunks = [];
        this.#bytes = 0;
        if (this.stream.isPaused()) this.stream.resume();
        const batch = this.#splitter.push(chunks);
        if (batch) return batch;
        continue;
      }
      if (this.#ended) {
        return this.#splitter.end() ?? null;
      }
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
